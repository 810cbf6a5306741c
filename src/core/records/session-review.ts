/** Review bookkeeping for session records (schema v3): counts arithmetic, reviewer names, cells. */
import type { SessionCell } from '../slide/field-result.js';
import { ZERO_REVIEW_COUNTS, type ReviewCounts } from '@malaria/contract';
import type { StoredCell } from './schema.js';

const KEYS = Object.keys(ZERO_REVIEW_COUNTS) as (keyof ReviewCounts)[];

/** a + sign × b, key by key. */
export function combineReviewCounts(a: ReviewCounts, b: ReviewCounts, sign: 1 | -1 = 1): ReviewCounts {
  const out = { ...ZERO_REVIEW_COUNTS };
  for (const k of KEYS) out[k] = a[k] + sign * b[k];
  return out;
}

export function sameReviewCounts(a: ReviewCounts, b: ReviewCounts): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}

export const REVIEWER_MAX_LENGTH = 100;

/** Trims a reviewer name; empty → null. Throws when longer than REVIEWER_MAX_LENGTH characters. */
export function normaliseReviewer(name: string | null | undefined): string | null {
  const t = (name ?? '').trim();
  if (!t) return null;
  if (t.length > REVIEWER_MAX_LENGTH) {
    throw new Error(`The reviewer's name is too long (at most ${REVIEWER_MAX_LENGTH} characters).`);
  }
  return t;
}

/**
 * Cells as stored in v3: exactly the SessionCell properties (nothing else a caller's objects may
 * carry), with `review` always present (null when absent).
 */
export function toStoredCells(cells: readonly SessionCell[]): StoredCell[] {
  return cells.map((c) => ({
    x: c.x,
    y: c.y,
    box: { x: c.box.x, y: c.box.y, width: c.box.width, height: c.box.height },
    label: c.label,
    probability: c.probability,
    review: c.review ? { decision: c.review.decision, reason: c.review.reason, at: c.review.at } : null,
  }));
}
