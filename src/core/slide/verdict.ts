/**
 * The model-only slide verdict of schema v1/v2 records (before the clinician review). The app no
 * longer decides a slide from model labels: the result comes from the microscopist's review
 * (./slide-result.ts). What remains is what old records need: the verdict words they stored and the
 * provisional rule v1 records were counted with (records/migrations.ts).
 */
import type { SlideVerdictRule } from '../model-metadata.js';

export type SlideVerdict = 'Positive' | 'Negative' | 'Inconclusive';

/**
 * Provisional rule v1 used when metadata.json had no `slideVerdict`; migrations count confident
 * cells of v1 records with its confidentProbability.
 */
export const DEFAULT_SLIDE_VERDICT_RULE: Readonly<SlideVerdictRule> = Object.freeze({
  confidentProbability: 0.9,
  minParasitizedCells: 3,
  minParasitizedFraction: 0.002,
  minCellsForNegative: 1000,
  description:
    'Provisional default (not validated on patients): Positive if at least 3 red cells are parasitized ' +
    'with P ≥ 0.90 and they are at least 0.2% of red cells counted; Negative otherwise once at least ' +
    '1,000 red cells are counted; Inconclusive below 1,000 red cells.',
});
