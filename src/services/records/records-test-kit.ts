/**
 * Test helpers for the records tests (records-trust.test.ts, records-fuzz.test.ts): records built
 * directly, raw database access (what is really stored, not what the store's reads derive), and the
 * invariants every stored session must satisfy. Not part of the app bundle.
 */
import { openDB } from 'idb';
import { countCells } from '../../core/cells/cell-counts.js';
import type { SessionCell } from '../../core/slide/field-result.js';
import type { CellReview } from '@malaria/contract';
import { countReviews, slideResult } from '@malaria/contract';
import { buildArchive, type RecordsArchive } from '../../core/records/archive.js';
import { modelRuleVerdict } from '@malaria/contract';
import type { FieldRecord, SessionRecord, StoredCell } from '../../core/records/schema.js';
import { identifierKey } from '../../core/records/schema.js';
import { sameReviewCounts } from '../../core/records/session-review.js';
import { ZERO_REVIEW_COUNTS } from '@malaria/contract';
import { ZERO_COUNTS } from '../../core/cells/cell-counts.js';

/** 2023-11-14T22:13:20Z: a plausible time for every record the tests build. */
export const T0 = 1_700_000_000_000;

export function makeCell(
  label: SessionCell['label'],
  probability: number,
  x = 10,
  y = 20,
  review: CellReview | null = null,
): StoredCell {
  return { x, y, box: { x: x - 5, y: y - 5, width: 10, height: 10 }, label, probability, review };
}

export function makeField(
  id: string,
  sessionId: string,
  index: number,
  cells: StoredCell[],
  addedAt = T0 + index * 1000,
): FieldRecord {
  return {
    id,
    sessionId,
    index,
    addedAt,
    kind: 'field',
    name: `${id}.jpg`,
    width: 640,
    height: 480,
    cells,
    image: { bytes: new Uint8Array([index % 256, 1, 2, 3]).buffer, type: 'image/webp', width: 64, height: 48 },
    evidence: [],
  };
}

/** A session whose derived values agree with `fields`. */
export function makeSession(
  id: string,
  identifier: string,
  fields: readonly FieldRecord[],
  over: Partial<SessionRecord> = {},
): SessionRecord {
  const base: SessionRecord = {
    id,
    identifier,
    identifierKey: identifierKey(identifier),
    createdAt: T0,
    updatedAt: T0 + 100_000,
    endedAt: null,
    targetRedCells: 1000,
    bloodCount: null,
    totals: countCells(
      fields.flatMap((f) => f.cells),
      0.825,
    ),
    confidentProbability: 0.825,
    fieldCount: fields.length,
    reviewer: null,
    review: countReviews(fields),
    verdict: null,
    legacyModelVerdict: null,
    modelName: 'test-model',
  };
  return { ...base, ...over, identifierKey: identifierKey(over.identifier ?? identifier) };
}

/** An archive as a file holds it (JSON text parsed back). */
export function archiveOf(sessions: readonly SessionRecord[], fields: readonly FieldRecord[]): RecordsArchive {
  return JSON.parse(JSON.stringify(buildArchive(sessions, fields, new Date(T0)))) as RecordsArchive;
}

export interface RawRecords {
  sessions: SessionRecord[];
  fields: FieldRecord[];
}

/** What is really in the database (a second connection; no derivation). */
export async function rawRecords(name: string): Promise<RawRecords> {
  const db = await openDB(name);
  try {
    const sessions = (await db.getAll('sessions')) as SessionRecord[];
    const fields = (await db.getAll('fields')) as FieldRecord[];
    return { sessions, fields };
  } finally {
    db.close();
  }
}

/** Writes a record straight into the database, as a bug, another app or devtools could. */
export async function putRaw(name: string, storeName: 'sessions' | 'fields', value: unknown): Promise<void> {
  const db = await openDB(name);
  try {
    await db.put(storeName, value);
  } finally {
    db.close();
  }
}

function sameTotals(a: SessionRecord['totals'], b: SessionRecord['totals']): boolean {
  return (Object.keys(ZERO_COUNTS) as (keyof SessionRecord['totals'])[]).every((k) => a[k] === b[k]);
}

/**
 * Every way a stored session can contradict its cells, in words (empty: none). Checks: image count,
 * numbering 1…n unique, model totals, review counts, a stored result only on an ended session and
 * equal to what the cells give, a legacy verdict on an untouched ended session equal to what its
 * rule gives, no image without its session.
 */
export function contradictions(raw: RawRecords): string[] {
  const out: string[] = [];
  const ids = new Set(raw.sessions.map((s) => s.id));
  for (const f of raw.fields) if (!ids.has(f.sessionId)) out.push(`image ${f.id} has no session (${f.sessionId})`);
  for (const s of raw.sessions) {
    const fields = raw.fields.filter((f) => f.sessionId === s.id);
    const who = `session ${s.id} “${s.identifier}”`;
    if (s.fieldCount !== fields.length) out.push(`${who}: fieldCount ${s.fieldCount} ≠ ${fields.length} images`);
    const idx = fields.map((f) => f.index).sort((a, b) => a - b);
    if (!idx.every((v, i) => v === i + 1))
      out.push(`${who}: image numbers ${idx.join(',')} are not 1…${fields.length}`);
    const totals = countCells(
      fields.flatMap((f) => f.cells),
      s.confidentProbability,
    );
    if (!sameTotals(totals, s.totals))
      out.push(`${who}: totals ${JSON.stringify(s.totals)} ≠ cells ${JSON.stringify(totals)}`);
    const review = countReviews(fields);
    if (!sameReviewCounts(review, s.review ?? ZERO_REVIEW_COUNTS))
      out.push(`${who}: review ${JSON.stringify(s.review)} ≠ cells ${JSON.stringify(review)}`);
    if (s.verdict) {
      if (s.endedAt === null) out.push(`${who}: a result on an open session`);
      const given = slideResult(fields, s.targetRedCells, null).verdict;
      if (given !== s.verdict.verdict) out.push(`${who}: stored result ${s.verdict.verdict} but cells give ${given}`);
    }
    const legacy = s.legacyModelVerdict;
    if (legacy?.rule && s.endedAt !== null && s.verdict === null) {
      const given = modelRuleVerdict(
        countCells(
          fields.flatMap((f) => f.cells),
          legacy.rule.confidentProbability,
        ),
        legacy.rule,
      );
      if (given !== legacy.verdict) out.push(`${who}: legacy verdict ${legacy.verdict} but its rule gives ${given}`);
    }
  }
  return out;
}
