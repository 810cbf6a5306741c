import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyVerdict,
  chooseVerdictRule,
  evaluateVerdict,
  poissonTail,
  reviewedVerdict,
} from '../src/patient-verdict.js';

test('poisson tail', () => {
  assert.ok(Math.abs(poissonTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
  assert.equal(poissonTail(3, 0), 1);
  assert.ok(poissonTail(0.5, 4) < 0.002);
});

test('verdict rule: counts confident cells, needs enough cells for Negative', () => {
  const rule = {
    confidentProbability: 0.9,
    minParasitizedCells: 2,
    minParasitizedFraction: 0,
    minCellsForNegative: 5,
    description: '',
  };
  assert.equal(applyVerdict([0.95, 0.91, 0.1], rule), 'Positive');
  assert.equal(applyVerdict([0.95, 0.1, 0.1], rule), 'Inconclusive');
  assert.equal(applyVerdict([0.95, 0.1, 0.1, 0.2, 0.3], rule), 'Negative');
  assert.equal(applyVerdict([0.95, 0.1], rule, true), 'Negative');
});

test('k is chosen so healthy 1,000-cell slides stay negative, then by patient sens+spec', () => {
  // 1 confident false positive in 2,000 uninfected validation cells → rate ≈ 0.001 → λ = 1 per 1,000 cells.
  const uninfected = [...Array(1999).fill(0.01), 0.99];
  const patients = [
    { patient: 'C1', infected: true, probs: [0.99, 0.99, 0.99, 0.99, 0.1] },
    { patient: 'C2', infected: true, probs: [0.99, 0.99, 0.99, 0.1] },
    { patient: 'C3', infected: false, probs: [0.1, 0.2] },
  ];
  const rule = chooseVerdictRule(patients, uninfected, 0.9);
  // P(Poisson(1) ≥ 3) = 0.080 > 0.05, P(Poisson(1) ≥ 4) = 0.019 → k ≥ 4; C2 (3 cells) is then missed.
  assert.equal(rule.minParasitizedCells, 4);
  const ev = evaluateVerdict(patients, rule);
  assert.equal(ev.sensitivity, 0.5);
  assert.equal(ev.specificity, 1);
  assert.deepEqual(rule.validation, { patients: 3, sensitivity: 0.5, specificity: 1 });
});

test('reviewed verdict: the app slide result under an oracle reviewer', () => {
  const decision = { threshold: 0.2, inconclusive: { low: 0.05, high: 0.8 } };
  // One parasitized cell in the queue (P 0.3 > low) → Positive, however few.
  assert.equal(
    reviewedVerdict({ patient: 'C1', infected: true, probs: [0.01, 0.3, 0.02], labels: [0, 1, 0] }, decision),
    'positive',
  );
  // The parasitized cell scores below the queue cut-off: missed → Negative (every flag rejected).
  assert.equal(
    reviewedVerdict({ patient: 'C2', infected: true, probs: [0.01, 0.04, 0.9], labels: [0, 1, 0] }, decision),
    'negative',
  );
  // Healthy patient: false flags are rejected → Negative.
  assert.equal(
    reviewedVerdict({ patient: 'C3', infected: false, probs: [0.95, 0.5, 0.01], labels: [0, 0, 0] }, decision),
    'negative',
  );
  assert.throws(() => reviewedVerdict({ patient: 'C4', infected: false, probs: [0.5] }, decision), /labels/);
});
