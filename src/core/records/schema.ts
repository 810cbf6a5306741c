/**
 * On-device records: IndexedDB database layout (current version 2) and the record types.
 *
 * v1 (first release of slide sessions): one store `sessions` (keyPath `id`, index `createdAt`) with
 *   each session's fields embedded (no images), `createdAt` as an ISO string and flat counters.
 * v2 (current): `sessions` holds one summary per session (totals, verdict with its rule, blood count,
 *   identifier search key); `fields` holds each image (downscaled bytes) and its per-cell results,
 *   indexed by session. See migrations.ts for the v1 → v2 upgrade.
 */
import type { DBSchema } from 'idb';
import type { SlideVerdictRule } from '../model-metadata.js';
import type { SlideCounts } from '../slide/counts.js';
import type { FieldKind, SessionCell } from '../slide/field-result.js';
import type { BloodCountInput } from '../slide/parasitaemia.js';
import type { SlideVerdict } from '../slide/verdict.js';

export const DB_NAME = 'malaria-screen-records';
export const DB_VERSION = 2;

export interface StoredVerdict {
  verdict: SlideVerdict;
  reason: string;
  /** The rule applied; null only for verdicts migrated from v1, which did not store it. */
  rule: SlideVerdictRule | null;
  ruleFromModel: boolean;
  decidedAt: number;
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
  /** Running totals over all fields (confident = P ≥ `confidentProbability`). */
  totals: SlideCounts;
  confidentProbability: number;
  fieldCount: number;
  verdict: StoredVerdict | null;
  modelName: string | null;
}

/** A downscaled copy of the photo (bytes, not a Blob: portable across browsers' IndexedDB). */
export interface StoredImage {
  bytes: ArrayBuffer;
  type: string;
  width: number;
  height: number;
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
  cells: SessionCell[];
  image: StoredImage | null;
}

export interface RecordsDbSchema extends DBSchema {
  sessions: {
    key: string;
    value: SessionRecord;
    indexes: { createdAt: number; identifierKey: string };
  };
  fields: {
    key: string;
    value: FieldRecord;
    indexes: { sessionId: string };
  };
}

export function identifierKey(identifier: string): string {
  return identifier.trim().toLowerCase();
}
