import * as tf from '@tensorflow/tfjs';
import { dihedral } from './augment.js';

/** P(Parasitized) for every cell of a preprocessed pixel array, in batches. */
export function predictProbabilities(
  model: tf.LayersModel,
  pixels: Float32Array,
  indices: readonly number[],
  size: number,
  batch = 256,
): Float32Array {
  const per = size * size * 3;
  const out = new Float32Array(indices.length);
  for (let start = 0; start < indices.length; start += batch) {
    const idx = indices.slice(start, start + batch);
    const buf = new Float32Array(idx.length * per);
    idx.forEach((i, k) => buf.set(pixels.subarray(i * per, (i + 1) * per), k * per));
    const probs = tf.tidy(() => (model.predict(tf.tensor4d(buf, [idx.length, size, size, 3])) as tf.Tensor).dataSync());
    out.set(probs, start);
  }
  return out;
}

/** The dihedral transforms in the order views are added: identity, 90°, 180°, 270°, then the flips. */
export const DIHEDRAL_VIEW_ORDER = [0, 5, 3, 6, 1, 2, 4, 7] as const;

/**
 * P(Parasitized) of every cell under each of the first `views` transforms of DIHEDRAL_VIEW_ORDER, one array
 * per view (view 0 is the plain prediction).
 */
export function predictViews(
  model: tf.LayersModel,
  pixels: Float32Array,
  indices: readonly number[],
  size: number,
  views: number,
): Float32Array[] {
  if (!(Number.isInteger(views) && views >= 1 && views <= 8)) throw new Error(`views must be 1–8, got ${views}`);
  if (views === 1) return [predictProbabilities(model, pixels, indices, size)];
  const per = size * size * 3;
  const out = Array.from({ length: views }, () => new Float32Array(indices.length));
  const chunk = 2048; // bounds the transformed copy (2048 cells at 64 px: 100 MB)
  for (let start = 0; start < indices.length; start += chunk) {
    const part = indices.slice(start, start + chunk);
    const buf = new Float32Array(part.length * per);
    const local = part.map((_, n) => n);
    DIHEDRAL_VIEW_ORDER.slice(0, views).forEach((k, v) => {
      part.forEach((i, n) =>
        dihedral(pixels.subarray(i * per, (i + 1) * per), buf.subarray(n * per, (n + 1) * per), size, k),
      );
      out[v]!.set(predictProbabilities(model, buf, local, size), start);
    });
  }
  return out;
}

/**
 * Test-time augmentation: mean P(Parasitized) over the first `views` transforms of DIHEDRAL_VIEW_ORDER
 * (1 = the plain prediction). The cells are red blood cells seen from above, so every view is as valid
 * as the crop itself; the mean is a smoother score than any one view.
 */
export function predictDihedralMean(
  model: tf.LayersModel,
  pixels: Float32Array,
  indices: readonly number[],
  size: number,
  views: number,
): Float32Array {
  const perView = predictViews(model, pixels, indices, size, views);
  return perView.length === 1 ? perView[0]! : meanOfViews(perView);
}

/** Cell-wise mean of equally long score arrays (one per view, as `predictViews` returns them). */
export function meanOfViews(views: readonly ArrayLike<number>[]): Float32Array {
  const n = views[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (const v of views) for (let i = 0; i < n; i++) out[i]! += (v[i] as number) / views.length;
  return out;
}

export function binaryCrossEntropy(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  const eps = 1e-7;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i] as number));
    s += labels[i] === 1 ? -Math.log(p) : -Math.log(1 - p);
  }
  return s / Math.max(1, probs.length);
}

export function accuracyAt(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): number {
  let ok = 0;
  for (let i = 0; i < probs.length; i++) if (((probs[i] as number) >= threshold ? 1 : 0) === labels[i]) ok++;
  return ok / Math.max(1, probs.length);
}
