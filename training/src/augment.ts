/**
 * Training-time augmentation for what varies in the field: orientation (the 8 flips/90° rotations),
 * small scale changes, and stain/illumination (brightness, per-channel hue gains, gamma contrast).
 * Multiplicative colour changes keep the black background black, as in the app's crops.
 */
import * as tf from '@tensorflow/tfjs';

export interface AugmentOptions {
  scale: [number, number]; // zoom factor range
  shift: number; // max centre shift, fraction of the side
  brightness: number; // ± fraction
  channelGain: number; // ± fraction per channel
  gamma: [number, number];
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  scale: [0.9, 1.1], shift: 0.04, brightness: 0.12, channelGain: 0.06, gamma: [0.8, 1.25],
};

/** Applies one of the 8 dihedral transforms (k = 0..7) to an H×W×3 image (H = W), writing into out. */
export function dihedral(src: Float32Array, out: Float32Array, size: number, k: number): void {
  const transpose = (k & 4) !== 0;
  const flipY = (k & 1) !== 0;
  const flipX = (k & 2) !== 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sy = transpose ? x : y;
      let sx = transpose ? y : x;
      if (flipY) sy = size - 1 - sy;
      if (flipX) sx = size - 1 - sx;
      const s = (sy * size + sx) * 3;
      const d = (y * size + x) * 3;
      out[d] = src[s] as number;
      out[d + 1] = src[s + 1] as number;
      out[d + 2] = src[s + 2] as number;
    }
  }
}

/** Builds an augmented batch tensor [n, size, size, 3] from model-ready pixels. */
export function augmentBatch(
  pixels: Float32Array, indices: readonly number[], size: number, rand: () => number, opt: AugmentOptions = DEFAULT_AUGMENT,
): tf.Tensor4D {
  const per = size * size * 3;
  const n = indices.length;
  const buf = new Float32Array(n * per);
  const boxes = new Float32Array(n * 4);
  const gains = new Float32Array(n * 3);
  const gammas = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const idx = indices[b] as number;
    dihedral(pixels.subarray(idx * per, (idx + 1) * per), buf.subarray(b * per, (b + 1) * per), size, Math.floor(rand() * 8));
    const zoom = opt.scale[0] + rand() * (opt.scale[1] - opt.scale[0]);
    const half = 0.5 / zoom;
    const cy = 0.5 + (rand() * 2 - 1) * opt.shift;
    const cx = 0.5 + (rand() * 2 - 1) * opt.shift;
    boxes.set([cy - half, cx - half, cy + half, cx + half], b * 4);
    const bright = 1 + (rand() * 2 - 1) * opt.brightness;
    for (let c = 0; c < 3; c++) gains[b * 3 + c] = bright * (1 + (rand() * 2 - 1) * opt.channelGain);
    gammas[b] = Math.exp(Math.log(opt.gamma[0]) + rand() * (Math.log(opt.gamma[1]) - Math.log(opt.gamma[0])));
  }
  return tf.tidy(() => {
    const x = tf.tensor4d(buf, [n, size, size, 3]);
    const boxIdx = tf.tensor1d(Array.from({ length: n }, (_, i) => i), 'int32');
    const zoomed = tf.image.cropAndResize(x, tf.tensor2d(boxes, [n, 4]), boxIdx, [size, size], 'bilinear', 0);
    const g = tf.pow(tf.clipByValue(zoomed, 0, 1), tf.tensor4d(gammas, [n, 1, 1, 1]));
    return tf.clipByValue(tf.mul(g, tf.tensor4d(gains, [n, 1, 1, 3])), 0, 1) as tf.Tensor4D;
  });
}
