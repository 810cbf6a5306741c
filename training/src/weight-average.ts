/**
 * Weight-space averaging of two checkpoints of the same architecture ("WiSE-FT", Wortsman et al.
 * 2022): θ(α) = (1 − α)·θ_from + α·θ_to. Interpolating between a model and its fine-tuned version keeps
 * most of the original's accuracy on the original data while gaining much of the fine-tune's robustness
 * (here: to stain debris). Batch-norm moving statistics are interpolated like every other weight.
 */
import * as tf from '@tensorflow/tfjs';
import { binaryCrossEntropy } from './predict.js';

/**
 * New tensors (caller disposes) for θ(α); throws unless both lists have the same count and shapes, in the
 * same order (names are not compared: tfjs numbers layer names per process, so two loads of one model differ).
 */
export function interpolateWeights(
  from: readonly tf.LayerVariable[],
  to: readonly tf.LayerVariable[],
  alpha: number,
): tf.Tensor[] {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`alpha must be in [0, 1], got ${alpha}`);
  if (from.length !== to.length) throw new Error(`models differ: ${from.length} vs ${to.length} weights`);
  return from.map((a, k) => {
    const b = to[k] as tf.LayerVariable;
    if (a.shape.join('x') !== b.shape.join('x'))
      throw new Error(`weight ${k} (${a.name}): shape ${a.shape.join('x')} vs ${b.shape.join('x')}`);
    return tf.tidy(() =>
      a
        .read()
        .mul(1 - alpha)
        .add(b.read().mul(alpha)),
    );
  });
}

/** Sets `target`'s weights to θ(α) of `from` and `to`; every new weight is computed before any is set, so `target` may be one of them. */
export function applyInterpolation(
  target: tf.LayersModel,
  from: tf.LayersModel,
  to: tf.LayersModel,
  alpha: number,
): void {
  const weights = interpolateWeights(from.weights, to.weights, alpha);
  target.setWeights(weights);
  tf.dispose(weights);
}

export interface AlphaScore {
  alpha: number;
  cleanLoss: number;
  debrisLoss: number;
  score: number;
}

/**
 * Score of one α on validation cells: the mean of the binary cross-entropy on the clean cells and on the
 * same cells with synthetic debris — equal weight to "as in the dataset" and "as on a field with debris".
 * Lower is better.
 */
export function scoreAlpha(
  alpha: number,
  clean: ArrayLike<number>,
  debris: ArrayLike<number>,
  labels: ArrayLike<number>,
): AlphaScore {
  return { alpha, ...cleanAndDebrisScore(clean, debris, labels) };
}

/**
 * The mean of the binary cross-entropy on clean cells and on the same cells with synthetic debris; what
 * average-weights chooses α on and `train --select-on clean+debris` chooses the checkpoint on.
 */
export function cleanAndDebrisScore(
  clean: ArrayLike<number>,
  debris: ArrayLike<number>,
  labels: ArrayLike<number>,
): { cleanLoss: number; debrisLoss: number; score: number } {
  const cleanLoss = binaryCrossEntropy(clean, labels);
  const debrisLoss = binaryCrossEntropy(debris, labels);
  return { cleanLoss, debrisLoss, score: (cleanLoss + debrisLoss) / 2 };
}

/** The α with the lowest score; ties go to the smaller α (closer to the original model). */
export function chooseAlpha(scores: readonly AlphaScore[]): AlphaScore {
  if (scores.length === 0) throw new Error('no α scored');
  return scores.reduce((best, s) =>
    s.score < best.score - 1e-12 || (Math.abs(s.score - best.score) <= 1e-12 && s.alpha < best.alpha) ? s : best,
  );
}
