/**
 * The per-cell labelling rule as `labelForProbability` (@malaria/contract) applies it, for the
 * About view and docs to state. The inconclusive band is tested first, so with the validated
 * ordering low ≤ threshold ≤ high (parseModelMetadata) the threshold only decides a cell when the
 * band is empty (low = high): with a real band every P ≥ high is Parasitized, every P ≤ low
 * Uninfected, and a threshold strictly inside the band labels no cell at all. Stating
 * "Parasitized if P ≥ threshold" next to the band therefore contradicted what the app did.
 */
import type { DecisionSpec } from '@malaria/contract';

export type DecisionRule =
  | {
      kind: 'band';
      /** Parasitized when P ≥ this (the band's high edge, inclusive). */
      parasitizedFrom: number;
      /** Inconclusive when reviewAbove < P < reviewBelow (both ends exclusive). */
      reviewAbove: number;
      reviewBelow: number;
      /** Uninfected when P ≤ this (the band's low edge, inclusive). */
      uninfectedUpTo: number;
      /** Whether `threshold` labels any cell (false whenever it lies strictly inside the band). */
      thresholdDecides: boolean;
    }
  | {
      kind: 'threshold';
      /** Parasitized when P ≥ this, Uninfected below it (no band). */
      parasitizedFrom: number;
    };

export function decisionRule(decision: DecisionSpec): DecisionRule {
  const { low, high } = decision.inconclusive;
  if (!(low < high)) return { kind: 'threshold', parasitizedFrom: decision.threshold };
  return {
    kind: 'band',
    parasitizedFrom: high,
    reviewAbove: low,
    reviewBelow: high,
    uninfectedUpTo: low,
    // With threshold = low, a cell at exactly P = low is Parasitized (≥ threshold, not above low):
    // the one point where the threshold still decides; metadata validation allows it.
    thresholdDecides: decision.threshold <= low,
  };
}
