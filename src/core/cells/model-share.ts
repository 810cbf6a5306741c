/**
 * The model's share of parasitized red cells (the Cells view's "Share infected", a field's
 * "Parasitaemia"), with what it rests on: how many red cells, how many the model called
 * Parasitized, a 95 % Wilson interval for that count (sampling only: it says nothing about the
 * model's own errors), and how high the share could be if every Inconclusive cell were parasitized,
 * because those cells are in the denominator but not in the numerator and nobody has looked at them.
 */
import { wilsonInterval } from '@malaria/contract';
import { parasitaemiaPercent } from '../slide/parasitaemia.js';

export interface ModelShareEstimate {
  parasitized: number;
  inconclusive: number;
  redCells: number;
  /** parasitized ÷ red cells × 100 (the headline, the same number as `parasitaemiaPercent`). */
  percent: number;
  /** 95 % Wilson interval of `percent` (0–100). */
  lowPercent: number;
  highPercent: number;
  /** (parasitized + inconclusive) ÷ red cells × 100: the share if every Inconclusive cell were parasitized. */
  ifAllReviewParasitizedPercent: number;
}

/** Null when no red cell was counted (no share to state). */
export function modelShareEstimate(counts: {
  parasitized: number;
  inconclusive: number;
  redCells: number;
}): ModelShareEstimate | null {
  const { parasitized, inconclusive, redCells } = counts;
  const percent = parasitaemiaPercent(parasitized, redCells);
  const ci = wilsonInterval(parasitized, redCells);
  if (percent === null || !ci) return null;
  return {
    parasitized,
    inconclusive,
    redCells,
    percent,
    lowPercent: ci.low * 100,
    highPercent: ci.high * 100,
    ifAllReviewParasitizedPercent: (100 * Math.min(redCells, parasitized + inconclusive)) / redCells,
  };
}
