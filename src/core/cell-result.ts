/** One row of the single-cell results list. */
import type { BackendName } from './classifier-types.js';
import type { ResultLabel } from './result-stats.js';

export interface CellResult {
  id: number;
  fileName: string;
  label: ResultLabel;
  /** P(Parasitized), or null for errors. */
  probability: number | null;
  /** Why the file could not be classified (errors only). */
  message?: string;
  /** Object URL of the original file for the thumbnail; null for errors. */
  thumbnailUrl: string | null;
  backend?: BackendName;
}

/** Confidence in the shown label: P for Parasitized, 1 − P for Uninfected, distance from the band for Inconclusive. */
export function confidenceOf(probability: number): number {
  return Math.max(probability, 1 - probability);
}

export function formatProbability(p: number): string {
  if (p > 0 && p < 0.001) return '< 0.1 %';
  if (p < 1 && p > 0.999) return '> 99.9 %';
  return `${(p * 100).toFixed(1)} %`;
}
