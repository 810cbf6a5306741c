/**
 * Slide-level (patient-level) call from the running counts, using the rule shipped in the model's
 * metadata.json (`slideVerdict`). Until the training pipeline fills that field the app uses
 * DEFAULT_SLIDE_VERDICT_RULE, which is provisional and says so.
 */
import type { ModelMetadata, SlideVerdictRule } from '../model-metadata.js';
import type { SlideCounts } from './counts.js';

export type SlideVerdict = 'Positive' | 'Negative' | 'Inconclusive';

/**
 * Provisional rule used only when metadata.json has no `slideVerdict`. Not validated on patients.
 * A healthy slide can show a few false "parasitized" cells; requiring 3 confident cells making up
 * ≥ 0.2% of red cells keeps isolated errors from calling a slide positive, and a negative call needs
 * the WHO-style 1,000 counted red cells.
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

export interface VerdictRuleSource {
  rule: SlideVerdictRule;
  /** True when the rule came from the model's metadata.json (validated on patients). */
  fromModel: boolean;
}

/** The rule to apply: the model's validated rule, else the provisional default. */
export function verdictRuleFor(metadata: ModelMetadata | null | undefined): VerdictRuleSource {
  const r = metadata?.slideVerdict;
  if (r && isUsableRule(r)) return { rule: r, fromModel: true };
  return { rule: { ...DEFAULT_SLIDE_VERDICT_RULE }, fromModel: false };
}

function isUsableRule(r: SlideVerdictRule): boolean {
  return (
    Number.isFinite(r.confidentProbability) && r.confidentProbability >= 0 && r.confidentProbability <= 1 &&
    Number.isInteger(r.minParasitizedCells) && r.minParasitizedCells >= 1 &&
    Number.isFinite(r.minParasitizedFraction) && r.minParasitizedFraction >= 0 && r.minParasitizedFraction <= 1 &&
    Number.isFinite(r.minCellsForNegative) && r.minCellsForNegative >= 0 &&
    typeof r.description === 'string'
  );
}

export interface VerdictResult {
  verdict: SlideVerdict;
  /** Why, in words, with the numbers. */
  reason: string;
  rule: SlideVerdictRule;
  ruleFromModel: boolean;
}

function pct(f: number): string {
  return `${(f * 100).toFixed(2)}%`;
}

/** Applies the rule to a session's counts. Pure and deterministic. */
export function decideVerdict(counts: SlideCounts, source: VerdictRuleSource): VerdictResult {
  const { rule } = source;
  const k = counts.confidentParasitized;
  const fraction = counts.redCells > 0 ? k / counts.redCells : 0;
  const base = { rule, ruleFromModel: source.fromModel };
  if (counts.redCells > 0 && k >= rule.minParasitizedCells && fraction >= rule.minParasitizedFraction) {
    return {
      ...base,
      verdict: 'Positive',
      reason:
        `${k} red cells parasitized with P ≥ ${rule.confidentProbability} (≥ ${rule.minParasitizedCells} needed), ` +
        `${pct(fraction)} of ${counts.redCells} red cells (≥ ${pct(rule.minParasitizedFraction)} needed).`,
    };
  }
  if (counts.redCells < rule.minCellsForNegative) {
    return {
      ...base,
      verdict: 'Inconclusive',
      reason:
        `Only ${counts.redCells} red cells counted; at least ${rule.minCellsForNegative} are needed for a negative ` +
        `call, and the positive criteria were not met (${k} confident parasitized cells).`,
    };
  }
  return {
    ...base,
    verdict: 'Negative',
    reason:
      `${counts.redCells} red cells counted (≥ ${rule.minCellsForNegative}); ${k} parasitized with ` +
      `P ≥ ${rule.confidentProbability} (${pct(fraction)}), below the positive criteria.`,
  };
}
