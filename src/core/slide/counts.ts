/**
 * A slide session's target red-cell count and the progress toward it. The counting itself (per-field
 * tallies, the running total) is the one in ../cells/cell-counts.ts.
 */
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
