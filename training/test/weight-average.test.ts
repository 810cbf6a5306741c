import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../src/model.js';
import { applyInterpolation, chooseAlpha, interpolateWeights, scoreAlpha } from '../src/weight-average.js';

function flat(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

test('interpolated weights are θ_from at α 0, θ_to at α 1 and the midpoint at α 0.5', () => {
  const a = buildModel({ inputSize: 16, filters: [4, 4, 4, 4], seed: 1 });
  const b = buildModel({ inputSize: 16, filters: [4, 4, 4, 4], seed: 2 });
  const target = buildModel({ inputSize: 16, filters: [4, 4, 4, 4], seed: 3 });
  const wa = flat(a),
    wb = flat(b);
  for (const alpha of [0, 0.5, 1]) {
    applyInterpolation(target, a, b, alpha);
    flat(target).forEach((w, k) => {
      for (let i = 0; i < w.length; i += 7) {
        const want = (1 - alpha) * (wa[k]![i] as number) + alpha * (wb[k]![i] as number);
        assert.ok(Math.abs((w[i] as number) - want) < 1e-6, `α ${alpha}, weight ${k}[${i}]: ${w[i]} vs ${want}`);
      }
    });
  }
  // the sources are untouched, and no tensor is left behind
  assert.deepEqual(flat(a)[0], wa[0]);
  const before = tf.memory().numTensors;
  applyInterpolation(target, a, b, 0.3);
  assert.equal(tf.memory().numTensors, before);
  for (const m of [a, b, target]) m.dispose();
});

test('interpolation refuses different architectures and α outside [0, 1]', () => {
  const a = buildModel({ inputSize: 16, filters: [4, 4, 4, 4], seed: 1 });
  const c = buildModel({ inputSize: 16, filters: [4, 4, 4, 8], seed: 1 });
  assert.throws(() => interpolateWeights(a.weights, c.weights, 0.5), /shape/);
  assert.throws(() => interpolateWeights(a.weights, a.weights, 1.5), /alpha/);
  a.dispose();
  c.dispose();
});

test('α is chosen by the mean of clean and debris loss, ties to the smaller α', () => {
  const labels = [1, 0, 1, 0];
  const confident = [0.95, 0.05, 0.95, 0.05];
  const fooled = [0.95, 0.9, 0.95, 0.9];
  const hedging = [0.8, 0.2, 0.8, 0.2];
  const s0 = scoreAlpha(0, confident, fooled, labels); // perfect clean, debris-fooled
  const s1 = scoreAlpha(0.5, hedging, hedging, labels); // a bit worse clean, robust
  const s2 = scoreAlpha(1, hedging, hedging, labels);
  assert.ok(s0.cleanLoss < s1.cleanLoss);
  assert.equal(chooseAlpha([s0, s1, s2]).alpha, 0.5);
  assert.equal(chooseAlpha([s2, s1]).alpha, 0.5);
  assert.equal(chooseAlpha([s0]).alpha, 0);
  assert.throws(() => chooseAlpha([]));
});
