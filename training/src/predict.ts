import * as tf from '@tensorflow/tfjs';

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
