import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binaryMetrics,
  chooseInconclusiveBand,
  chooseThreshold,
  expectedCalibrationError,
  reliabilityBins,
  rocAuc,
  rocCurve,
} from '../src/metrics.js';

// Hand-made prediction set with known answers.
const probs = [0.1, 0.4, 0.35, 0.8];
const labels = [0, 0, 1, 1];

test('accuracy, sensitivity, specificity, precision, F1 at 0.5', () => {
  const m = binaryMetrics(probs, labels, 0.5);
  assert.deepEqual(m.confusion, { tp: 1, fp: 0, tn: 2, fn: 1 });
  assert.equal(m.accuracy, 0.75);
  assert.equal(m.sensitivity, 0.5);
  assert.equal(m.specificity, 1);
  assert.equal(m.precision, 1);
  assert.ok(Math.abs(m.f1 - 2 / 3) < 1e-12);
});

test('ROC AUC: classic example is 0.75; perfect is 1; reversed is 0; ties count half', () => {
  assert.equal(rocAuc(probs, labels), 0.75);
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5);
  assert.ok(Number.isNaN(rocAuc([0.2, 0.3], [1, 1])));
});

test('ROC curve runs from (0,0) to (1,1)', () => {
  const c = rocCurve(probs, labels);
  assert.deepEqual(c[0], { fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY });
  const last = c[c.length - 1] as { fpr: number; tpr: number };
  assert.equal(last.fpr, 1);
  assert.equal(last.tpr, 1);
});

test('ECE with 10 bins: (|0−0.1| + |0−0.4| + |1−0.35| + |1−0.8|) / 4 = 0.3375', () => {
  assert.ok(Math.abs(expectedCalibrationError(probs, labels) - 0.3375) < 1e-12);
  // Perfectly calibrated bins give 0.
  assert.equal(expectedCalibrationError([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75], [1, 0, 0, 0, 1, 1, 1, 0]), 0);
  const bins = reliabilityBins([1.0, 0.0], [1, 0]);
  assert.equal(bins[9]?.count, 1, 'p = 1.0 falls in the last bin');
  assert.equal(bins[0]?.count, 1);
});

test('threshold choice maximises Youden J', () => {
  const t = chooseThreshold([0.1, 0.2, 0.3, 0.6, 0.7, 0.9], [0, 0, 0, 1, 1, 1]);
  assert.ok(t > 0.3 && t <= 0.6, `threshold ${t}`);
});

test('inconclusive band excludes the uncertain cells to reach the target accuracy', () => {
  // Two confusing cells near 0.5; everything else is clear.
  const p = [0.02, 0.05, 0.1, 0.45, 0.55, 0.9, 0.95, 0.98];
  const y = [0, 0, 0, 1, 0, 1, 1, 1];
  const band = chooseInconclusiveBand(p, y, 0.5, 0.99, 0.5);
  assert.ok(band.low < 0.45 && band.high > 0.55, JSON.stringify(band));
  assert.ok(band.low >= 0.1 && band.high <= 0.9, JSON.stringify(band));
  assert.equal(band.accuracyOutside, 1);
  assert.equal(band.inside, 0.25);
});
