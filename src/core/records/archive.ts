/**
 * JSON archive of every record on the device, for moving records to another device.
 * Shape (formatVersion 1, schemaVersion 3):
 * {
 *   "format": "malaria-screen-records", "formatVersion": 1, "schemaVersion": 3,
 *   "exportedAt": ISO string,
 *   "sessions": SessionRecord[],
 *   "fields": (FieldRecord with
 *       image = {type, width, height, base64} | null,
 *       evidence = {cell, region, image: {type, width, height, base64},
 *                   where: {width, height, box, base64} | null}[])[]
 * }
 * Import accepts schemaVersion 2 and 3 archives; v2 records are converted exactly as the v2 → v3
 * database migration does (migrations.ts). Before anything is written, import
 *  - validates every record: types, ids, references, and every number against its physical bounds
 *    (bounds.ts: times 2000 – now + 1 day, whole counts ≤ 10⁷, target 1 – 10⁶, probabilities 0–1,
 *    plausible blood counts, image sizes, cell centres inside the image, boxes overlapping it) —
 *    anything wrong refuses the whole archive, with where and what;
 *  - derives what each session says about its cells from the cells (integrity.ts: image count and
 *    numbering, model counts, review counts; a stored result its cells do not give is removed and
 *    the slide re-opened) and reports each correction in `notes`.
 * The same validation decides which stored records an export can carry (`checkStoredRecords`), so
 * every archive this app exports is one it imports.
 */
import type { SlideVerdictRule } from '@malaria/contract';
import type { SessionCell } from '../slide/field-result.js';
import type { Box } from '../field/field-types.js';
import { toSessionCell } from '../slide/field-result.js';
import { validateBloodCount, type BloodCountInput } from '../slide/parasitaemia.js';
import type { ReviewCounts, SlideVerdictKind } from '@malaria/contract';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import {
  isCount,
  isProbability,
  isRecordTime,
  isTarget,
  MAX_CELLS_PER_IMAGE,
  MAX_COUNT,
  MAX_FIELDS_PER_SESSION,
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  MAX_STORED_IMAGE_SIDE,
  MAX_TARGET_RED_CELLS,
  timeRangeText,
} from './bounds.js';
import { checkEvidence, STORED_EVIDENCE_MAX_SIDE, STORED_IMAGE_TYPES, WHERE_MAP_MAX_SIDE } from './evidence.js';
import { ArchiveError } from './errors.js';
import { deriveSession, fieldsBySession } from './integrity.js';
import { migrateV2Records, type V2FieldRecord, type V2SessionRecord } from './migrations.js';
import {
  DB_VERSION,
  identifierKey,
  type CellEvidence,
  type FieldRecord,
  type SessionRecord,
  type StoredCell,
  type StoredImage,
  type StoredResult,
  type StoredVerdict,
  type WhereMapRecord,
} from './schema.js';
import { REVIEWER_MAX_LENGTH, toStoredCells } from './session-review.js';
import { errorMessage } from '../shared/error-message.js';

export const ARCHIVE_FORMAT = 'malaria-screen-records';
export const ARCHIVE_FORMAT_VERSION = 1;
/** Schema versions whose records this app imports. */
export const IMPORTABLE_SCHEMA_VERSIONS: readonly number[] = [2, 3];

export interface ArchivedImage {
  type: string;
  width: number;
  height: number;
  base64: string;
}

export interface ArchivedWhereMap {
  width: number;
  height: number;
  box: Box;
  /** width × height bytes (0–255, row-major) as base64. */
  base64: string;
}

export type ArchivedEvidence = Omit<CellEvidence, 'image' | 'where'> & {
  image: ArchivedImage;
  where: ArchivedWhereMap | null;
};

export type ArchivedField = Omit<FieldRecord, 'image' | 'evidence' | 'digest'> & {
  image: ArchivedImage | null;
  evidence: ArchivedEvidence[];
};

export interface RecordsArchive {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: typeof ARCHIVE_FORMAT_VERSION;
  schemaVersion: number;
  exportedAt: string;
  sessions: SessionRecord[];
  fields: ArchivedField[];
}

function archivedImage(im: StoredImage): ArchivedImage {
  return { type: im.type, width: im.width, height: im.height, base64: bytesToBase64(im.bytes) };
}

function archivedWhere(w: WhereMapRecord): ArchivedWhereMap {
  return { width: w.width, height: w.height, box: w.box, base64: bytesToBase64(w.values) };
}

export function buildArchive(
  sessions: readonly SessionRecord[],
  fields: readonly FieldRecord[],
  now = new Date(),
): RecordsArchive {
  return {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    schemaVersion: DB_VERSION,
    exportedAt: now.toISOString(),
    sessions: [...sessions],
    // The photo digest stays on the device: the archive format is unchanged by it.
    fields: fields.map(({ digest: _digest, ...f }) => ({
      ...f,
      image: f.image ? archivedImage(f.image) : null,
      evidence: f.evidence.map((e) => ({
        cell: e.cell,
        image: archivedImage(e.image),
        region: e.region,
        where: e.where ? archivedWhere(e.where) : null,
      })),
    })),
  };
}

// ---- validation -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Maps every element of an untrusted array, holes included (`[].map` skips the holes of a sparse
 * array, which would then pass as `undefined` records).
 */
const each = <T>(xs: readonly unknown[], fn: (v: unknown, i: number) => T): T[] => Array.from(xs, fn);

function fail(where: string, what: string): never {
  throw new ArchiveError(`Not a valid records archive: ${where}: ${what}.`);
}

/**
 * How the records' images are read and what "now" is: an archive holds base64 text, the database
 * holds bytes. Everything else is validated the same way.
 */
interface Reader {
  now: number;
  /** The bytes of an image or where map (`what` names it in messages). */
  bytes(o: Obj, where: string, what: string, maxChars: number): ArrayBuffer;
}

const ARCHIVE_READER = (now: number): Reader => ({
  now,
  bytes(o, where, what, maxChars) {
    const b64 = o.base64;
    if (typeof b64 !== 'string' || b64.length > maxChars) fail(where, `${what} data must be base64 text`);
    try {
      return base64ToBytes(b64);
    } catch {
      fail(where, `${what} data is not base64`);
    }
  },
});

/** ArrayBuffer check that also holds across realms (workers, test environments). */
function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

const STORED_READER = (now: number): Reader => ({
  now,
  bytes(o, where, what) {
    const v = 'bytes' in o ? o.bytes : o.values;
    if (!isArrayBuffer(v)) fail(where, `${what} has no bytes`);
    return v;
  },
});

function str(o: Obj, k: string, where: string, maxLen = 500): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length > maxLen) fail(where, `"${k}" must be text of at most ${maxLen} characters`);
  return v;
}
function num(o: Obj, k: string, where: string, min = -Infinity, max = Infinity): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = Number.isFinite(min) && Number.isFinite(max) ? ` between ${min} and ${max}` : '';
    fail(where, `"${k}" must be a number${range}`);
  }
  return v;
}
function count(o: Obj, k: string, where: string, max = MAX_COUNT): number {
  const v = o[k];
  if (!isCount(v, max)) fail(where, `"${k}" must be a whole number from 0 to ${max.toLocaleString('en-US')}`);
  return v;
}
function time(o: Obj, k: string, where: string, r: Reader): number {
  const v = o[k];
  if (!isRecordTime(v, r.now)) fail(where, `"${k}" must be a time ${timeRangeText(r.now)} (epoch milliseconds)`);
  return v;
}
function nullableTime(o: Obj, k: string, where: string, r: Reader): number | null {
  return o[k] === null ? null : time(o, k, where, r);
}
function probability(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (!isProbability(v)) fail(where, `"${k}" must be a probability from 0 to 1`);
  return v;
}

const VERDICTS = ['Positive', 'Negative', 'Inconclusive'] as const;
const RESULTS: readonly SlideVerdictKind[] = ['positive', 'negative', 'incomplete'];
const ID = /^[A-Za-z0-9_-]{1,80}$/;

function parseRule(v: unknown, where: string): SlideVerdictRule | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'verdict rule must be an object');
  const rule: SlideVerdictRule = {
    confidentProbability: probability(v, 'confidentProbability', where),
    minParasitizedCells: count(v, 'minParasitizedCells', where),
    minParasitizedFraction: probability(v, 'minParasitizedFraction', where),
    minCellsForNegative: count(v, 'minCellsForNegative', where),
    description: str(v, 'description', where, 2000),
  };
  const val = v.validation;
  if (isObj(val)) {
    rule.validation = {
      patients: count(val, 'patients', where),
      sensitivity: probability(val, 'sensitivity', where),
      specificity: probability(val, 'specificity', where),
    };
  }
  return rule;
}

/** The v2 model-only verdict (v2 `verdict`, v3 `legacyModelVerdict`). */
function parseModelVerdict(v: unknown, where: string, key: string, r: Reader): StoredVerdict | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, `"${key}" must be an object or null`);
  const verdict = v.verdict;
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) {
    fail(where, `${key}.verdict must be Positive, Negative or Inconclusive`);
  }
  if (typeof v.ruleFromModel !== 'boolean') fail(where, '"ruleFromModel" must be true or false');
  return {
    verdict: verdict as StoredVerdict['verdict'],
    reason: str(v, 'reason', where, 2000),
    rule: parseRule(v.rule, where),
    ruleFromModel: v.ruleFromModel,
    decidedAt: time(v, 'decidedAt', where, r),
  };
}

function parseReviewer(v: unknown, where: string, key: string): string | null {
  if (v === null) return null;
  if (typeof v !== 'string' || !v.trim() || v.trim() !== v || v.length > REVIEWER_MAX_LENGTH) {
    fail(where, `"${key}" must be null or a trimmed name of 1–${REVIEWER_MAX_LENGTH} characters`);
  }
  return v;
}

/** The v3 review-based slide result. */
function parseResult(v: unknown, where: string, r: Reader): StoredResult | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, '"verdict" must be an object or null');
  const verdict = v.verdict;
  if (typeof verdict !== 'string' || !(RESULTS as readonly string[]).includes(verdict)) {
    fail(where, `verdict.verdict must be one of ${RESULTS.join(', ')}`);
  }
  const missing = v.missing;
  if (
    !Array.isArray(missing) ||
    missing.length > 50 ||
    !each(missing, (m) => typeof m === 'string' && m.length <= 1000).every(Boolean)
  ) {
    fail(where, 'verdict.missing must be a list of texts');
  }
  return {
    verdict: verdict as SlideVerdictKind,
    reason: str(v, 'reason', where, 2000),
    missing: [...(missing as string[])],
    decidedAt: time(v, 'decidedAt', where, r),
    reviewer: parseReviewer(v.reviewer, where, 'verdict.reviewer'),
  };
}

/** Review counts as the record states them (the import recomputes them from the cells). */
function parseReviewCounts(v: unknown, where: string): ReviewCounts {
  if (!isObj(v)) fail(where, 'missing review counts');
  return {
    redCells: count(v, 'redCells', where),
    whiteBloodCells: count(v, 'whiteBloodCells', where),
    queued: count(v, 'queued', where),
    pending: count(v, 'pending', where),
    confirmed: count(v, 'confirmed', where),
    rejected: count(v, 'rejected', where),
    unsure: count(v, 'unsure', where),
  };
}

function parseBloodCount(v: unknown, where: string): BloodCountInput | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'bloodCount must be an object or null');
  let input: BloodCountInput;
  if (v.kind === 'rbc') input = { kind: 'rbc', rbcPerMicrolitre: num(v, 'rbcPerMicrolitre', where) };
  else if (v.kind === 'haematocrit')
    input = { kind: 'haematocrit', haematocritPercent: num(v, 'haematocritPercent', where) };
  else fail(where, 'bloodCount.kind must be "rbc" or "haematocrit"');
  const problem = validateBloodCount(input);
  if (problem) fail(where, `bloodCount: ${problem}`);
  return input;
}

type SessionCommon = Omit<SessionRecord, 'verdict' | 'legacyModelVerdict' | 'reviewer' | 'review'>;

/** What v2 and v3 sessions share. The returned object lists keys in the order the store writes them. */
function parseSessionCommon(v: Obj, where: string, r: Reader): SessionCommon {
  const id = str(v, 'id', where);
  if (!ID.test(id)) fail(where, 'bad id');
  const identifier = str(v, 'identifier', where, 200);
  if (!identifier.trim()) fail(where, 'empty identifier');
  const t = v.totals;
  if (!isObj(t)) fail(where, 'missing totals');
  const totals = {
    redCells: count(t, 'redCells', where),
    parasitized: count(t, 'parasitized', where),
    uninfected: count(t, 'uninfected', where),
    inconclusive: count(t, 'inconclusive', where),
    whiteBloodCells: count(t, 'whiteBloodCells', where),
    confidentParasitized: count(t, 'confidentParasitized', where),
  };
  if (totals.parasitized + totals.uninfected + totals.inconclusive !== totals.redCells) {
    fail(where, 'totals do not add up');
  }
  const modelName = v.modelName;
  if (modelName !== null && (typeof modelName !== 'string' || modelName.length > 200)) {
    fail(where, '"modelName" must be text of at most 200 characters or null');
  }
  const target = v.targetRedCells;
  if (!isTarget(target))
    fail(where, `"targetRedCells" must be a whole number from 1 to ${MAX_TARGET_RED_CELLS.toLocaleString('en-US')}`);
  return {
    id,
    identifier,
    identifierKey: identifierKey(identifier),
    createdAt: time(v, 'createdAt', where, r),
    updatedAt: time(v, 'updatedAt', where, r),
    endedAt: nullableTime(v, 'endedAt', where, r),
    targetRedCells: target,
    bloodCount: parseBloodCount(v.bloodCount, where),
    totals,
    confidentProbability: probability(v, 'confidentProbability', where),
    fieldCount: count(v, 'fieldCount', where, MAX_FIELDS_PER_SESSION),
    modelName,
  };
}

function parseSessionWith(v: unknown, i: number, r: Reader): SessionRecord {
  const where = `session ${i + 1}`;
  if (!isObj(v)) fail(where, 'not an object');
  const { modelName, ...common } = parseSessionCommon(v, where, r);
  return {
    ...common,
    reviewer: parseReviewer(v.reviewer, where, 'reviewer'),
    review: parseReviewCounts(v.review, where),
    verdict: parseResult(v.verdict, where, r),
    legacyModelVerdict: parseModelVerdict(v.legacyModelVerdict, where, 'legacyModelVerdict', r),
    modelName,
  };
}

function parseV2SessionWith(v: unknown, i: number, r: Reader): V2SessionRecord {
  const where = `session ${i + 1}`;
  if (!isObj(v)) fail(where, 'not an object');
  const { modelName, ...common } = parseSessionCommon(v, where, r);
  return { ...common, verdict: parseModelVerdict(v.verdict, where, 'verdict', r), modelName };
}

function side(o: Obj, k: string, where: string, what: string, max: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    fail(where, `${what} ${k} must be 1–${max} px`);
  return v;
}

function parseImage(v: unknown, where: string, what: string, maxSide: number, r: Reader): StoredImage {
  if (!isObj(v)) fail(where, `${what} must be an object`);
  const type = str(v, 'type', where);
  if (!STORED_IMAGE_TYPES.includes(type)) fail(where, `${what} type ${type} is not accepted`);
  const width = side(v, 'width', where, what, maxSide);
  const height = side(v, 'height', where, what, maxSide);
  const bytes = r.bytes(v, where, what, 50_000_000);
  if (bytes.byteLength === 0) fail(where, `${what} has no bytes`);
  return { type, width, height, bytes };
}

function parseBox(v: unknown, where: string, what: string): Box {
  if (!isObj(v)) fail(where, `${what} must be {x, y, width, height}`);
  return {
    x: num(v, 'x', where),
    y: num(v, 'y', where),
    width: num(v, 'width', where, 0),
    height: num(v, 'height', where, 0),
  };
}

/** A box of positive size that overlaps the image (a crop or box may reach past an edge). */
function checkBoxInImage(b: Box, width: number, height: number, where: string, what: string): void {
  const ok = b.width > 0 && b.height > 0 && b.x < width && b.y < height && b.x + b.width > 0 && b.y + b.height > 0;
  if (!ok) fail(where, `${what} must have a positive size and lie on the ${width} × ${height} image`);
}

function parseWhere(v: unknown, where: string, r: Reader): WhereMapRecord | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'where map must be an object or null');
  const width = side(v, 'width', where, 'where map', WHERE_MAP_MAX_SIDE);
  const height = side(v, 'height', where, 'where map', WHERE_MAP_MAX_SIDE);
  const box = parseBox(v.box, where, 'where map box');
  const values = r.bytes(v, where, 'where map', 1_000_000);
  return { width, height, values, box };
}

function parseEvidence(
  v: unknown,
  cellCount: number,
  size: { width: number; height: number },
  where: string,
  r: Reader,
): CellEvidence[] {
  if (!Array.isArray(v)) fail(where, 'missing evidence list');
  if (v.length > cellCount) fail(where, 'more evidence entries than cells');
  const evidence = each(v, (e, j): CellEvidence => {
    const w = `${where}, evidence ${j + 1}`;
    if (!isObj(e)) fail(w, 'not an object');
    const item: CellEvidence = {
      cell: count(e, 'cell', w, MAX_CELLS_PER_IMAGE),
      image: parseImage(e.image, w, 'image', STORED_EVIDENCE_MAX_SIDE, r),
      region: parseBox(e.region, w, 'region'),
      where: parseWhere(e.where, w, r),
    };
    checkBoxInImage(item.region, size.width, size.height, w, 'region');
    if (item.where) checkBoxInImage(item.where.box, size.width, size.height, w, 'where map box');
    return item;
  });
  try {
    checkEvidence(evidence, cellCount);
  } catch (err) {
    fail(where, errorMessage(err));
  }
  return evidence;
}

/** One cell: valid shape (toSessionCell), centre on the image, box overlapping it, review time in range. */
function parseCell(c: unknown, j: number, width: number, height: number, where: string, r: Reader): SessionCell {
  let cell: SessionCell;
  try {
    cell = toSessionCell(c, `cell ${j + 1}`);
  } catch (err) {
    fail(where, errorMessage(err));
  }
  const w = `${where}, cell ${j + 1}`;
  if (cell.x < 0 || cell.x > width || cell.y < 0 || cell.y > height) {
    fail(w, `centre (${cell.x}, ${cell.y}) is outside the ${width} × ${height} image`);
  }
  checkBoxInImage(cell.box, width, height, w, 'box');
  if (cell.label === 'WhiteBloodCell' && cell.review)
    fail(w, 'a white blood cell has no review (only red cells are reviewed)');
  if (cell.label === 'Artefact' && cell.review)
    fail(w, 'an artefact (not a red cell) has no review (only red cells are reviewed)');
  if (cell.review && !isRecordTime(cell.review.at, r.now)) fail(w, `review time must be ${timeRangeText(r.now)}`);
  return cell;
}

/** A field of a v2 (no reviews, no evidence) or v3 archive, or a stored v3 field. */
function parseFieldWith(v: unknown, i: number, schemaVersion: number, r: Reader): FieldRecord | V2FieldRecord {
  const where = `field ${i + 1}`;
  if (!isObj(v)) fail(where, 'not an object');
  const id = str(v, 'id', where);
  const sessionId = str(v, 'sessionId', where);
  if (!ID.test(id) || !ID.test(sessionId)) fail(where, 'bad id');
  const kind = v.kind;
  if (kind !== 'field' && kind !== 'cell') fail(where, '"kind" must be "field" or "cell"');
  const width = side(v, 'width', where, 'image', MAX_IMAGE_SIDE);
  const height = side(v, 'height', where, 'image', MAX_IMAGE_SIDE);
  if (width * height > MAX_IMAGE_PIXELS)
    fail(where, `image ${width} × ${height} is larger than ${MAX_IMAGE_PIXELS / 1e6} MP`);
  if (!Array.isArray(v.cells)) fail(where, 'missing cells');
  if (v.cells.length > MAX_CELLS_PER_IMAGE)
    fail(where, `more than ${MAX_CELLS_PER_IMAGE.toLocaleString('en-US')} cells`);
  const cells = each(v.cells, (c, j) => parseCell(c, j, width, height, where, r));
  const image = v.image === null ? null : parseImage(v.image, where, 'image', MAX_STORED_IMAGE_SIDE, r);
  const index = v.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 1 || index > MAX_FIELDS_PER_SESSION) {
    fail(where, `"index" must be a whole number from 1 to ${MAX_FIELDS_PER_SESSION.toLocaleString('en-US')}`);
  }
  const common: Omit<V2FieldRecord, 'cells' | 'image'> = {
    id,
    sessionId,
    index,
    addedAt: time(v, 'addedAt', where, r),
    kind,
    name: str(v, 'name', where, 500),
    width,
    height,
  };
  if (schemaVersion < 3) return { ...common, cells, image };
  const stored: StoredCell[] = toStoredCells(cells);
  return {
    ...common,
    cells: stored,
    image,
    evidence: parseEvidence(v.evidence, cells.length, { width, height }, where, r),
  };
}

/** Records ready to merge, and what was recomputed from the cells (one line per correction). */
export interface ParsedArchive {
  sessions: SessionRecord[];
  fields: FieldRecord[];
  /** `session “identifier”: …` for every value recomputed from the cells; empty when none was. */
  notes: string[];
}

/** Session ids unique, image ids unique, every image belongs to a session of the same records. */
function checkReferences(sessions: readonly SessionRecord[], fields: readonly FieldRecord[]): void {
  const ids = new Set<string>();
  for (const s of sessions) {
    if (ids.has(s.id)) throw new ArchiveError(`Not a valid records archive: session id ${s.id} appears twice.`);
    ids.add(s.id);
  }
  const fieldIds = new Set<string>();
  for (const f of fields) {
    if (!ids.has(f.sessionId)) {
      throw new ArchiveError(`Not a valid records archive: field ${f.id} belongs to no session in the archive.`);
    }
    if (fieldIds.has(f.id)) throw new ArchiveError(`Not a valid records archive: field id ${f.id} appears twice.`);
    fieldIds.add(f.id);
  }
}

/** Each session with its values derived from its cells; `notes` says what changed. */
function deriveAll(
  sessions: readonly SessionRecord[],
  fields: readonly FieldRecord[],
): ParsedArchive & { repaired: number } {
  const bySession = fieldsBySession(fields);
  const notes: string[] = [];
  let repaired = 0;
  const outSessions: SessionRecord[] = [];
  const outFields: FieldRecord[] = [];
  for (const s of sessions) {
    const d = deriveSession(s, bySession.get(s.id) ?? []);
    for (const r of d.repairs) notes.push(`session “${s.identifier}”: ${r}`);
    if (d.repairs.length) repaired++;
    outSessions.push(d.session);
    outFields.push(...d.fields);
  }
  return { sessions: outSessions, fields: outFields, notes, repaired };
}

/**
 * Validates a parsed archive and returns typed v3 records (a schema v2 archive is converted as the
 * database migration converts v2 records), each session's derived values recomputed from its cells.
 * Throws ArchiveError (with where and what) on anything invalid or out of range; nothing is
 * partially accepted. `now` bounds the times (now + 1 day at most).
 */
export function parseArchive(raw: unknown, now = Date.now()): ParsedArchive {
  if (!isObj(raw) || raw.format !== ARCHIVE_FORMAT) {
    throw new ArchiveError('This file is not a records archive from this app.');
  }
  if (raw.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw new ArchiveError(
      `Archive format version ${String(raw.formatVersion)} is not supported by this version of the app.`,
    );
  }
  const schemaVersion = raw.schemaVersion;
  if (typeof schemaVersion !== 'number' || !IMPORTABLE_SCHEMA_VERSIONS.includes(schemaVersion)) {
    throw new ArchiveError(
      `Archive schema version ${typeof schemaVersion === 'number' ? schemaVersion : (JSON.stringify(schemaVersion) ?? 'missing')} is not supported by this version of the app ` +
        `(it reads versions ${IMPORTABLE_SCHEMA_VERSIONS.join(' and ')}).`,
    );
  }
  if (!Array.isArray(raw.sessions) || !Array.isArray(raw.fields)) {
    throw new ArchiveError('Not a valid records archive: "sessions" and "fields" lists are required.');
  }
  const r = ARCHIVE_READER(now);
  const rawSessions = raw.sessions;
  const rawFields = raw.fields;
  const { sessions, fields } =
    schemaVersion >= 3
      ? {
          sessions: each(rawSessions, (v, i) => parseSessionWith(v, i, r)),
          fields: each(rawFields, (v, i) => parseFieldWith(v, i, 3, r) as FieldRecord),
        }
      : migrateV2Records(
          each(rawSessions, (v, i) => parseV2SessionWith(v, i, r)),
          each(rawFields, (v, i) => parseFieldWith(v, i, 2, r)),
        );
  checkReferences(sessions, fields);
  const { repaired: _repaired, ...parsed } = deriveAll(sessions, fields);
  return parsed;
}

/** Parses archive text (JSON) with a clear message on malformed JSON. */
export function parseArchiveText(text: string, now = Date.now()): ParsedArchive {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError('This file is not valid JSON, so it is not a records archive.');
  }
  return parseArchive(raw, now);
}

// ---- stored records (exports) -------------------------------------------------------------------

/** A stored session an export leaves out, and why. */
export interface SkippedRecord {
  /** The session id (or image id for an image without a session), as stored. */
  id: string;
  /** The identifier when it is readable text, else null. */
  identifier: string | null;
  reason: string;
}

export interface CheckedRecords {
  /** Valid sessions, in the order given, each with its values derived from its cells. */
  sessions: SessionRecord[];
  fields: FieldRecord[];
  /** Sessions (with all their images) left out because a value is invalid or out of range. */
  skipped: SkippedRecord[];
  /** Images left out because their session does not exist. */
  orphanImages: number;
  /** Sessions whose derived values in the database disagree with their cells (exported recomputed). */
  repaired: number;
}

function describe(err: unknown): string {
  const m = errorMessage(err);
  return m.replace(/^Not a valid records archive: /, '').replace(/\.$/, '');
}

/**
 * Why a stored session record would be refused by the import (an invalid or out-of-range value),
 * or null when it is valid. Its images are not looked at.
 */
export function storedSessionProblem(raw: unknown, now = Date.now()): string | null {
  try {
    parseSessionWith(raw, 0, STORED_READER(now));
    return null;
  } catch (err) {
    return describe(err).replace(/^session \d+: /, '');
  }
}

/**
 * The stored records an export can carry: exactly those the archive import accepts (same
 * validation and bounds), each session's derived values recomputed from its cells. A session with
 * anything invalid — its own values or one of its images — is left out whole and listed in
 * `skipped`; the others are unaffected.
 */
export function checkStoredRecords(
  sessions: readonly unknown[],
  fields: readonly unknown[],
  now = Date.now(),
): CheckedRecords {
  const r = STORED_READER(now);
  const rawBySession = new Map<string, unknown[]>();
  const orphans: unknown[] = [];
  for (const f of fields) {
    const sid = isObj(f) && typeof f.sessionId === 'string' ? f.sessionId : null;
    if (sid === null) {
      orphans.push(f);
      continue;
    }
    const list = rawBySession.get(sid);
    if (list) list.push(f);
    else rawBySession.set(sid, [f]);
  }
  const okSessions: SessionRecord[] = [];
  const okFields: FieldRecord[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  sessions.forEach((raw, i) => {
    const id = isObj(raw) && typeof raw.id === 'string' ? raw.id : `#${i + 1}`;
    const identifier = isObj(raw) && typeof raw.identifier === 'string' ? raw.identifier : null;
    try {
      const s = parseSessionWith(raw, i, r);
      const own = (rawBySession.get(s.id) ?? []).map((f, j) => parseFieldWith(f, j, 3, r) as FieldRecord);
      if (seen.has(s.id)) throw new ArchiveError(`session id ${s.id} appears twice`);
      seen.add(s.id);
      okSessions.push(s);
      okFields.push(...own);
    } catch (err) {
      skipped.push({ id, identifier, reason: describe(err).replace(/^session \d+: /, '') });
    }
  });
  const known = new Set(sessions.map((s) => (isObj(s) && typeof s.id === 'string' ? s.id : '')));
  let orphanImages = orphans.length;
  for (const [sid, list] of rawBySession) if (!known.has(sid)) orphanImages += list.length;
  const derived = deriveAll(okSessions, okFields);
  return { sessions: derived.sessions, fields: derived.fields, skipped, orphanImages, repaired: derived.repaired };
}
