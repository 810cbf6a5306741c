import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from './metadata.js';

/**
 * The single preprocessing path shared by the browser and training:
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

/** The preprocessing recipe every new model ships with, for a given square input size. */
export function defaultInputSpec(size: number): InputSpec {
  return {
    width: size,
    height: size,
    channels: 3,
    channelOrder: 'RGB',
    aspect: 'stretch',
    resize: { method: 'bilinear', alignCorners: false, halfPixelCenters: true },
    scale: 1 / 255,
    offset: 0,
    background: [0, 0, 0],
  };
}
