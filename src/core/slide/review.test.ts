import { missingSentences, resultReason } from './result-text.js';
import { describe, expect, it } from 'vitest';
import type { SessionCell } from './field-result.js';
import { buildQueue, makeReview, nextPending, queueProgress, ReviewError, toCellReview } from './review.js';
import { inQueue, type CellReview } from '@malaria/contract';
import {
  countReviews,
  detectionLimitPercent,
  parasitaemiaEstimate,
  slideResult,
  wilsonInterval,
} from '@malaria/contract';

function cell(label: SessionCell['label'], probability: number, review: CellReview | null = null): SessionCell {
  return { x: probability * 100, y: 1, box: { x: 0, y: 0, width: 10, height: 10 }, label, probability, review };
}
const many = (n: number, label: SessionCell['label'], p: number) => Array.from({ length: n }, () => cell(label, p));
const at = 1_700_000_000_000;

describe('review queue', () => {
  it('queues Parasitized and Inconclusive cells and cells the user added, never white cells', () => {
    expect(inQueue(cell('Parasitized', 0.9))).toBe(true);
    expect(inQueue(cell('Inconclusive', 0.1))).toBe(true);
    expect(inQueue(cell('Uninfected', 0.01))).toBe(false);
    expect(inQueue(cell('Uninfected', 0.01, makeReview('pending', at)))).toBe(true);
    expect(inQueue(cell('WhiteBloodCell', 0, makeReview('pending', at)))).toBe(false);
  });

  it('never queues an artefact (platelet, debris), not even with a stray review', () => {
    expect(inQueue(cell('Artefact', 0))).toBe(false);
    expect(inQueue(cell('Artefact', 0.99, makeReview('pending', at)))).toBe(false);
    const q = buildQueue([
      {
        id: 'a',
        index: 1,
        name: 'one.jpg',
        cells: [cell('Artefact', 0.99), cell('Inconclusive', 0.5), cell('Artefact', 0, makeReview('confirmed', at))],
      },
    ]);
    expect(q.map((i) => i.cell)).toEqual([1]);
  });

  it('orders most suspicious first, ties by image then cell, and keeps each cell addressable', () => {
    const q = buildQueue([
      {
        id: 'b',
        index: 2,
        name: 'two.jpg',
        cells: [cell('Inconclusive', 0.5), cell('Uninfected', 0.02), cell('Parasitized', 0.97)],
      },
      {
        id: 'a',
        index: 1,
        name: 'one.jpg',
        cells: [cell('Parasitized', 0.97), cell('Uninfected', 0.01, makeReview('pending', at))],
      },
    ]);
    expect(q.map((i) => [i.fieldId, i.cell, i.probability])).toEqual([
      ['a', 0, 0.97],
      ['b', 2, 0.97],
      ['b', 0, 0.5],
      ['a', 1, 0.01],
    ]);
    expect(q[3]?.addedByUser).toBe(true);
    expect(q[0]?.fieldName).toBe('one.jpg');
    expect(queueProgress(q)).toEqual({ total: 4, pending: 4, confirmed: 0, rejected: 0, unsure: 0 });
  });

  it('nextPending skips decided items and wraps around', () => {
    const q = [
      { decision: 'confirmed' },
      { decision: 'pending' },
      { decision: 'rejected' },
      { decision: 'pending' },
    ] as const;
    expect(nextPending(q, 1)).toBe(3);
    expect(nextPending(q, 3)).toBe(1);
    expect(nextPending([{ decision: 'confirmed' }], 0)).toBe(0);
    expect(nextPending([], 0)).toBe(0);
  });

  it('keeps a reason only for rejections and validates untrusted reviews', () => {
    expect(makeReview('confirmed', at, 'platelet').reason).toBeNull();
    expect(makeReview('rejected', at, 'platelet').reason).toBe('platelet');
    expect(toCellReview(undefined)).toBeNull();
    expect(toCellReview({ decision: 'rejected', reason: 'stain-debris', at })).toEqual({
      decision: 'rejected',
      reason: 'stain-debris',
      at,
    });
    expect(() => toCellReview({ decision: 'maybe', at })).toThrow(ReviewError);
    expect(() => toCellReview({ decision: 'rejected', reason: 'cosmic rays', at })).toThrow(/reason/);
    expect(() => toCellReview({ decision: 'confirmed', at: 1e308 })).toThrow(/epoch/);
    expect(() => toCellReview([1])).toThrow(/object/);
  });
});

describe('wilsonInterval', () => {
  it('matches published values', () => {
    // 10 of 100: Wilson 95 % interval 5.52 %–17.44 % (Newcombe 1998, table I method 3 style)
    const ci = wilsonInterval(10, 100)!;
    expect(ci.low).toBeCloseTo(0.0552, 4);
    expect(ci.high).toBeCloseTo(0.1744, 4);
    // 0 of 1,000: upper bound ≈ 0.38 %
    expect(wilsonInterval(0, 1000)!.low).toBe(0);
    expect(wilsonInterval(0, 1000)!.high).toBeCloseTo(0.003827, 5);
    expect(wilsonInterval(5, 0)).toBeNull();
    expect(wilsonInterval(6, 5)).toBeNull();
  });
});

describe('parasitaemia from confirmed cells', () => {
  it('gives the estimate, its interval and whether enough cells were counted to quantify it', () => {
    const e = parasitaemiaEstimate(5, 1000)!;
    expect(e.percent).toBeCloseTo(0.5, 10);
    expect(e.lowPercent).toBeLessThan(0.5);
    expect(e.highPercent).toBeGreaterThan(0.5);
    expect(e.quantifiable).toBe(false); // below 1 %: WHO asks for 2,000 red cells
    expect(e.cellsNeeded).toBe(2000);
    expect(parasitaemiaEstimate(10, 2000)!.quantifiable).toBe(true);
    expect(parasitaemiaEstimate(30, 1000)!.quantifiable).toBe(true);
    expect(parasitaemiaEstimate(30, 600)!.quantifiable).toBe(false);
    expect(parasitaemiaEstimate(0, 0)).toBeNull();
  });

  it('states the detection limit from the count and the queue recall', () => {
    // 1,000 cells, every parasite queued: 1 − 0.05^(1/1000) = 0.2991 %
    expect(detectionLimitPercent(1000, 1)).toBeCloseTo(0.2991, 3);
    // a queue that misses 1 % of parasites raises the limit by 1/0.99
    expect(detectionLimitPercent(1000, 0.99)).toBeCloseTo(0.2991 / 0.99, 3);
    expect(detectionLimitPercent(2000, 1)).toBeCloseTo(0.1497, 3);
    expect(detectionLimitPercent(0, 1)).toBeNull();
    expect(detectionLimitPercent(1000, 0)).toBeNull();
  });
});

describe('slideResult', () => {
  const healthy = () => [
    ...many(990, 'Uninfected', 0.01),
    ...many(8, 'Inconclusive', 0.2),
    ...many(2, 'Parasitized', 0.9),
  ];

  it('is incomplete while flagged cells are unreviewed, even with the target reached and model calls present', () => {
    const r = slideResult([{ cells: healthy() }], 1000, 0.99);
    expect(r.verdict).toBe('incomplete');
    expect(r.missing).toEqual([{ kind: 'pending', count: 10 }]);
    expect(missingSentences(r)).toEqual(['10 flagged cells not reviewed yet']);
    expect(r.counts).toMatchObject({ redCells: 1000, queued: 10, pending: 10, confirmed: 0 });
    // The model called 2 cells Parasitized; the result's parasitaemia rests on confirmed cells only.
    expect(r.parasitaemia?.confirmed).toBe(0);
    expect(r.parasitaemia?.percent).toBe(0);
  });

  it('is negative only after every flag is rejected and the target is reached', () => {
    const cells = healthy().map((c) =>
      c.label === 'Uninfected' ? c : { ...c, review: makeReview('rejected', at, 'stain-debris') },
    );
    const r = slideResult([{ cells }], 1000, 0.99);
    expect(r.verdict).toBe('negative');
    expect(resultReason(r)).toBe(
      'No parasites found in 1,000 red cells screened by the model (10 flagged cells checked and rejected by the reviewer).',
    );
    expect(r.detectionLimitPercent).toBeCloseTo(0.2991 / 0.99, 3);
    // one short of the target: incomplete
    const short = slideResult([{ cells: cells.slice(1) }], 1000, 0.99);
    expect(short.verdict).toBe('incomplete');
    expect(short.missing).toEqual([{ kind: 'red-cells', count: 1 }]);
    expect(missingSentences(short)).toEqual(['1 more red cell to reach the target of 1,000']);
  });

  it('an unsure cell blocks a negative call', () => {
    const cells = healthy().map((c, i) =>
      c.label === 'Uninfected' ? c : { ...c, review: makeReview(i === 999 ? 'unsure' : 'rejected', at) },
    );
    const r = slideResult([{ cells }], 1000, null);
    expect(r.verdict).toBe('incomplete');
    expect(r.missing).toEqual([{ kind: 'unsure', count: 1 }]);
    expect(missingSentences(r)).toEqual(['1 cell marked unsure: decide after looking again']);
    expect(r.detectionLimitPercent).toBeNull();
  });

  it('is positive as soon as one cell is confirmed, before the target, and counts only confirmed cells', () => {
    const cells = [
      ...many(200, 'Uninfected', 0.01),
      cell('Parasitized', 0.95, makeReview('confirmed', at)),
      ...many(5, 'Parasitized', 0.9),
    ];
    const r = slideResult([{ cells }], 1000, 0.99);
    expect(r.verdict).toBe('positive');
    expect(resultReason(r)).toBe('1 parasitized red cell confirmed by the reviewer among 206 red cells counted.');
    expect(r.parasitaemia?.confirmed).toBe(1);
    expect(r.parasitaemia?.quantifiable).toBe(false);
  });

  it('artefacts change no count and no slide result: not red cells, not white cells, not reviewed', () => {
    const red = [...many(999, 'Uninfected', 0.01), cell('Parasitized', 0.9, makeReview('rejected', at))];
    const artefacts = [cell('Artefact', 0), cell('Artefact', 0.99), cell('Artefact', 0.5, makeReview('confirmed', at))];
    const without = slideResult([{ cells: red }], 1000, 0.98);
    const withArtefacts = slideResult([{ cells: [...artefacts, ...red] }, { cells: artefacts }], 1000, 0.98);
    expect(withArtefacts).toEqual(without);
    expect(withArtefacts.verdict).toBe('negative');
    expect(withArtefacts.counts.redCells).toBe(1000);
    expect(withArtefacts.counts.whiteBloodCells).toBe(0);
    expect(withArtefacts.detectionLimitPercent).toBe(without.detectionLimitPercent);
    // The target is not reached by artefacts either.
    const short = slideResult([{ cells: [...many(990, 'Uninfected', 0.01), ...many(20, 'Artefact', 0)] }], 1000, null);
    expect(short.verdict).toBe('incomplete');
    expect(short.missing).toEqual([{ kind: 'red-cells', count: 10 }]);
  });

  it('a cell rejected as a white cell leaves the red-cell count; a user-added cell joins the queue', () => {
    const cells = [
      cell('Parasitized', 0.9, makeReview('rejected', at, 'white-cell')),
      cell('Uninfected', 0.02, makeReview('pending', at)),
      cell('WhiteBloodCell', 0),
      cell('Uninfected', 0.01),
    ];
    expect(countReviews([{ cells }])).toEqual({
      redCells: 2,
      whiteBloodCells: 2,
      queued: 2,
      pending: 1,
      confirmed: 0,
      rejected: 1,
      unsure: 0,
    });
  });
});
