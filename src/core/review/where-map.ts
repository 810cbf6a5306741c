/**
 * "Where" maps for the clinician review screen: which pixels of a cell drove the model's call.
 * Pure tfjs-core (no DOM); runs on whichever backend is active (WebGL, WASM, CPU), on the
 * classifier's network (src/core/model/cell-network.ts).
 *
 * The app calls ONE function, `computeWhereMaps(network, inputs)`, with the model-ready batch
 * ([n, H, W, 3], float32, already preprocessed exactly as for classification) and gets one
 * `WhereMap` per cell: H × W (the model's input grid), 0–255, normalised per cell, row-major.
 *
 * Four candidate methods are exported for the measurement script (`npm run eval:where-map`,
 * scripts/where-map-deletion.ts) and the tests; the shipped one (Grad-CAM, `SHIPPED_WHERE_METHOD`)
 * was chosen by a deletion test on the NIH test-split patients (docs/where-map.md):
 *  - `gradientTimesInput`: Σ_c x·∂z/∂x. With the mask background 0 as baseline this is the
 *    first-order estimate of how much the logit z falls when a pixel is set to the background.
 *  - `smoothGrad`: mean over noisy copies of Σ_c |∂z/∂x| (SmoothGrad, unsigned).
 *  - `occlusion`: mean fall of z when a patch (8×8, stride 4) around the pixel is painted with
 *    the background colour.
 *  - `gradCam`: Grad-CAM on the last convolution block (conv → [BN] → [ReLU]), on that block's
 *    grid (8×8 for the 64×64 model), upsampled bilinearly to the input grid.
 * All methods explain the logit z = log(P / (1 − P)) rather than P: the same ranking where P is
 * not saturated, and no vanishing gradients / float ties where P ≈ 1 (most confident positives).
 * Backends: the two input-gradient methods back-propagate through tfjs' fused conv, whose gradient
 * always computes the filter gradient too (Conv2DBackpropFilter), a kernel tfjs-backend-wasm does not
 * ship; they fail on the app's WASM backend. Occlusion and Grad-CAM (gradient only through the
 * pooling/dense head) run everywhere.
 *
 * Works on the network as loaded and after `foldBatchNorms` (src/core/model/optimize-model.ts): the
 * conv block (`CellNetwork.split`, network-plan.ts) runs through BN/ReLU layers or a fused ReLU.
 * Gradients: Grad-CAM back-propagates only through the head's ops; the app registers just those
 * gradients (src/services/model/head-gradients.ts), the eval script and tests get all of them.
 * Every tensor is freed before the functions return (tf.tidy / explicit dispose).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CellNetwork } from '../model/cell-network.js';

export interface WhereMap {
  width: number;
  height: number;
  /** width × height, row-major, 0–255 (255 = strongest evidence for Parasitized in this cell). */
  values: Uint8Array;
}

export type WhereMethod = 'gradientTimesInput' | 'smoothGrad' | 'occlusion' | 'gradCam';

/** The method `computeWhereMaps` uses; chosen by measurement (docs/where-map.md). */
export const SHIPPED_WHERE_METHOD: WhereMethod = 'gradCam';

/** The model's logit z = log(P / (1 − P)), [n]. Caller disposes. */
export function logits(network: CellNetwork, inputs: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(network.logits(inputs), [-1]) as tf.Tensor1D);
}

// ---------------------------------------------------------------------------------------------
// Candidate methods. Each returns raw scores [n, H, W] on the input grid (higher = more evidence
// for Parasitized); the caller disposes.
// ---------------------------------------------------------------------------------------------

function inputGradient(network: CellNetwork, x: tf.Tensor4D): tf.Tensor4D {
  // Cells are independent in inference, so the gradient of the batch sum is each cell's gradient.
  return tf.grad((v: tf.Tensor) => tf.sum(network.logits(v as tf.Tensor4D)))(x) as tf.Tensor4D;
}

/** Σ_c x · ∂z/∂x: the first-order fall of z when the pixel is set to 0 (the mask background). */
export function gradientTimesInput(network: CellNetwork, inputs: tf.Tensor4D, background: number = 0): tf.Tensor3D {
  return tf.tidy(() => tf.sum(tf.mul(inputGradient(network, inputs), tf.sub(inputs, background)), 3) as tf.Tensor3D);
}

export interface SmoothGradOptions {
  samples?: number;
  /** Noise standard deviation in model-input units (the input spans 0–1). */
  sigma?: number;
  seed?: number;
}

/** SmoothGrad: mean over `samples` noisy copies of Σ_c |∂z/∂x|. Deterministic for a given seed. */
export function smoothGrad(network: CellNetwork, inputs: tf.Tensor4D, opts: SmoothGradOptions = {}): tf.Tensor3D {
  const samples = opts.samples ?? 16;
  const sigma = opts.sigma ?? 0.15;
  const seed = opts.seed ?? 1;
  let acc = tf.zeros([inputs.shape[0], inputs.shape[1], inputs.shape[2]]) as tf.Tensor3D;
  for (let s = 0; s < samples; s++) {
    const next = tf.tidy(() => {
      const noisy = tf.add(inputs, tf.randomNormal(inputs.shape, 0, sigma, 'float32', seed + s)) as tf.Tensor4D;
      return tf.add(acc, tf.sum(tf.abs(inputGradient(network, noisy)), 3)) as tf.Tensor3D;
    });
    acc.dispose();
    acc = next;
  }
  const mean = tf.div(acc, samples) as tf.Tensor3D;
  acc.dispose();
  return mean;
}

export interface OcclusionOptions {
  patch?: number;
  stride?: number;
  /** Colour painted over the patch, in model-input units (metadata background × scale + offset). */
  background?: [number, number, number];
}

/**
 * Occlusion: for every patch position, paint the patch with the background colour and measure the
 * fall of z; a pixel's score is the mean fall over the patches that cover it. Forward passes only
 * (⌈(H − patch)/stride⌉ + 1)² per cell: 225 for 64 × 64, patch 8, stride 4.
 */
export function occlusion(network: CellNetwork, inputs: tf.Tensor4D, opts: OcclusionOptions = {}): tf.Tensor3D {
  const patch = opts.patch ?? 8;
  const stride = opts.stride ?? 4;
  const bg = opts.background ?? [0, 0, 0];
  const [n, h, w, ch] = inputs.shape;
  const starts = (size: number): number[] => {
    const s: number[] = [];
    for (let p = 0; p + patch <= size; p += stride) s.push(p);
    if ((s[s.length - 1] ?? 0) + patch < size) s.push(size - patch); // cover the last rows/columns
    return s;
  };
  const ys = starts(h);
  const xs = starts(w);
  const cover = new Float32Array(ys.length * xs.length * h * w);
  let k = 0;
  for (const y0 of ys) {
    for (const x0 of xs) {
      for (let y = y0; y < y0 + patch; y++) cover.fill(1, k * h * w + y * w + x0, k * h * w + y * w + x0 + patch);
      k++;
    }
  }
  const positions = k;
  const logit = (x: tf.Tensor4D) => network.logits(x);
  const maps: tf.Tensor2D[] = [];
  const [coverT, keep, paint, counts] = tf.tidy(() => {
    const c = tf.tensor2d(cover, [positions, h * w]);
    const m = tf.reshape(c, [positions, h, w, 1]);
    return [
      c,
      tf.sub(1, m) as tf.Tensor4D,
      tf.mul(m, tf.reshape(tf.tensor1d(bg), [1, 1, 1, ch])) as tf.Tensor4D,
      tf.maximum(tf.sum(c, 0), 1) as tf.Tensor1D,
    ];
  });
  try {
    for (let i = 0; i < n; i++) {
      maps.push(
        tf.tidy(() => {
          const cell = tf.slice(inputs, [i, 0, 0, 0], [1, h, w, ch]);
          const base = tf.reshape(logit(cell as tf.Tensor4D), []);
          const occluded = tf.add(tf.mul(cell, keep), paint) as tf.Tensor4D;
          const fall = tf.sub(base, tf.reshape(logit(occluded), [1, positions])) as tf.Tensor2D;
          return tf.reshape(tf.div(tf.matMul(fall, coverT), counts), [h, w]) as tf.Tensor2D;
        }),
      );
    }
    return tf.stack(maps) as tf.Tensor3D;
  } finally {
    for (const m of maps) m.dispose();
    coverT.dispose();
    keep.dispose();
    paint.dispose();
    counts.dispose();
  }
}

/** True when the model has a conv block Grad-CAM can use (see `gradCam`). */
export function supportsGradCam(network: CellNetwork): boolean {
  return network.split !== null;
}

/**
 * Grad-CAM on the last conv block: ReLU(Σ_k α_k A_k), α_k = spatial mean of ∂z/∂A_k.
 * Returns the block's own grid [n, h', w'] (8 × 8 for the shipped 64 × 64 model); use
 * `toInputGrid` to upsample it. Throws when the model has no usable conv block.
 */
export function gradCam(network: CellNetwork, inputs: tf.Tensor4D): tf.Tensor3D {
  const { split } = network;
  if (!split) throw new Error('where-map: Grad-CAM needs a Conv2D block followed by more layers');
  return tf.tidy(() => {
    const a = split.features(inputs);
    const g = tf.grad((v: tf.Tensor) => tf.sum(split.headLogits(v as tf.Tensor4D)))(a);
    const alpha = tf.mean(g, [1, 2], true);
    return tf.relu(tf.sum(tf.mul(alpha, a), 3)) as tf.Tensor3D;
  });
}

/** Bilinear upsampling of [n, h', w'] maps to [n, H, W]. */
export function toInputGrid(maps: tf.Tensor3D, height: number, width: number): tf.Tensor3D {
  if (maps.shape[1] === height && maps.shape[2] === width) return tf.clone(maps);
  return tf.tidy(
    () =>
      tf.squeeze(
        tf.image.resizeBilinear(tf.expandDims(maps, 3) as tf.Tensor4D, [height, width], false, true),
        [3],
      ) as tf.Tensor3D,
  );
}

/** Raw scores [n, H, W] of a method, on the input grid. Caller disposes. */
export function whereScores(network: CellNetwork, inputs: tf.Tensor4D, method: WhereMethod): tf.Tensor3D {
  switch (method) {
    case 'gradientTimesInput':
      return gradientTimesInput(network, inputs);
    case 'smoothGrad':
      return smoothGrad(network, inputs);
    case 'occlusion':
      return occlusion(network, inputs);
    case 'gradCam': {
      const cam = gradCam(network, inputs);
      try {
        return toInputGrid(cam, inputs.shape[1], inputs.shape[2]);
      } finally {
        cam.dispose();
      }
    }
  }
}

/**
 * Per-cell normalisation to 0–255: negative scores (evidence against Parasitized) → 0, the cell's
 * largest score → 255. A cell without positive evidence gets an all-zero map.
 */
export function normalizeScores(scores: Float32Array, n: number, height: number, width: number): WhereMap[] {
  const size = height * width;
  const out: WhereMap[] = [];
  for (let i = 0; i < n; i++) {
    const cell = scores.subarray(i * size, (i + 1) * size);
    let max = 0;
    for (const v of cell) if (v > max) max = v;
    const values = new Uint8Array(size);
    if (max > 0 && Number.isFinite(max)) {
      for (let j = 0; j < size; j++) {
        const v = cell[j] as number;
        values[j] = v > 0 ? Math.round((v / max) * 255) : 0;
      }
    }
    out.push({ width, height, values });
  }
  return out;
}

/**
 * The app's entry point: one where-map per cell of a preprocessed batch [n, H, W, 3] (exactly the
 * classifier's input). Shipped method: Grad-CAM on the last conv block (docs/where-map.md), so the
 * map's real resolution is that block's grid (8 × 8 for the 64 × 64 model, one value per 8 × 8
 * input pixels); it is returned upsampled bilinearly to the input grid (W × H = 64 × 64), ready to
 * be stretched over the crop exactly like the model input was. A cell without positive evidence
 * for Parasitized gets an all-zero map. `inputs` is not disposed; no tensor outlives the call.
 * Needs no convolution gradients, so it runs on tfjs-backend-wasm's stock kernels as well as WebGL/CPU.
 */
export async function computeWhereMaps(network: CellNetwork, inputs: tf.Tensor4D): Promise<WhereMap[]> {
  const [n, height, width] = inputs.shape;
  if (n === 0) return [];
  const scores = whereScores(network, inputs, SHIPPED_WHERE_METHOD);
  let data: Float32Array;
  try {
    data = (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
  return normalizeScores(data, n, height, width);
}
