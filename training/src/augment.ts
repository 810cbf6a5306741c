/**
 * Training-time augmentation for what varies in the field: orientation (the 8 flips/90° rotations),
 * small scale changes, stain/illumination (brightness, per-channel hue gains, gamma contrast) and,
 * optionally, stain debris (thin dark rods and specks lying on the cell, added to cells of both
 * classes so that the label does not depend on them).
 * Multiplicative colour changes keep the black background black, as in the app's crops.
 */
import * as tf from '@tensorflow/tfjs';

export interface AugmentOptions {
  scale: [number, number]; // zoom factor range
  shift: number; // max centre shift, fraction of the side
  brightness: number; // ± fraction
  channelGain: number; // ± fraction per channel
  gamma: [number, number];
  /** Stain debris; absent or probability 0 = none. */
  debris?: DebrisOptions;
}

/**
 * Stain-precipitate / bacterial-rod debris drawn on top of a cell. Sizes are fractions of the image
 * side, so they mean the same at any input size. Specks stay well below the size of a ring form's
 * chromatin dot, and rods are long and thin, so neither imitates a parasite.
 */
export interface DebrisOptions {
  /** Probability that an image gets any debris. */
  probability: number;
  /** Marks per image with debris: 1..maxMarks. */
  maxMarks: number;
  /** Rod length range, fraction of the side. */
  rodLength: [number, number];
  /** Rod width range, fraction of the side. */
  rodWidth: [number, number];
  /** Share of marks that are tiny specks instead of rods. */
  speckShare: number;
  /** Speck radius range, fraction of the side. */
  speckRadius: [number, number];
  /**
   * Per-channel multipliers of the cell colour under a mark's core, [R, G, B] ranges. One draw t ∈ [0, 1]
   * picks the same point in every range (t = 0: the first bound), so a mark is consistently faint or
   * strong. Measured on stain debris lying on healthy cells in real fields: R ×0.63–0.84, G ×0.17–0.31,
   * B ×0.69–0.86 — saturated magenta, the colour of parasite chromatin, so only the shape differs.
   */
  channelGain: [[number, number], [number, number], [number, number]];
  /** Rods are at least this many times longer than wide (a short thick rod would be a blob). */
  minElongation: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  scale: [0.9, 1.1],
  shift: 0.04,
  brightness: 0.12,
  channelGain: 0.06,
  gamma: [0.8, 1.25],
};

export const DEFAULT_DEBRIS: DebrisOptions = {
  probability: 0.5,
  maxMarks: 3,
  rodLength: [0.08, 0.24],
  rodWidth: [0.025, 0.07],
  speckShare: 0.2,
  speckRadius: [0.01, 0.018],
  channelGain: [
    [0.9, 0.6],
    [0.45, 0.12],
    [0.92, 0.65],
  ],
  minElongation: 3,
};

/** Pixels brighter than this (sum of RGB, 0–3 scale) count as the cell; the rest is background. */
const CELL_MIN_SUM = 0.15;

/**
 * Draws 1..maxMarks debris marks (anti-aliased thin rods or tiny specks) on an H×W×3 image in place,
 * only where the pixel belongs to the cell (never on the black background). Mark colour is the
 * local cell colour darkened like Giemsa stain (green absorbed most). Returns the number of marks.
 */
export function addDebris(img: Float32Array, size: number, rand: () => number, opt: DebrisOptions): number {
  const cell: number[] = [];
  for (let p = 0; p < size * size; p++) {
    if ((img[p * 3] as number) + (img[p * 3 + 1] as number) + (img[p * 3 + 2] as number) > CELL_MIN_SUM) cell.push(p);
  }
  if (cell.length < 16) return 0;
  const marks = 1 + Math.floor(rand() * opt.maxMarks);
  const range = (r: [number, number]) => r[0] + rand() * (r[1] - r[0]);
  for (let m = 0; m < marks; m++) {
    const centre = cell[Math.floor(rand() * cell.length)] as number;
    const cx = (centre % size) + 0.5;
    const cy = Math.floor(centre / size) + 0.5;
    const speck = rand() < opt.speckShare;
    const half = speck ? 0 : (range(opt.rodLength) * size) / 2;
    const radius = speck
      ? range(opt.speckRadius) * size
      : Math.min((range(opt.rodWidth) * size) / 2, half / opt.minElongation);
    const angle = rand() * Math.PI;
    const dx = Math.cos(angle),
      dy = Math.sin(angle);
    const t = rand();
    const gain = opt.channelGain.map(([a, b]) => a + t * (b - a));
    const alphaMax = 0.7 + 0.3 * rand();
    const reach = Math.ceil(half + radius + 1);
    for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(size, Math.ceil(cy + reach)); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(size, Math.ceil(cx + reach)); x++) {
        const p = (y * size + x) * 3;
        if ((img[p] as number) + (img[p + 1] as number) + (img[p + 2] as number) <= CELL_MIN_SUM) continue;
        // Distance from the pixel centre to the rod's segment (a point for a speck).
        const px = x + 0.5 - cx,
          py = y + 0.5 - cy;
        const t = Math.max(-half, Math.min(half, px * dx + py * dy));
        const d = Math.hypot(px - t * dx, py - t * dy);
        const cover = Math.max(0, Math.min(1, radius + 0.5 - d));
        if (cover <= 0) continue;
        const a = alphaMax * cover;
        for (let c = 0; c < 3; c++) img[p + c] = (img[p + c] as number) * (1 - a + a * (gain[c] as number));
      }
    }
  }
  return marks;
}

/** Seed of the debris probe's marks, shared by every script that measures with it (same marks, comparable losses). */
export const PROBE_DEBRIS_SEED = 20261126;

/**
 * The debris probe used to measure a model (debris-sensitivity, average-weights): copies of the
 * images at `indices` with 1–2 marks of the measured real debris (DEFAULT_DEBRIS) each, in order.
 */
export function withProbeDebris(
  pixels: Float32Array,
  indices: readonly number[],
  size: number,
  rand: () => number,
): Float32Array {
  const per = size * size * 3;
  const out = new Float32Array(indices.length * per);
  indices.forEach((src, k) => {
    const img = out.subarray(k * per, (k + 1) * per);
    img.set(pixels.subarray(src * per, (src + 1) * per));
    addDebris(img, size, rand, { ...DEFAULT_DEBRIS, maxMarks: 2 });
  });
  return out;
}

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
  pixels: Float32Array,
  indices: readonly number[],
  size: number,
  rand: () => number,
  opt: AugmentOptions = DEFAULT_AUGMENT,
): tf.Tensor4D {
  const per = size * size * 3;
  const n = indices.length;
  const buf = new Float32Array(n * per);
  const boxes = new Float32Array(n * 4);
  const gains = new Float32Array(n * 3);
  const gammas = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const idx = indices[b] as number;
    dihedral(
      pixels.subarray(idx * per, (idx + 1) * per),
      buf.subarray(b * per, (b + 1) * per),
      size,
      Math.floor(rand() * 8),
    );
    if (opt.debris && rand() < opt.debris.probability)
      addDebris(buf.subarray(b * per, (b + 1) * per), size, rand, opt.debris);
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
    const boxIdx = tf.tensor1d(
      Array.from({ length: n }, (_, i) => i),
      'int32',
    );
    const zoomed = tf.image.cropAndResize(x, tf.tensor2d(boxes, [n, 4]), boxIdx, [size, size], 'bilinear', 0);
    const g = tf.pow(tf.clipByValue(zoomed, 0, 1), tf.tensor4d(gammas, [n, 1, 1, 1]));
    return tf.clipByValue(tf.mul(g, tf.tensor4d(gains, [n, 1, 1, 3])), 0, 1) as tf.Tensor4D;
  });
}
