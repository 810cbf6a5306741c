/**
 * Cell pixels → RGB tensor [h, w, 3] (values 0–255), the input of `preprocessPixels`.
 * Browser pixel sources go through `tf.browser.fromPixels(source, 3)`. RGB pixels extracted by the
 * decode worker (the same R, G, B values fromPixels copies out of each RGBA pixel, see
 * rgb-pixels.ts) become a tensor directly: fromPixels' per-pixel copy loop costs ≈ 0.3 ms per
 * 140 × 140 cell on the main thread, and tfjs' WASM slice/gather of the channel axis is slower still.
 * They are float32 rather than fromPixels' int32: preprocessPixels casts to float32 anyway, and
 * 0–255 are exact in both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isRgbPixels, type CellPixels } from '../../core/model/classifier-types.js';

type TfPixels = Parameters<typeof tf.browser.fromPixels>[0];

export function pixelsToTensor(source: CellPixels): tf.Tensor3D {
  if (isRgbPixels(source)) return tf.tensor3d(source.data, [source.height, source.width, 3], 'float32');
  // tfjs accepts OffscreenCanvas at runtime (any object with getContext) though its typings omit it.
  return tf.browser.fromPixels(source as TfPixels, 3);
}
