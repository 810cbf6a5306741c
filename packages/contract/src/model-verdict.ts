/**
 * The model-only slide rule (`metadata.slideVerdict`, chosen by training on validation patients):
 * training reports it per patient, and records of schema v1/v2 (before the clinician review) were
 * decided and counted with it. The app's slide result comes from the review instead
 * (./slide-result.ts).
 */
import type { ModelMetadata, SlideVerdictRule } from './metadata.js';

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

/**
 * The P(Parasitized) above which a cell counts as "confidently parasitized" in a record's model
 * totals: the model's own rule (`metadata.slideVerdict`), else the provisional default.
 */
export function confidentProbabilityOf(metadata: Pick<ModelMetadata, 'slideVerdict'> | null): number {
  return metadata?.slideVerdict?.confidentProbability ?? DEFAULT_SLIDE_VERDICT_RULE.confidentProbability;
}

/** What the model-only rule reads of a slide. */
export interface RuleCounts {
  redCells: number;
  /** Red cells with P(Parasitized) ≥ the rule's confidentProbability. */
  confidentParasitized: number;
}

/** Counts for the rule from per-cell probabilities (training's patient evaluation). */
export function ruleCounts(
  probabilities: readonly number[],
  rule: Pick<SlideVerdictRule, 'confidentProbability'>,
): RuleCounts {
  let confident = 0;
  for (const p of probabilities) if (p >= rule.confidentProbability) confident++;
  return { redCells: probabilities.length, confidentParasitized: confident };
}

/**
 * The model-only slide verdict (`metadata.slideVerdict`): Positive with at least minParasitizedCells
 * confident parasitized cells making up ≥ minParasitizedFraction of the red cells; otherwise
 * Inconclusive below minCellsForNegative red cells (unless `ignoreMinCells`, for curated dataset
 * patients with fewer cells than a slide); otherwise Negative. The app no longer decides slides with
 * it: training reports it, and the records check that an old (schema v1/v2) record's stored verdict
 * agrees with its cells.
 */
export function modelRuleVerdict(counts: RuleCounts, rule: SlideVerdictRule, ignoreMinCells = false): SlideVerdict {
  const k = counts.confidentParasitized;
  const fraction = counts.redCells > 0 ? k / counts.redCells : 0;
  if (counts.redCells > 0 && k >= rule.minParasitizedCells && fraction >= rule.minParasitizedFraction)
    return 'Positive';
  if (!ignoreMinCells && counts.redCells < rule.minCellsForNegative) return 'Inconclusive';
  return 'Negative';
}
