/**
 * Counting for a slide session: per-field tallies and the running total across fields.
 * Red cells = Parasitized + Uninfected + Inconclusive (white blood cells are tallied separately and
 * never enter the red-cell denominator).
 */
import type { SessionCell } from './field-result.js';

export interface SlideCounts {
  /** Parasitized + Uninfected + Inconclusive. */
  redCells: number;
  parasitized: number;
  uninfected: number;
  inconclusive: number;
  whiteBloodCells: number;
  /** Parasitized cells with P(Parasitized) ≥ the verdict rule's confidentProbability. */
  confidentParasitized: number;
}

export const ZERO_COUNTS: Readonly<SlideCounts> = Object.freeze({
  redCells: 0,
  parasitized: 0,
  uninfected: 0,
  inconclusive: 0,
  whiteBloodCells: 0,
  confidentParasitized: 0,
});

/** Tallies one field's cells. `confidentProbability` comes from the slide verdict rule. */
export function countCells(cells: readonly SessionCell[], confidentProbability: number): SlideCounts {
  const c: SlideCounts = { ...ZERO_COUNTS };
  for (const cell of cells) {
    switch (cell.label) {
      case 'Parasitized':
        c.parasitized++;
        if (cell.probability >= confidentProbability) c.confidentParasitized++;
        break;
      case 'Uninfected':
        c.uninfected++;
        break;
      case 'Inconclusive':
        c.inconclusive++;
        break;
      case 'WhiteBloodCell':
        c.whiteBloodCells++;
        break;
    }
  }
  c.redCells = c.parasitized + c.uninfected + c.inconclusive;
  return c;
}

/** Sum of several tallies (the running total of a session). */
export function addCounts(...parts: readonly SlideCounts[]): SlideCounts {
  const total: SlideCounts = { ...ZERO_COUNTS };
  for (const p of parts) {
    total.redCells += p.redCells;
    total.parasitized += p.parasitized;
    total.uninfected += p.uninfected;
    total.inconclusive += p.inconclusive;
    total.whiteBloodCells += p.whiteBloodCells;
    total.confidentParasitized += p.confidentParasitized;
  }
  return total;
}

export const DEFAULT_TARGET_RED_CELLS = 1000;

export interface Progress {
  counted: number;
  target: number;
  /** 0–1, capped at 1. */
  fraction: number;
  reached: boolean;
}

/** Progress toward the target red-cell count (a target below 1 is treated as 1). */
export function progressToward(redCells: number, target: number): Progress {
  const t = Math.max(1, Math.round(Number.isFinite(target) ? target : DEFAULT_TARGET_RED_CELLS));
  return { counted: redCells, target: t, fraction: Math.min(1, redCells / t), reached: redCells >= t };
}
