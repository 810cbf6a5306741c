import { describe, expect, it } from 'vitest';
import { progressToward } from './counts.js';
import {
  addCounts,
  addOutcome,
  countArtefacts,
  countCells,
  ZERO_COUNTS,
  ZERO_OUTCOME_COUNTS,
} from '../cells/cell-counts.js';
import { FieldResultError, singleCellResult, toFieldResult, type SessionCell } from './field-result.js';
import {
  BloodCountError,
  parasiteDensity,
  parasitaemiaPercent,
  rbcPerMicrolitreFromHaematocrit,
  validateBloodCount,
} from './parasitaemia.js';

function cell(label: SessionCell['label'], probability: number): SessionCell {
  return { x: 5, y: 5, box: { x: 0, y: 0, width: 10, height: 10 }, label, probability };
}

function cells(spec: Partial<Record<SessionCell['label'], number[]>>): SessionCell[] {
  return Object.entries(spec).flatMap(([label, ps]) => ps.map((p) => cell(label as SessionCell['label'], p)));
}

const repeat = (n: number, p: number) => Array.from({ length: n }, () => p);

describe('countCells / addCounts', () => {
  it('tallies labels, excludes white cells from red cells, counts confident parasitized', () => {
    const c = countCells(
      cells({ Parasitized: [0.95, 0.7, 0.99], Uninfected: [0.01, 0.02], Inconclusive: [0.5], WhiteBloodCell: [0] }),
      0.9,
    );
    expect(c).toEqual({
      redCells: 6,
      parasitized: 3,
      uninfected: 2,
      inconclusive: 1,
      whiteBloodCells: 1,
      confidentParasitized: 2,
    });
  });

  it('counts artefacts nowhere but in countArtefacts', () => {
    const list = cells({ Parasitized: [0.95], Uninfected: [0.01], Artefact: [0, 0.99, 0], WhiteBloodCell: [0] });
    expect(countCells(list, 0.9)).toEqual(
      countCells(
        list.filter((c) => c.label !== 'Artefact'),
        0.9,
      ),
    );
    expect(countCells(list, 0.9).redCells).toBe(2);
    expect(countArtefacts(list)).toBe(3);
  });

  it('a single-cell image refused as not a red cell is an artefact outcome: counted apart, never as a red cell', () => {
    let t = { ...ZERO_OUTCOME_COUNTS };
    for (const label of ['Uninfected', 'Artefact', 'Artefact', 'Parasitized', 'Error'] as const)
      t = addOutcome(t, label);
    expect(t).toMatchObject({ redCells: 2, parasitized: 1, uninfected: 1, inconclusive: 0, artefacts: 2, errors: 1 });
  });

  it('sums running totals across fields', () => {
    const a = countCells(cells({ Parasitized: [0.95], Uninfected: repeat(99, 0.01) }), 0.9);
    const b = countCells(
      cells({ Parasitized: [0.5, 0.97], Uninfected: repeat(198, 0.01), WhiteBloodCell: [0, 0] }),
      0.9,
    );
    expect(addCounts(a, b)).toEqual({
      redCells: 300,
      parasitized: 3,
      uninfected: 297,
      inconclusive: 0,
      whiteBloodCells: 2,
      confidentParasitized: 2,
    });
    expect(addCounts()).toEqual(ZERO_COUNTS);
  });
});

describe('progressToward', () => {
  it('reports fraction and reached against the target', () => {
    expect(progressToward(250, 1000)).toEqual({ counted: 250, target: 1000, fraction: 0.25, reached: false });
    expect(progressToward(1200, 1000)).toEqual({ counted: 1200, target: 1000, fraction: 1, reached: true });
    expect(progressToward(5, 0).target).toBe(1);
  });
});

describe('parasitaemia and parasite density', () => {
  it('computes parasitaemia % (null without red cells)', () => {
    expect(parasitaemiaPercent(25, 1000)).toBeCloseTo(2.5, 10);
    expect(parasitaemiaPercent(0, 0)).toBeNull();
  });

  it('parasites/µL from an entered RBC count: parasitized / RBC counted × RBC/µL', () => {
    const d = parasiteDensity(20, 1000, { kind: 'rbc', rbcPerMicrolitre: 4_500_000 });
    expect(d?.perMicrolitre).toBeCloseTo(90_000, 6);
    expect(d?.formula).toBe('20 parasitized ÷ 1000 red cells × 4,500,000 RBC/µL = 90,000 /µL');
  });

  it('parasites/µL from haematocrit with the assumed MCV of 90 fL', () => {
    expect(rbcPerMicrolitreFromHaematocrit(45)).toBeCloseTo(5_000_000, 3);
    const d = parasiteDensity(10, 1000, { kind: 'haematocrit', haematocritPercent: 36 });
    expect(d?.rbcPerMicrolitre).toBeCloseTo(4_000_000, 3);
    expect(d?.perMicrolitre).toBeCloseTo(40_000, 3);
    expect(d?.formula).toContain('36% × 10⁷ ÷ 90 fL');
  });

  it('rejects implausible blood counts with a message and never invents a density', () => {
    expect(validateBloodCount({ kind: 'rbc', rbcPerMicrolitre: 45 })).toMatch(/between/);
    expect(validateBloodCount({ kind: 'haematocrit', haematocritPercent: 0 })).toMatch(/Haematocrit/);
    expect(validateBloodCount({ kind: 'rbc', rbcPerMicrolitre: Number.NaN })).not.toBeNull();
    expect(() => parasiteDensity(1, 10, { kind: 'haematocrit', haematocritPercent: 300 })).toThrow(BloodCountError);
    expect(parasiteDensity(0, 0, { kind: 'rbc', rbcPerMicrolitre: 4e6 })).toBeNull();
  });
});

describe('field results', () => {
  it('adapts a whole-field analysis result and validates it', () => {
    const raw = {
      imageSize: { width: 4000, height: 3000 },
      cells: [
        { x: 10, y: 20, box: { x: 0, y: 5, width: 20, height: 30 }, label: 'Parasitized', probability: 0.97 },
        { x: 50, y: 60, box: [40, 50, 20, 20], label: 'WhiteBloodCell', probability: 0 },
        // The field export's artefacts (a platelet): accepted, kept, never a red cell.
        { x: 90, y: 20, box: { x: 85, y: 15, width: 10, height: 10 }, label: 'Artefact', probability: 0 },
      ],
    };
    const f = toFieldResult(raw, 'field1.jpg');
    expect(f.width).toBe(4000);
    expect(f.cells[1]?.box).toEqual({ x: 40, y: 50, width: 20, height: 20 });
    expect(f.cells[2]?.label).toBe('Artefact');
    expect(countCells(f.cells).redCells).toBe(1);
    expect(() => toFieldResult({ width: 10, height: 10, cells: [{ x: 1 }] }, 'x')).toThrow(FieldResultError);
    expect(() => toFieldResult({ width: 10, height: 10, cells: [{ ...raw.cells[0], label: 'Dog' }] }, 'x')).toThrow(
      /label/,
    );
    expect(() => toFieldResult({ width: 10, height: 10 }, 'x')).toThrow(/cell list/);
  });

  it('wraps a single cell classification as a one-cell field', () => {
    const f = singleCellResult('c.webp', 120, 130, { label: 'Uninfected', probability: 0.02 });
    expect(f.cells).toHaveLength(1);
    expect(f.cells[0]).toMatchObject({ x: 60, y: 65, label: 'Uninfected' });
  });
});
