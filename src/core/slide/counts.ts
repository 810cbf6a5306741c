/**
 * A slide session's target red-cell count and the progress toward it. The counting itself (per-field
 * tallies, the running total) is the one in ../cells/cell-counts.ts.
 */
import { parseCount } from '../format/format.js';
import { isTarget, MAX_TARGET_RED_CELLS, MIN_TARGET_RED_CELLS } from '../records/bounds.js';

export const DEFAULT_TARGET_RED_CELLS = 1000;

/** The message for a target the records could not hold (core-text.ts translates it). */
export const TARGET_INVALID_MESSAGE = 'Red cells to count must be a whole number from 1 to 1,000,000 (e.g. 1000).';

/**
 * The target red-cell count from what was typed (a string, see parseCount) or given (a number), or
 * null when it is not a whole number within the records' bounds (bounds.ts): an invalid target is
 * refused with a message, never replaced by the default or rounded (a "2,5" rounded to 3 would let a
 * slide be called Negative on 3 red cells).
 */
export function parseTargetRedCells(input: string | number): number | null {
  if (typeof input === 'number') return isTarget(input) ? input : null;
  return parseCount(input, MIN_TARGET_RED_CELLS, MAX_TARGET_RED_CELLS);
}

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
