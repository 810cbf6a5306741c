/**
 * A session record never contradicts its cells. Everything a session says about its images is
 * derived from the stored cells (`deriveSession`), on import, on open and on export:
 *  - `fieldCount` = the number of its images; image numbers (`index`) are exactly 1…n, unique
 *    (duplicates or gaps — e.g. images from two devices — are renumbered by the time each image
 *    was added);
 *  - `totals` = countCells of all its cells (with the session's confidentProbability);
 *  - `review` = countReviews of all its cells;
 *  - a stored review result (`verdict`) is kept only on an ended session and only when its cells
 *    give the same verdict (slideResult); otherwise it is removed and the session re-opened;
 *  - a model-only verdict of an older version (`legacyModelVerdict`, on a session still ended as
 *    it was then) is kept only when its own rule applied to its cells gives the same verdict.
 * Pure; idempotent (deriving a derived session changes nothing).
 */
import { countCells, type CellCounts } from '../cells/cell-counts.js';
import { countReviews, slideResult, type ReviewCounts } from '@malaria/contract';
import { modelRuleVerdict } from '@malaria/contract';
import type { FieldRecord, SessionRecord } from './schema.js';
import { sameReviewCounts } from './session-review.js';

export interface DerivedSession {
  session: SessionRecord;
  /** The session's images in order (index 1…n). */
  fields: FieldRecord[];
  /** Images whose number changed (to write back). */
  renumbered: FieldRecord[];
  /** What was corrected, in words; empty when the record already agreed with its cells. */
  repairs: string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

function sameCounts(a: CellCounts, b: CellCounts): boolean {
  return (
    a.redCells === b.redCells &&
    a.parasitized === b.parasitized &&
    a.uninfected === b.uninfected &&
    a.inconclusive === b.inconclusive &&
    a.whiteBloodCells === b.whiteBloodCells &&
    a.confidentParasitized === b.confidentParasitized
  );
}

function countsText(c: CellCounts): string {
  return `${fmt(c.redCells)} red cells, ${fmt(c.parasitized)} parasitized`;
}

function reviewText(c: ReviewCounts): string {
  return `${fmt(c.redCells)} red cells, ${fmt(c.confirmed)} confirmed, ${fmt(c.pending)} pending`;
}

/** Sessions' images in the order they were added (ties: old number, then id). */
export function byTimeAdded(a: FieldRecord, b: FieldRecord): number {
  return a.addedAt - b.addedAt || a.index - b.index || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether the images are numbered exactly 1…n (in any order given). */
export function numberedOneToN(fields: readonly Pick<FieldRecord, 'index'>[]): boolean {
  const seen = new Set<number>();
  for (const f of fields) {
    if (!Number.isInteger(f.index) || f.index < 1 || f.index > fields.length || seen.has(f.index)) return false;
    seen.add(f.index);
  }
  return true;
}

/** The session and its images with every derived value recomputed from the cells. */
export function deriveSession(session: SessionRecord, fields: readonly FieldRecord[]): DerivedSession {
  const repairs: string[] = [];
  let ordered: FieldRecord[];
  const renumbered: FieldRecord[] = [];
  if (numberedOneToN(fields)) {
    ordered = [...fields].sort((a, b) => a.index - b.index);
  } else {
    const old = fields.map((f) => f.index).sort((a, b) => a - b);
    ordered = [...fields].sort(byTimeAdded).map((f, i) => {
      if (f.index === i + 1) return f;
      const moved = { ...f, index: i + 1 };
      renumbered.push(moved);
      return moved;
    });
    const shown = old.length > 12 ? `${old.slice(0, 12).join(', ')}, …` : old.join(', ');
    repairs.push(
      `image numbers (${shown}) had duplicates or gaps: renumbered 1–${ordered.length} in the order the images were added`,
    );
  }
  let out = session;
  const patch = (p: Partial<SessionRecord>) => {
    out = { ...out, ...p };
  };
  if (session.fieldCount !== ordered.length) {
    repairs.push(`it said ${fmt(session.fieldCount)} images but has ${fmt(ordered.length)}`);
    patch({ fieldCount: ordered.length });
  }
  const totals = countCells(
    ordered.flatMap((f) => f.cells),
    session.confidentProbability,
  );
  if (!sameCounts(totals, session.totals)) {
    repairs.push(`its model counts said ${countsText(session.totals)}; its cells give ${countsText(totals)}`);
    patch({ totals });
  }
  const review = countReviews(ordered);
  if (!sameReviewCounts(review, session.review)) {
    repairs.push(`its review counts said ${reviewText(session.review)}; its cells give ${reviewText(review)}`);
    patch({ review });
  }
  if (out.verdict !== null) {
    const given = slideResult(ordered, out.targetRedCells, null).verdict;
    if (out.endedAt === null) {
      repairs.push('it held a slide result but was not ended: result removed');
      patch({ verdict: null });
    } else if (given !== out.verdict.verdict) {
      repairs.push(
        `its stored result (${out.verdict.verdict}) is not what its cells give (${given}): result removed and the slide re-opened`,
      );
      patch({ verdict: null, endedAt: null });
    }
  }
  const legacy = out.legacyModelVerdict;
  if (legacy?.rule && out.endedAt !== null && out.verdict === null) {
    const counts = countCells(
      ordered.flatMap((f) => f.cells),
      legacy.rule.confidentProbability,
    );
    const given = modelRuleVerdict(counts, legacy.rule);
    if (given !== legacy.verdict) {
      repairs.push(
        `its model-only verdict from an older version (${legacy.verdict}) is not what its own rule gives on its cells (${given}): removed`,
      );
      patch({ legacyModelVerdict: null });
    }
  }
  return { session: out, fields: ordered, renumbered, repairs };
}

/** Groups images by session id. */
export function fieldsBySession<F extends { sessionId: string }>(fields: readonly F[]): Map<string, F[]> {
  const out = new Map<string, F[]>();
  for (const f of fields) {
    const list = out.get(f.sessionId);
    if (list) list.push(f);
    else out.set(f.sessionId, [f]);
  }
  return out;
}
