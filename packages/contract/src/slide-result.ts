/**
 * The slide result, from what the microscopist confirmed — never from the model alone. One function
 * (`slideResult`) serves the session screen, the records, the printed report and the training
 * pipeline's patient-level evaluation (with an oracle reviewer).
 *
 *  - positive:   at least one cell confirmed as parasitized (allowed before the target: parasites seen);
 *  - negative:   the target red-cell count is reached, no cell was confirmed, and every queued cell
 *                has been decided (none pending, none "unsure");
 *  - incomplete: anything else, with what is missing.
 *
 * Parasitaemia = confirmed ÷ red cells, with a 95 % Wilson score interval. Red cells are the
 * detected red cells less those the reviewer rejected as white cells.
 *
 * Detection limit: with N red cells counted and the queue recall r (share of parasitized cells the
 * model puts into the queue, measured on test patients and shipped in metadata.json), a parasitaemia
 * p is seen (≥ 1 parasitized cell reaches the reviewer) with probability 1 − (1 − p·r)^N. The lowest
 * p seen with 95 % probability is (1 − 0.05^(1/N)) / r ≈ 3 / (N·r).
 */
import { decisionOf, inQueue, type ReviewedCell } from './review-rules.js';

export type SlideVerdictKind = 'positive' | 'negative' | 'incomplete';

export interface ReviewCounts {
  /** Detected red cells (Parasitized + Uninfected + Inconclusive) less those rejected as white cells. */
  redCells: number;
  /** Detected white cells plus red-cell detections the reviewer rejected as white cells. */
  whiteBloodCells: number;
  /** Cells in the review queue. */
  queued: number;
  pending: number;
  confirmed: number;
  rejected: number;
  unsure: number;
}

export const ZERO_REVIEW_COUNTS: Readonly<ReviewCounts> = Object.freeze({
  redCells: 0,
  whiteBloodCells: 0,
  queued: 0,
  pending: 0,
  confirmed: 0,
  rejected: 0,
  unsure: 0,
});

export function countReviews(fields: readonly { cells: readonly ReviewedCell[] }[]): ReviewCounts {
  const c: ReviewCounts = { ...ZERO_REVIEW_COUNTS };
  for (const f of fields) {
    for (const cell of f.cells) {
      if (cell.label === 'WhiteBloodCell') {
        c.whiteBloodCells++;
        continue;
      }
      // Not a red cell (platelet, debris, fragment): neither counted nor reviewed.
      if (cell.label === 'Artefact') continue;
      const asWhite = cell.review?.decision === 'rejected' && cell.review.reason === 'white-cell';
      if (asWhite) c.whiteBloodCells++;
      else c.redCells++;
      if (!inQueue(cell)) continue;
      c.queued++;
      c[decisionOf(cell)]++;
    }
  }
  return c;
}

export interface Interval {
  low: number;
  high: number;
}

/** 95 % Wilson score interval for k successes in n trials (proportions 0–1); null when n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959964): Interval | null {
  if (!(n > 0) || k < 0 || k > n) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Exact ends at k = 0 and k = n (the formula leaves ~1e-19 of rounding there).
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** WHO practice: count more cells when parasitaemia is low (2,000 red cells below 1 %). */
export const MIN_RED_CELLS_TO_QUANTIFY = 1000;
export const MIN_RED_CELLS_TO_QUANTIFY_BELOW_1_PERCENT = 2000;

export interface ParasitaemiaEstimate {
  /** Percent (0–100) of red cells confirmed parasitized. */
  percent: number;
  /** 95 % Wilson interval, percent. */
  lowPercent: number;
  highPercent: number;
  confirmed: number;
  redCells: number;
  /** False when too few red cells were counted to quantify it (WHO practice), see `cellsNeeded`. */
  quantifiable: boolean;
  /** Red cells the WHO practice asks for at this density. */
  cellsNeeded: number;
}

export function parasitaemiaEstimate(confirmed: number, redCells: number): ParasitaemiaEstimate | null {
  const ci = wilsonInterval(confirmed, redCells);
  if (!ci) return null;
  const percent = (confirmed / redCells) * 100;
  const cellsNeeded = percent < 1 ? MIN_RED_CELLS_TO_QUANTIFY_BELOW_1_PERCENT : MIN_RED_CELLS_TO_QUANTIFY;
  return {
    percent,
    lowPercent: ci.low * 100,
    highPercent: ci.high * 100,
    confirmed,
    redCells,
    quantifiable: redCells >= cellsNeeded,
    cellsNeeded,
  };
}

/** Lowest parasitaemia (percent) seen with probability `power` after N red cells, queue recall r. */
export function detectionLimitPercent(redCells: number, queueRecall: number, power = 0.95): number | null {
  if (!(redCells > 0) || !(queueRecall > 0) || queueRecall > 1) return null;
  const p = (1 - Math.pow(1 - power, 1 / redCells)) / queueRecall;
  return Math.min(1, p) * 100;
}

/** Something the slide still needs before it can be called negative. */
export interface MissingItem {
  /** 'red-cells': more red cells to reach the target; 'pending': flagged cells not reviewed; 'unsure': cells marked unsure. */
  kind: 'red-cells' | 'pending' | 'unsure';
  count: number;
}

export interface SlideResult {
  verdict: SlideVerdictKind;
  /** For 'incomplete': each thing still missing. Empty otherwise. Words: the app's, in its language. */
  missing: MissingItem[];
  counts: ReviewCounts;
  target: number;
  /** From confirmed cells; null when no red cell was counted. */
  parasitaemia: ParasitaemiaEstimate | null;
  /** Lowest parasitaemia (%) this count would have shown with 95 % probability; null when unknown. */
  detectionLimitPercent: number | null;
  queueRecall: number | null;
}

/**
 * The slide result from the stored cells and their reviews. `queueRecall` comes from the model's
 * metadata (`reviewQueue.recall`); null when the model ships none (the detection limit is then not
 * stated).
 */
export function slideResult(
  fields: readonly { cells: readonly ReviewedCell[] }[],
  targetRedCells: number,
  queueRecall: number | null,
): SlideResult {
  const counts = countReviews(fields);
  const target = Math.max(1, Math.round(Number.isFinite(targetRedCells) ? targetRedCells : 1000));
  const parasitaemia = parasitaemiaEstimate(counts.confirmed, counts.redCells);
  const limit = queueRecall === null ? null : detectionLimitPercent(counts.redCells, queueRecall);
  const base = { counts, target, parasitaemia, detectionLimitPercent: limit, queueRecall };
  if (counts.confirmed > 0) return { ...base, verdict: 'positive', missing: [] };
  const missing: MissingItem[] = [];
  if (counts.redCells < target) missing.push({ kind: 'red-cells', count: target - counts.redCells });
  if (counts.pending > 0) missing.push({ kind: 'pending', count: counts.pending });
  if (counts.unsure > 0) missing.push({ kind: 'unsure', count: counts.unsure });
  return { ...base, verdict: missing.length === 0 ? 'negative' : 'incomplete', missing };
}
