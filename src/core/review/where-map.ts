/**
 * "Where" maps for the clinician review screen: which pixels of a cell drove the model's call.
 * Pure tfjs-core (no DOM); runs on whichever backend is active (WebGL, WASM, CPU), on the
 * classifier's network (src/core/model/cell-network.ts).
 *
 * The app calls ONE function, `computeWhereMaps(network, inputs, views)`, with the model-ready batch
 * ([n, H, W, 3], float32, already preprocessed exactly as for classification) and the model's view count
 * (metadata `output.views`), and gets one `WhereMap` per cell: H × W (the model's input grid), 0–255,
 * normalised per cell, row-major. A two-view model's map is the mean of both views' maps, the turned
 * view's turned back (`gradCamOverViews`).
 *
 * Four candidate methods were compared by a deletion test on the NIH test-split patients
 * (`npm run eval:where-map`, scripts/where-map-deletion.ts, docs/where-map.md); the shipped one is
 * Grad-CAM (`SHIPPED_WHERE_METHOD`): ReLU(Σ_k α_k A_k) on the last convolution block
 * (conv → [BN] → [ReLU]), on that block's grid (6×6 for the shipped 48×48 model, 8×8 at 64×64), upsampled bilinearly to
 * the input grid. It explains the logit z = log(P / (1 − P)) rather than P: the same ranking where
 * P is not saturated, and no vanishing gradients / float ties where P ≈ 1 (most confident
 * positives). Its gradient goes only through the pooling/dense head, never a convolution, so it
 * runs on tfjs-backend-wasm's kernels as well as WebGL/CPU. The other three methods
 * (gradient × input, SmoothGrad, occlusion) live in where-map-candidates.ts, outside the app.
 *
 * Works on the network as loaded and after `foldBatchNorms` (src/core/model/optimize-model.ts): the
 * conv block (`CellNetwork.split`, network-plan.ts) runs through BN/ReLU layers or a fused ReLU.
 * Gradients: the app registers just those of the head's ops (src/services/model/head-gradients.ts);
 * the eval script and tests get all of them.
 * Every tensor is freed before the functions return (tf.tidy / explicit dispose).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelViewCount } from '@malaria/contract';
import { secondViewToCell, withViews } from '@malaria/contract/model-views';
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

/** True when the model has a conv block Grad-CAM can use (see `gradCam`). */
export function supportsGradCam(network: CellNetwork): boolean {
  return network.split !== null;
}

/**
 * Grad-CAM on the last conv block: ReLU(Σ_k α_k A_k), α_k = spatial mean of ∂z/∂A_k.
 * Returns the block's own grid [n, h', w'] (6 × 6 for the shipped 48 × 48 model); use
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

/** Grad-CAM upsampled to the input grid, [n, H, W]. Caller disposes. */
export function gradCamOnInputGrid(network: CellNetwork, inputs: tf.Tensor4D): tf.Tensor3D {
  const cam = gradCam(network, inputs);
  try {
    return toInputGrid(cam, inputs.shape[1], inputs.shape[2]);
  } finally {
    cam.dispose();
  }
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
 * map's real resolution is that block's grid (6 × 6 for the shipped 48 × 48 model, one value per 8 × 8
 * input pixels); it is returned upsampled bilinearly to the input grid (W × H = 48 × 48), ready to
 * be stretched over the crop exactly like the model input was. A cell without positive evidence
 * for Parasitized gets an all-zero map. `inputs` is not disposed; no tensor outlives the call.
 * Needs no convolution gradients, so it runs on tfjs-backend-wasm's stock kernels as well as WebGL/CPU.
 */
export async function computeWhereMaps(
  network: CellNetwork,
  inputs: tf.Tensor4D,
  views: ModelViewCount = 1,
): Promise<WhereMap[]> {
  const [n, height, width] = inputs.shape;
  if (n === 0) return [];
  const scores = gradCamOverViews(network, inputs, views);
  let data: Float32Array;
  try {
    data = (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
  return normalizeScores(data, n, height, width);
}

/**
 * Grad-CAM on the input grid of every view the model runs on (metadata `output.views`,
 * `@malaria/contract/model-views`), [n, H, W]; caller disposes. One view: `gradCamOnInputGrid`. Two views:
 * Grad-CAM of the cell and of the cell turned 90°, that map turned back, averaged — so the map shows what
 * drove the mean P the user sees, not one view's half of it.
 */
export function gradCamOverViews(network: CellNetwork, inputs: tf.Tensor4D, views: ModelViewCount): tf.Tensor3D {
  if (views === 1) return gradCamOnInputGrid(network, inputs);
  const n = inputs.shape[0];
  return tf.tidy(() => {
    const maps = gradCamOnInputGrid(network, withViews(inputs, views));
    const asGiven = tf.slice(maps, [0, 0, 0], [n, -1, -1]);
    const back = secondViewToCell(tf.slice(maps, [n, 0, 0], [n, -1, -1]));
    return tf.div(tf.add(asGiven, back), 2) as tf.Tensor3D;
  });
}
