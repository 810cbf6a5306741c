/**
 * On-device records: IndexedDB database layout (current version 3) and the record types.
 *
 * v1 (first release of slide sessions): one store `sessions` (keyPath `id`, index `createdAt`) with
 *   each session's fields embedded (no images), `createdAt` as an ISO string and flat counters.
 * v2: `sessions` holds one summary per session (model label totals, model-rule verdict with its
 *   rule, blood count, identifier search key); `fields` holds each image (downscaled bytes) and its
 *   per-cell results, indexed by session.
 * v3 (current) — the microscopist's review. Same stores and indexes as v2; the records change:
 *   - every stored cell has `review` (CellReview | null, null = nobody looked at it yet);
 *   - every field has `evidence` (CellEvidence[]): for queued cells, the neighbourhood crop shown on
 *     the review screen (≤ 256 px side) with its full-resolution region, and the "where" map;
 *   - sessions have `reviewer` (name/initials or null), `review` (ReviewCounts over all their cells,
 *     kept up to date on every write like `totals`), `verdict` = the review-based slide result
 *     (StoredResult | null) and `legacyModelVerdict` = the v2 model-only verdict (set only by the
 *     v2 → v3 migration or a v2 archive import; always null for sessions started in v3).
 *   - `totals` (model label counts) and `confidentProbability` are kept unchanged: they are what the
 *     model called, shown next to the review counts and exported in the CSVs.
 * See migrations.ts for the upgrades (v1 → v2 → v3, each all-or-nothing).
 */
import type { SlideVerdictRule } from '@malaria/contract';
import type { CellCounts } from '../cells/cell-counts.js';
import type { FieldKind, SessionCell } from '../slide/field-result.js';
import type { Box } from '../field/field-types.js';
import type { BloodCountInput } from '../slide/parasitaemia.js';
import type { CellReview } from '@malaria/contract';
import type { ReviewCounts, SlideVerdictKind } from '@malaria/contract';
import type { SlideVerdict } from '@malaria/contract';

export const DB_NAME = 'malaria-screen-records';
export const DB_VERSION = 3;

/** The v2 model-only verdict (from the model's slide-verdict rule); v3 keeps it as `legacyModelVerdict`. */
export interface StoredVerdict {
  verdict: SlideVerdict;
  reason: string;
  /** The rule applied; null only for verdicts migrated from v1, which did not store it. */
  rule: SlideVerdictRule | null;
  ruleFromModel: boolean;
  decidedAt: number;
}

/** Alias that says what a StoredVerdict is in v3: a model-only estimate from an older version. */
export type LegacyModelVerdict = StoredVerdict;

/** The slide result when the session was ended: from the microscopist's review (slide-result.ts). */
export interface StoredResult {
  verdict: SlideVerdictKind;
  reason: string;
  /** For 'incomplete': what was still missing, in words. Empty otherwise. */
  missing: string[];
  /** Epoch milliseconds. */
  decidedAt: number;
  /** The session's reviewer when the result was stored. */
  reviewer: string | null;
}

export interface SessionRecord {
  id: string;
  /** Free-text patient/slide identifier exactly as entered. */
  identifier: string;
  /** identifier trimmed + lower-cased, for search. */
  identifierKey: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
  targetRedCells: number;
  bloodCount: BloodCountInput | null;
  /** Running model label totals over all fields (confident = P ≥ `confidentProbability`). */
  totals: CellCounts;
  confidentProbability: number;
  fieldCount: number;
  /** Who reviews the cells (name or initials, ≤ 100 characters), or null when not entered. */
  reviewer: string | null;
  /** Review counts over every cell of the session (countReviews), kept up to date on every write. */
  review: ReviewCounts;
  /** The review-based slide result stored when the session was ended; null while open. */
  verdict: StoredResult | null;
  /** The model-only verdict of a session ended before v3 (migration / v2 import); null otherwise. */
  legacyModelVerdict: LegacyModelVerdict | null;
  modelName: string | null;
}

/** A downscaled copy of the photo (bytes, not a Blob: portable across browsers' IndexedDB). */
export interface StoredImage {
  bytes: ArrayBuffer;
  type: string;
  width: number;
  height: number;
}

/** A cell as stored: every v3 cell has `review` (null while nobody has looked at it). */
export type StoredCell = Omit<SessionCell, 'review'> & { review: CellReview | null };

/** The "where" map of one cell (src/core/review/where-map.ts), as stored. */
export interface WhereMapRecord {
  width: number;
  height: number;
  /** width × height bytes, 0–255, row-major. */
  values: ArrayBuffer;
  /** The full-resolution upright region the map covers (the cell's box). */
  box: Box;
}

/** What the review screen shows for one queued cell, kept so a reload mid-review loses nothing. */
export interface CellEvidence {
  /** Index into the field's `cells`. */
  cell: number;
  /** The neighbourhood crop (≤ 256 px on its long side). */
  image: StoredImage;
  /** The crop's region in upright full-resolution pixels. */
  region: Box;
  where: WhereMapRecord | null;
}

export interface FieldRecord {
  id: string;
  sessionId: string;
  /** 1-based order within the session. */
  index: number;
  addedAt: number;
  kind: FieldKind;
  name: string;
  /** Upright size of the analysed image; cell coordinates use this grid. */
  width: number;
  height: number;
  cells: StoredCell[];
  image: StoredImage | null;
  /** At most one entry per cell; cell indices within `cells`. */
  evidence: CellEvidence[];
  /**
   * SHA-256 (hex) of the photo's file bytes, so the same photo is not added to a slide twice. Absent
   * on images stored before it was kept, and not exported (the archive format is unchanged), so an
   * imported image has none: only images added on this device are checked.
   */
  digest?: string;
}

export function identifierKey(identifier: string): string {
  return identifier.trim().toLowerCase();
}
