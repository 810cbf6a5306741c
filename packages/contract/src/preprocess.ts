import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from './metadata.js';

/**
 * The single preprocessing path shared by the browser and training, imported as
 * `@malaria/contract/preprocess` (not from the package index): it is the one part of the contract that
 * needs tfjs-core, and through the index every page module that reads a label or the metadata schema
 * pulled tfjs-core onto the page (≈ 85 KB of the first load, docs/performance.md).
 *
 * The path:
 * RGB pixels [h, w, 3] (0–255, any numeric dtype) → resize (metadata) → × scale + offset.
 * Runs on whichever tfjs backend is active. Returns a new float32 tensor [H, W, 3]; the caller
 * owns it. The input tensor is not disposed.
 */
export function preprocessPixels(pixels: tf.Tensor3D, spec: InputSpec): tf.Tensor3D {
  if (pixels.shape[2] !== 3) {
    throw new Error(`expected 3 channels (RGB), got ${pixels.shape[2]}`);
  }
  return tf.tidy(() => {
    const asFloat = pixels.dtype === 'float32' ? pixels : tf.cast(pixels, 'float32');
    const resized = tf.image.resizeBilinear(
      asFloat,
      [spec.height, spec.width],
      spec.resize.alignCorners,
      spec.resize.halfPixelCenters,
    );
    return tf.add(tf.mul(resized, spec.scale), spec.offset) as tf.Tensor3D;
  });
}
