/**
 * The where-map methods that lost to Grad-CAM (docs/where-map.md), kept for the measurement script
 * (`npm run eval:where-map`, scripts/where-map-deletion.ts) and the tests; the app imports only
 * where-map.ts, so these (and tfjs' random ops) stay out of its bundle. Each returns raw scores
 * [n, H, W] on the input grid (higher = more evidence for Parasitized); the caller disposes.
 * They explain the logit z, like Grad-CAM. The two input-gradient methods back-propagate through
 * the convolutions, which needs Conv2DBackpropFilter: tfjs-backend-wasm does not ship it (the
 * script registers the training engine's), and the app registers no convolution gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CellNetwork } from '../model/cell-network.js';
import { gradCamOnInputGrid, type WhereMethod } from './where-map.js';

/** The model's logit z = log(P / (1 − P)), [n]. Caller disposes. */
export function logits(network: CellNetwork, inputs: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(network.logits(inputs), [-1]) as tf.Tensor1D);
}

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

/** Raw scores [n, H, W] of a method, on the input grid. Caller disposes. */
export function whereScores(network: CellNetwork, inputs: tf.Tensor4D, method: WhereMethod): tf.Tensor3D {
  switch (method) {
    case 'gradientTimesInput':
      return gradientTimesInput(network, inputs);
    case 'smoothGrad':
      return smoothGrad(network, inputs);
    case 'occlusion':
      return occlusion(network, inputs);
    case 'gradCam':
      return gradCamOnInputGrid(network, inputs);
  }
}
