import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPlatt, fitPlatt, fitTemperature, logit, recallFloorEdge } from '../src/calibration.js';
import { fitLogistic, headScore } from '../src/artefact-head.js';
import { NONCELL_KINDS, syntheticNonCell } from '../src/synthetic-noncells.js';
import { mulberry32 } from '../src/rng.js';

test('temperature scaling recovers the temperature that made scores over-confident', () => {
  const rand = mulberry32(3);
  const probs: number[] = [],
    labels: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const z = (rand() - 0.5) * 8; // true logit
    labels.push(rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    probs.push(1 / (1 + Math.exp(-2 * z))); // reported with T = 0.5 (over-confident)
  }
  const T = fitTemperature(probs, labels);
  assert.ok(Math.abs(T - 2) < 0.25, `T ${T}`);
  const { a, b } = fitPlatt(probs, labels);
  assert.ok(Math.abs(a - 0.5) < 0.07 && Math.abs(b) < 0.15, `a ${a} b ${b}`);
  assert.ok(Math.abs(applyPlatt(0.5, 3, 0) - 0.5) < 1e-9);
  assert.ok(Math.abs(logit(0.75) - Math.log(3)) < 1e-9);
});

test('recallFloorEdge keeps the asked share of positives strictly above the edge', () => {
  const probs = Array.from({ length: 200 }, (_, i) => i / 200);
  const labels = probs.map(() => 1);
  const e = recallFloorEdge(probs, labels, 0.99);
  assert.ok(probs.filter((p) => p > e).length >= 198);
  assert.ok(probs.filter((p) => p > e).length <= 199);
});

test('synthetic non-cells: every kind is a finite image in [0, 1] at the input size', () => {
  const rand = mulberry32(5);
  for (const kind of NONCELL_KINDS) {
    const img = syntheticNonCell(kind, 32, rand);
    assert.equal(img.length, 32 * 32 * 3, kind);
    assert.ok(
      img.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
      kind,
    );
  }
});

test('artefact head: logistic regression separates two clouds and folds the standardisation in', () => {
  const rand = mulberry32(9);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const c = i % 2;
    x.push(Float32Array.from([100 + 10 * c + rand(), 5 * rand(), 0.01 * c + 0.001 * rand()]));
    y.push(c);
  }
  const h = fitLogistic(x, Uint8Array.from(y), 1e-3, 400);
  const correct = x.filter((v, i) => (headScore(h, v) > 0.5 ? 1 : 0) === y[i]).length;
  assert.ok(correct / x.length > 0.97, `accuracy ${correct / x.length}`);
});
