/**
 * Patient-level split: every patient's cells go to exactly one of train / validation / test.
 * Stratified by patient kind (infected = has any Parasitized cell, healthy = none), seeded.
 */
import { createHash } from 'node:crypto';
import type { CellRecord } from './dataset.js';
import { mulberry32, shuffleInPlace } from './rng.js';

export type SplitName = 'train' | 'validation' | 'test';

export interface PatientSplit {
  seed: number;
  fractions: { train: number; validation: number; test: number };
  patients: Record<SplitName, string[]>;
  hash: string;
}

function patientSortKey(p: string): number {
  return Number(p.slice(1));
}

export function splitByPatient(
  cells: readonly CellRecord[],
  seed = 20261125,
  fractions = { train: 0.7, validation: 0.15, test: 0.15 },
): PatientSplit {
  const infected = new Map<string, boolean>();
  for (const c of cells) infected.set(c.patient, (infected.get(c.patient) ?? false) || c.label === 1);
  const groups = [
    [...infected].filter(([, inf]) => inf).map(([p]) => p),
    [...infected].filter(([, inf]) => !inf).map(([p]) => p),
  ];
  const out: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  const rand = mulberry32(seed);
  for (const group of groups) {
    group.sort((a, b) => patientSortKey(a) - patientSortKey(b));
    shuffleInPlace(group, rand);
    const n = group.length;
    const nTest = Math.round(n * fractions.test);
    const nVal = Math.round(n * fractions.validation);
    out.test.push(...group.slice(0, nTest));
    out.validation.push(...group.slice(nTest, nTest + nVal));
    out.train.push(...group.slice(nTest + nVal));
  }
  for (const k of Object.keys(out) as SplitName[]) out[k].sort((a, b) => patientSortKey(a) - patientSortKey(b));
  const hash = createHash('sha256')
    .update(JSON.stringify({ seed, patients: out }))
    .digest('hex')
    .slice(0, 16);
  return { seed, fractions, patients: out, hash };
}

export function splitOfPatient(split: PatientSplit): Map<string, SplitName> {
  const m = new Map<string, SplitName>();
  for (const k of Object.keys(split.patients) as SplitName[]) for (const p of split.patients[k]) m.set(p, k);
  return m;
}

/** Indices of `cells` per split (cells of patients outside the split count as train). */
export function indicesBySplit(
  cells: readonly { patient: string }[],
  split: PatientSplit,
): Record<SplitName, number[]> {
  const where = splitOfPatient(split);
  const idx: Record<SplitName, number[]> = { train: [], validation: [], test: [] };
  cells.forEach((c, i) => idx[where.get(c.patient) ?? 'train'].push(i));
  return idx;
}

export function cellsOfSplit(cells: readonly CellRecord[], split: PatientSplit, name: SplitName): CellRecord[] {
  const set = new Set(split.patients[name]);
  return cells.filter((c) => set.has(c.patient));
}
