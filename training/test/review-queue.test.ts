import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelForProbability } from '@malaria/contract';
import { reviewQueueOf } from '../src/finalize.js';

test('metadata reviewQueue: queued ⇔ the contract labels the cell Parasitized or Inconclusive; counts per the test patients', () => {
  const decision = { threshold: 0.3, inconclusive: { low: 0.1, high: 0.8 } };
  // 4 parasitized cells (2 patients), 4 uninfected (3 patients, one of them healthy only).
  const probs = [0.95, 0.5, 0.1, 0.05, 0.11, 0.02, 0.9, 0.01];
  const labels = [1, 1, 1, 1, 0, 0, 0, 0];
  const patients = ['C1', 'C1', 'C2', 'C2', 'C1', 'C3', 'C3', 'C3'];
  const q = reviewQueueOf(probs, labels, patients, decision, 'abc');
  // P = 0.1 is not above the band's low edge: not queued (labelForProbability says Uninfected).
  assert.equal(labelForProbability(0.1, decision), 'Uninfected');
  assert.equal(q.recall, 2 / 4);
  assert.equal(q.parasitizedCells, 4);
  assert.equal(q.patients, 2, 'infected patients');
  assert.equal(q.uninfectedQueued, 2 / 4);
  assert.match(
    q.basis,
    /^Share of the 3 test patients' cells .* 2 of 4 parasitized cells of 2 infected patients \(95 % Wilson 15\.00–85\.00 %\); 2 of 4 uninfected cells\. .*split abc/,
  );
});
