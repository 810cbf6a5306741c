/**
 * Record migrations (pure): how a v1 or v2 record becomes a v3 record. The database upgrade that
 * applies them inside IndexedDB's `versionchange` transaction is src/services/records/db-upgrade.ts;
 * the archive import applies them to old archives.
 *
 * v1 → v2: embedded fields move to the `fields` store, dates become epoch ms, search key added.
 * v2 → v3: every cell gets `review: null`, every field `evidence: []`; every session gets
 *   `reviewer: null`, `review` (counted from its cells), `legacyModelVerdict` = its v2 model-only
 *   verdict and `verdict: null` (no review-based result exists yet). `endedAt` and `updatedAt` are
 *   unchanged, so an ended session stays ended. A v1 database goes through both steps.
 */
import { countCells } from '../cells/cell-counts.js';
import { toSessionCell, type SessionCell } from '../slide/field-result.js';
import { countReviews, type ReviewCounts } from '@malaria/contract';
import { DEFAULT_SLIDE_VERDICT_RULE, type SlideVerdict } from '@malaria/contract';
import { identifierKey, type FieldRecord, type SessionRecord, type StoredVerdict } from './schema.js';
import { combineReviewCounts } from './session-review.js';
import { ZERO_REVIEW_COUNTS } from '@malaria/contract';

/** The v1 session layout (kept only so the migration and its test can read it). */
export interface V1Session {
  id: string;
  identifier: string;
  /** ISO 8601. */
  createdAt: string;
  endedAt?: string | null;
  target?: number;
  redCells: number;
  parasitized: number;
  inconclusive: number;
  verdict?: SlideVerdict | null;
  fields?: { name: string; width: number; height: number; cells: unknown[] }[];
}

/** The v2 session layout (v2 databases and v2 archives). */
export type V2SessionRecord = Omit<SessionRecord, 'verdict' | 'legacyModelVerdict' | 'reviewer' | 'review'> & {
  verdict: StoredVerdict | null;
};

/** The v2 field layout: cells without `review`, no `evidence`. */
export type V2FieldRecord = Omit<FieldRecord, 'cells' | 'evidence'> & { cells: SessionCell[] };

function toMillis(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/** Converts one v1 session into the v2 session + field records. Pure; exported for tests. */
export function migrateV1Session(old: V1Session): { session: V2SessionRecord; fields: V2FieldRecord[] } {
  const confidentProbability = DEFAULT_SLIDE_VERDICT_RULE.confidentProbability;
  const createdAt = toMillis(old.createdAt) ?? Date.now();
  const endedAt = toMillis(old.endedAt ?? null);
  const fields: V2FieldRecord[] = (old.fields ?? []).map((f, i) => {
    const cells: SessionCell[] = [];
    for (const raw of f.cells) {
      try {
        cells.push(toSessionCell(raw));
      } catch {
        // an unreadable cell is dropped; the session totals below keep the v1 counters
      }
    }
    return {
      id: `${old.id}-f${i + 1}`,
      sessionId: old.id,
      index: i + 1,
      addedAt: createdAt,
      kind: 'field',
      name: f.name,
      width: f.width,
      height: f.height,
      cells,
      image: null,
    };
  });
  // Totals: the v1 counters are the record of truth (they were shown to the clinician);
  // the finer split comes from the cells where they are present.
  const fromCells = countCells(
    fields.flatMap((f) => f.cells),
    confidentProbability,
  );
  const totals = {
    redCells: old.redCells,
    parasitized: old.parasitized,
    inconclusive: old.inconclusive,
    uninfected: Math.max(0, old.redCells - old.parasitized - old.inconclusive),
    whiteBloodCells: fromCells.whiteBloodCells,
    confidentParasitized: fromCells.confidentParasitized,
  };
  const session: V2SessionRecord = {
    id: old.id,
    identifier: old.identifier,
    identifierKey: identifierKey(old.identifier),
    createdAt,
    updatedAt: endedAt ?? createdAt,
    endedAt,
    targetRedCells: old.target ?? 1000,
    bloodCount: null,
    totals,
    confidentProbability,
    fieldCount: fields.length,
    verdict: old.verdict
      ? {
          verdict: old.verdict,
          reason: 'Recorded by an earlier version of the app (schema v1), which did not store the rule.',
          rule: null,
          ruleFromModel: false,
          decidedAt: endedAt ?? createdAt,
        }
      : null,
    modelName: null,
  };
  return { session, fields };
}

/** Converts one v2 field to v3: every cell gets `review: null`, the field `evidence: []`. Pure. */
export function migrateV2Field(old: V2FieldRecord): FieldRecord {
  const cells = Array.isArray(old.cells) ? old.cells : [];
  return { ...old, cells: cells.map((c) => ({ ...c, review: null })), evidence: [] };
}

/**
 * Converts one v2 session to v3. `review` is the countReviews of its (migrated) fields' cells. The
 * old verdict was model-only: it is kept as `legacyModelVerdict`, and `verdict` (the review-based
 * result) starts null. Pure.
 */
export function migrateV2Session(old: V2SessionRecord, review: ReviewCounts): SessionRecord {
  const { verdict, ...rest } = old;
  return {
    ...rest,
    reviewer: null,
    review: { ...review },
    verdict: null,
    legacyModelVerdict: verdict ?? null,
  };
}

/** Converts v2 sessions and fields (a v2 archive) to v3, counting each session's reviews. Pure. */
export function migrateV2Records(
  sessions: readonly V2SessionRecord[],
  fields: readonly V2FieldRecord[],
): { sessions: SessionRecord[]; fields: FieldRecord[] } {
  const newFields = fields.map(migrateV2Field);
  const counts = reviewCountsBySession(newFields);
  return {
    sessions: sessions.map((s) => migrateV2Session(s, counts.get(s.id) ?? ZERO_REVIEW_COUNTS)),
    fields: newFields,
  };
}

/** countReviews per session id over the given fields. */
export function reviewCountsBySession(
  fields: readonly Pick<FieldRecord, 'sessionId' | 'cells'>[],
): Map<string, ReviewCounts> {
  const out = new Map<string, ReviewCounts>();
  for (const f of fields) {
    out.set(f.sessionId, combineReviewCounts(out.get(f.sessionId) ?? ZERO_REVIEW_COUNTS, countReviews([f])));
  }
  return out;
}
