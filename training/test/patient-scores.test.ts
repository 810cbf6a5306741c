import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patientOf, scoresByPatient, type ScoredCell } from '../src/patient-scores.js';

test('scores by patient: class means and the AUC without each patient', () => {
  const cells: ScoredCell[] = [
    ['C10P1_a.png', 1, 0.9],
    ['C10P1_b.png', 0, 0.1],
    ['Parasitized/C2_x.png', 1, 0.2], // a patient whose parasitized cell ranks below an uninfected one
    ['C2_y.png', 0, 0.4],
    ['C2_z.png', 0, 0.0],
  ];
  const rows = scoresByPatient(cells);
  assert.deepEqual(
    rows.map((r) => r.patient),
    ['C2', 'C10'],
    'numeric patient order',
  );
  const c2 = rows[0]!;
  assert.equal(c2.parasitized, 1);
  assert.equal(c2.uninfected, 2);
  assert.ok(Math.abs(c2.meanPParasitized - 0.2) < 1e-12);
  assert.ok(Math.abs(c2.meanPUninfected - 0.2) < 1e-12);
  assert.equal(c2.aucWithout, 1, 'C10 alone is perfectly ranked');
  // Without C10: positives {0.2}, negatives {0.4, 0.0} → 1 of 2 pairs ranked right.
  assert.equal(rows[1]!.aucWithout, 0.5);
  // ECE without C2 = C10 alone: bins of 0.9 (label 1) and 0.1 (label 0), each off by 0.1.
  assert.ok(Math.abs(c2.eceWithout - 0.1) < 1e-9, String(c2.eceWithout));
  // Without C10: 0.2 (label 1) alone in its bin → 0.8; 0.4 and 0.0 (label 0) → 0.4 and 0.0; mean (0.8 + 0.4) / 3.
  assert.ok(Math.abs(rows[1]!.eceWithout - 0.4) < 1e-9, String(rows[1]!.eceWithout));
  assert.throws(() => patientOf('cell_12.png'), /no patient prefix/);
});
