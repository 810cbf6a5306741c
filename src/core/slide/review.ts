/**
 * The microscopist's review of the cells the model flags. Pure: no DOM, no storage.
 *
 * Why: on real photos ~0.3–1 % of healthy red cells are called Parasitized (stain debris, platelets on
 * a cell), so no model threshold makes an automatic slide verdict safe. The model ranks; a person
 * confirms or rejects every flagged cell; the slide result (./slide-result.ts) rests on what was
 * confirmed.
 *
 * A cell is in the review queue when the model labelled it Parasitized or Inconclusive, or when the
 * user added it by hand (its review exists, even if still 'pending'). The queue is ordered most
 * suspicious first: P(Parasitized) descending, ties by field order then cell order, so the order is
 * stable across reloads and devices.
 */
import {
  decisionOf,
  flaggedByModel,
  inQueue,
  REJECT_REASONS,
  REVIEW_DECISIONS,
  type CellLabel,
  type CellReview,
  type ReviewedCell,
  type RejectReason,
  type ReviewDecision,
} from '@malaria/contract';
import { UserFacingError } from '../shared/user-facing-error.js';

/** A cell of a session, addressed by its image and its position in that image's cell list. */
export interface CellRef {
  /** The stored image (FieldRecord.id). */
  fieldId: string;
  /** Index into that image's `cells`. */
  cell: number;
}

export function sameCell(a: CellRef, b: CellRef): boolean {
  return a.fieldId === b.fieldId && a.cell === b.cell;
}

export function cellKey(ref: CellRef): string {
  return `${ref.fieldId}#${ref.cell}`;
}

export interface QueueField {
  id: string;
  /** Order of the image in the session (1-based); ties in the queue follow it. */
  index: number;
  name: string;
  cells: readonly QueueCell[];
}

/** What the queue reads of a cell (a stored SessionCell has all of it). */
export interface QueueCell extends ReviewedCell {
  x: number;
  y: number;
  probability: number;
}

export interface QueueItem extends CellRef {
  fieldName: string;
  fieldIndex: number;
  x: number;
  y: number;
  modelLabel: CellLabel;
  probability: number;
  decision: ReviewDecision;
  reason: RejectReason | null;
  /** True when only the user put it in the queue (the model called it Uninfected). */
  addedByUser: boolean;
}

/** Every queued cell of the given images, most suspicious first. */
export function buildQueue(fields: readonly QueueField[]): QueueItem[] {
  const items: QueueItem[] = [];
  for (const f of fields) {
    f.cells.forEach((c, i) => {
      if (!inQueue(c)) return;
      items.push({
        fieldId: f.id,
        cell: i,
        fieldName: f.name,
        fieldIndex: f.index,
        x: c.x,
        y: c.y,
        modelLabel: c.label,
        probability: c.probability,
        decision: decisionOf(c),
        reason: c.review?.reason ?? null,
        addedByUser: !flaggedByModel(c),
      });
    });
  }
  return items.sort((a, b) => b.probability - a.probability || a.fieldIndex - b.fieldIndex || a.cell - b.cell);
}

export interface QueueProgress {
  total: number;
  pending: number;
  confirmed: number;
  rejected: number;
  unsure: number;
}

export function queueProgress(queue: readonly Pick<QueueItem, 'decision'>[]): QueueProgress {
  const p: QueueProgress = { total: queue.length, pending: 0, confirmed: 0, rejected: 0, unsure: 0 };
  for (const q of queue) p[q.decision]++;
  return p;
}

export class ReviewError extends UserFacingError {
  override name = 'ReviewError';
  constructor(message: string) {
    super('review', message);
  }
}

/**
 * The review a decision produces. `reason` is kept only for rejections. A 'pending' review on a cell
 * the model did not flag is how a user adds a cell to the queue.
 */
export function makeReview(decision: ReviewDecision, at: number, reason: RejectReason | null = null): CellReview {
  if (!Number.isFinite(at)) throw new ReviewError('review time must be a finite number');
  if (reason !== null && !REJECT_REASONS.includes(reason)) throw new ReviewError(`unknown reason "${String(reason)}"`);
  return { decision, reason: decision === 'rejected' ? reason : null, at };
}

/**
 * The next queue position to show after a decision: the first pending item after `from`, wrapping
 * around; `from` itself when nothing is pending.
 */
export function nextPending(queue: readonly Pick<QueueItem, 'decision'>[], from: number): number {
  const n = queue.length;
  if (n === 0) return 0;
  for (let step = 1; step <= n; step++) {
    const i = (from + step) % n;
    if (queue[i]?.decision === 'pending') return i;
  }
  return Math.min(Math.max(0, from), n - 1);
}

/** Validates an untrusted review (imports, old records). Returns null for null/undefined. */
export function toCellReview(raw: unknown, what = 'review'): CellReview | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ReviewError(`${what} must be an object or null`);
  const r = raw as Record<string, unknown>;
  if (typeof r.decision !== 'string' || !(REVIEW_DECISIONS as readonly string[]).includes(r.decision)) {
    throw new ReviewError(`${what}.decision must be one of ${REVIEW_DECISIONS.join(', ')}`);
  }
  const reason = r.reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || !(REJECT_REASONS as readonly string[]).includes(reason))) {
    throw new ReviewError(`${what}.reason must be null or one of ${REJECT_REASONS.join(', ')}`);
  }
  if (typeof r.at !== 'number' || !Number.isFinite(r.at) || r.at < 0 || r.at > 8.64e15) {
    throw new ReviewError(`${what}.at must be a time in epoch milliseconds`);
  }
  return makeReview(r.decision as ReviewDecision, r.at, reason as RejectReason | null);
}
