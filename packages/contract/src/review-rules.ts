/**
 * The review rules the app and training's patient-level evaluation share: which cells a person must
 * look at (the queue), and what a decision is. Why a queue at all: on real photos ~0.3–1 % of healthy
 * red cells are called Parasitized (stain debris, platelets on a cell), so no model threshold makes an
 * automatic slide verdict safe; the model ranks, a person confirms or rejects every flagged cell.
 */
import { isRedCellLabel, type CellLabel } from './labels.js';

export type ReviewDecision = 'pending' | 'confirmed' | 'rejected' | 'unsure';

export const REVIEW_DECISIONS: readonly ReviewDecision[] = ['pending', 'confirmed', 'rejected', 'unsure'];

/** Why a flagged cell is not a parasite (optional). */
export type RejectReason = 'stain-debris' | 'platelet' | 'overlapping-cell' | 'white-cell' | 'out-of-focus';

export const REJECT_REASONS: readonly RejectReason[] = [
  'stain-debris',
  'platelet',
  'overlapping-cell',
  'white-cell',
  'out-of-focus',
];

export interface CellReview {
  decision: ReviewDecision;
  /** Only for 'rejected'; null otherwise or when no reason was given. */
  reason: RejectReason | null;
  /** Epoch milliseconds of the decision. */
  at: number;
}

/** What the rules read of a cell: its label and, once somebody looked, the review. */
export interface ReviewedCell {
  readonly label: CellLabel;
  readonly review?: CellReview | null;
}

/** Whether the model's own label puts the cell in the queue. */
export function flaggedByModel(cell: { readonly label: CellLabel }): boolean {
  return cell.label === 'Parasitized' || cell.label === 'Inconclusive';
}

/**
 * In the queue: flagged by the model, or added by the user (a review exists). Only red cells: a
 * white blood cell or an artefact is never queued, even with a stray review.
 */
export function inQueue(cell: ReviewedCell): boolean {
  return flaggedByModel(cell) || (cell.review != null && isRedCellLabel(cell.label));
}

/** The decision shown for a cell ('pending' when nobody decided yet). */
export function decisionOf(cell: { readonly review?: CellReview | null }): ReviewDecision {
  return cell.review?.decision ?? 'pending';
}
