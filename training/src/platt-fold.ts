/**
 * Folds Platt scaling into the output layer: for a sigmoid Dense output P = σ(W·x + c),
 * σ(a·logit(P) + b) = σ((a·W)·x + (a·c + b)) exactly, so the calibrated network is the same network with
 * two rescaled weights. The shipped model then outputs calibrated P by itself: every reader of model.json
 * (the app, the evaluation scripts, the e2e reference) gets the calibrated numbers with no extra step.
 */
import * as tf from '@tensorflow/tfjs';

export function foldPlattIntoOutput(model: tf.LayersModel, a: number, b: number): void {
  if (!(Number.isFinite(a) && a > 0 && Number.isFinite(b)))
    throw new Error(`Platt (a, b) must be finite with a > 0, got (${a}, ${b})`);
  const out = model.layers[model.layers.length - 1];
  const config = out?.getConfig() ?? {};
  if (!out || out.getClassName() !== 'Dense' || config['activation'] !== 'sigmoid' || config['useBias'] === false) {
    throw new Error('Platt folding needs a sigmoid Dense output layer with a bias');
  }
  const [kernel, bias] = out.getWeights();
  if (!kernel || !bias) throw new Error('the output layer has no kernel and bias');
  const folded = tf.tidy(() => [tf.mul(kernel, a), tf.add(tf.mul(bias, a), b)]);
  out.setWeights(folded);
  tf.dispose(folded);
}
