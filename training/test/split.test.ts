import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patientOf, scanDataset, type CellRecord } from '../src/dataset.js';
import { cellsOfSplit, indicesBySplit, splitByPatient } from '../src/split.js';
import { FIXTURE_CELLS } from './cli-kit.js';

const fixtures = FIXTURE_CELLS;

function synthetic(): CellRecord[] {
  const cells: CellRecord[] = [];
  for (let p = 1; p <= 60; p++) {
    const infected = p % 4 !== 0; // 45 infected, 15 healthy
    for (let i = 0; i < 10; i++) {
      cells.push({
        file: `/x/C${p}_${i}.png`,
        name: `C${p}_${i}.png`,
        patient: `C${p}`,
        label: infected && i < 5 ? 1 : 0,
      });
    }
  }
  return cells;
}

test('patient id is the C<n> prefix', () => {
  assert.equal(patientOf('C33P1thinF_IMG_20150619_114756a_cell_179.png'), 'C33');
  assert.equal(patientOf('C1_thinF_IMG_20150604_104722_cell_9.png'), 'C1');
  assert.equal(patientOf('C12NThinF_IMG_20150614_124212_cell_1.webp'), 'C12');
  assert.equal(patientOf('C100P61ThinF_IMG_20150918_144104_cell_162.webp'), 'C100');
  assert.equal(patientOf('IMG_1.png'), null);
});

test('no patient is on two sides; every patient is somewhere; fractions ~70/15/15; stratified', () => {
  const cells = synthetic();
  const s = splitByPatient(cells, 42);
  const all = [...s.patients.train, ...s.patients.validation, ...s.patients.test];
  assert.equal(new Set(all).size, all.length, 'a patient appears in two splits');
  assert.equal(all.length, 60);
  const sets = (['train', 'validation', 'test'] as const).map(
    (k) => new Set(cellsOfSplit(cells, s, k).map((c) => c.patient)),
  );
  for (let a = 0; a < 3; a++)
    for (let b = a + 1; b < 3; b++)
      for (const p of sets[a] as Set<string>) assert.ok(!(sets[b] as Set<string>).has(p), `${p} leaks`);
  assert.deepEqual([s.patients.train.length, s.patients.validation.length, s.patients.test.length], [42, 9, 9]);
  const healthy = (ps: string[]) => ps.filter((p) => Number(p.slice(1)) % 4 === 0).length;
  assert.equal(healthy(s.patients.test), 2);
  assert.equal(healthy(s.patients.validation), 2);
});

test('split is deterministic for a seed, differs across seeds, and the hash tracks it', () => {
  const cells = synthetic();
  const a = splitByPatient(cells, 1);
  const b = splitByPatient([...cells].reverse(), 1);
  assert.deepEqual(a.patients, b.patients);
  assert.equal(a.hash, b.hash);
  const c = splitByPatient(cells, 2);
  assert.notDeepEqual(a.patients, c.patients);
  assert.notEqual(a.hash, c.hash);
});

test('fixture dataset splits without leaks', async () => {
  const scan = await scanDataset(fixtures);
  const s = splitByPatient(scan.cells);
  const seen = new Map<string, string>();
  for (const k of ['train', 'validation', 'test'] as const) {
    for (const c of cellsOfSplit(scan.cells, s, k)) {
      const prev = seen.get(c.patient);
      assert.ok(prev === undefined || prev === k, `${c.patient} in ${prev} and ${k}`);
      seen.set(c.patient, k);
    }
  }
  assert.equal(seen.size, 15);
});

test("indicesBySplit gives every cell index once, on its patient's side, in order", () => {
  const cells = synthetic();
  const s = splitByPatient(cells, 42);
  const idx = indicesBySplit(cells, s);
  const all = [...idx.train, ...idx.validation, ...idx.test].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    cells.map((_, i) => i),
  );
  for (const k of ['train', 'validation', 'test'] as const) {
    assert.deepEqual(
      idx[k].map((i) => cells[i]!.name),
      cellsOfSplit(cells, s, k).map((c) => c.name),
    );
  }
});
