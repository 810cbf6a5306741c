/**
 * JSON archive of every record on the device, for moving records to another device.
 * Shape (formatVersion 1):
 * {
 *   "format": "malaria-screen-records", "formatVersion": 1, "schemaVersion": 2,
 *   "exportedAt": ISO string,
 *   "sessions": SessionRecord[],
 *   "fields": (FieldRecord with image = {type, width, height, base64} | null)[]
 * }
 * Import validates every record (types, ranges, references) before anything is written.
 */
import type { SlideVerdictRule } from '../model-metadata.js';
import { toSessionCell } from '../slide/field-result.js';
import type { BloodCountInput } from '../slide/parasitaemia.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { ArchiveError } from './errors.js';
import { DB_VERSION, identifierKey, type FieldRecord, type SessionRecord, type StoredVerdict } from './schema.js';

export const ARCHIVE_FORMAT = 'malaria-screen-records';
export const ARCHIVE_FORMAT_VERSION = 1;

export interface ArchivedImage {
  type: string;
  width: number;
  height: number;
  base64: string;
}

export type ArchivedField = Omit<FieldRecord, 'image'> & { image: ArchivedImage | null };

export interface RecordsArchive {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: typeof ARCHIVE_FORMAT_VERSION;
  schemaVersion: number;
  exportedAt: string;
  sessions: SessionRecord[];
  fields: ArchivedField[];
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
    fields: fields.map((f) => ({
      ...f,
      image: f.image
        ? { type: f.image.type, width: f.image.width, height: f.image.height, base64: bytesToBase64(f.image.bytes) }
        : null,
    })),
  };
}

// ---- validation -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(where: string, what: string): never {
  throw new ArchiveError(`Not a valid records archive: ${where}: ${what}.`);
}
function str(o: Obj, k: string, where: string, maxLen = 500): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length > maxLen) fail(where, `"${k}" must be text`);
  return v;
}
function num(o: Obj, k: string, where: string, min = -Infinity, max = Infinity): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(where, `"${k}" must be a number`);
  return v;
}
function count(o: Obj, k: string, where: string): number {
  const v = num(o, k, where, 0);
  if (!Number.isInteger(v)) fail(where, `"${k}" must be a whole number`);
  return v;
}
function nullableTime(o: Obj, k: string, where: string): number | null {
  return o[k] === null ? null : num(o, k, where, 0);
}

const VERDICTS = ['Positive', 'Negative', 'Inconclusive'] as const;
const IMAGE_TYPES = ['image/jpeg', 'image/webp', 'image/png'];
const ID = /^[A-Za-z0-9_-]{1,80}$/;

function parseRule(v: unknown, where: string): SlideVerdictRule | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'verdict rule must be an object');
  const rule: SlideVerdictRule = {
    confidentProbability: num(v, 'confidentProbability', where, 0, 1),
    minParasitizedCells: count(v, 'minParasitizedCells', where),
    minParasitizedFraction: num(v, 'minParasitizedFraction', where, 0, 1),
    minCellsForNegative: count(v, 'minCellsForNegative', where),
    description: str(v, 'description', where, 2000),
  };
  const val = v.validation;
  if (isObj(val)) {
    rule.validation = {
      patients: count(val, 'patients', where),
      sensitivity: num(val, 'sensitivity', where, 0, 1),
      specificity: num(val, 'specificity', where, 0, 1),
    };
  }
  return rule;
}

function parseVerdict(v: unknown, where: string): StoredVerdict | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'verdict must be an object or null');
  const verdict = v.verdict;
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) {
    fail(where, 'verdict must be Positive, Negative or Inconclusive');
  }
  if (typeof v.ruleFromModel !== 'boolean') fail(where, '"ruleFromModel" must be true or false');
  return {
    verdict: verdict as StoredVerdict['verdict'],
    reason: str(v, 'reason', where, 2000),
    rule: parseRule(v.rule, where),
    ruleFromModel: v.ruleFromModel,
    decidedAt: num(v, 'decidedAt', where, 0),
  };
}

function parseBloodCount(v: unknown, where: string): BloodCountInput | null {
  if (v === null) return null;
  if (!isObj(v)) fail(where, 'bloodCount must be an object or null');
  if (v.kind === 'rbc') return { kind: 'rbc', rbcPerMicrolitre: num(v, 'rbcPerMicrolitre', where, 0) };
  if (v.kind === 'haematocrit') {
    return { kind: 'haematocrit', haematocritPercent: num(v, 'haematocritPercent', where, 0, 100) };
  }
  fail(where, 'bloodCount.kind must be "rbc" or "haematocrit"');
}

export function parseSession(v: unknown, i: number): SessionRecord {
  const where = `session ${i + 1}`;
  if (!isObj(v)) fail(where, 'not an object');
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
  if (modelName !== null && typeof modelName !== 'string') fail(where, '"modelName" must be text or null');
  return {
    id,
    identifier,
    identifierKey: identifierKey(identifier),
    createdAt: num(v, 'createdAt', where, 0),
    updatedAt: num(v, 'updatedAt', where, 0),
    endedAt: nullableTime(v, 'endedAt', where),
    targetRedCells: count(v, 'targetRedCells', where),
    bloodCount: parseBloodCount(v.bloodCount, where),
    totals,
    confidentProbability: num(v, 'confidentProbability', where, 0, 1),
    fieldCount: count(v, 'fieldCount', where),
    verdict: parseVerdict(v.verdict, where),
    modelName,
  };
}

export function parseField(v: unknown, i: number): FieldRecord {
  const where = `field ${i + 1}`;
  if (!isObj(v)) fail(where, 'not an object');
  const id = str(v, 'id', where);
  const sessionId = str(v, 'sessionId', where);
  if (!ID.test(id) || !ID.test(sessionId)) fail(where, 'bad id');
  const kind = v.kind;
  if (kind !== 'field' && kind !== 'cell') fail(where, '"kind" must be "field" or "cell"');
  if (!Array.isArray(v.cells)) fail(where, 'missing cells');
  const cells = v.cells.map((c, j) => {
    try {
      return toSessionCell(c, `cell ${j + 1}`);
    } catch (err) {
      fail(where, (err as Error).message);
    }
  });
  let image: FieldRecord['image'] = null;
  if (v.image !== null) {
    const im = v.image;
    if (!isObj(im)) fail(where, 'image must be an object or null');
    const type = str(im, 'type', where);
    if (!IMAGE_TYPES.includes(type)) fail(where, `image type ${type} is not accepted`);
    let bytes: ArrayBuffer;
    try {
      bytes = base64ToBytes(str(im, 'base64', where, 50_000_000));
    } catch {
      fail(where, 'image data is not base64');
    }
    image = { type, width: count(im, 'width', where), height: count(im, 'height', where), bytes };
  }
  return {
    id,
    sessionId,
    index: count(v, 'index', where),
    addedAt: num(v, 'addedAt', where, 0),
    kind,
    name: str(v, 'name', where, 500),
    width: num(v, 'width', where, 1),
    height: num(v, 'height', where, 1),
    cells,
    image,
  };
}

/**
 * Validates a parsed archive and returns typed records. Throws ArchiveError (with where and what)
 * on anything wrong; nothing is partially accepted.
 */
export function parseArchive(raw: unknown): { sessions: SessionRecord[]; fields: FieldRecord[] } {
  if (!isObj(raw) || raw.format !== ARCHIVE_FORMAT) {
    throw new ArchiveError('This file is not a records archive from this app.');
  }
  if (raw.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw new ArchiveError(`Archive format version ${String(raw.formatVersion)} is not supported by this version of the app.`);
  }
  if (!Array.isArray(raw.sessions) || !Array.isArray(raw.fields)) {
    throw new ArchiveError('Not a valid records archive: "sessions" and "fields" lists are required.');
  }
  const sessions = raw.sessions.map(parseSession);
  const ids = new Set<string>();
  for (const s of sessions) {
    if (ids.has(s.id)) throw new ArchiveError(`Not a valid records archive: session id ${s.id} appears twice.`);
    ids.add(s.id);
  }
  const fields = raw.fields.map(parseField);
  const fieldIds = new Set<string>();
  for (const f of fields) {
    if (!ids.has(f.sessionId)) {
      throw new ArchiveError(`Not a valid records archive: field ${f.id} belongs to no session in the archive.`);
    }
    if (fieldIds.has(f.id)) throw new ArchiveError(`Not a valid records archive: field id ${f.id} appears twice.`);
    fieldIds.add(f.id);
  }
  return { sessions, fields };
}

/** Parses archive text (JSON) with a clear message on malformed JSON. */
export function parseArchiveText(text: string): { sessions: SessionRecord[]; fields: FieldRecord[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError('This file is not valid JSON, so it is not a records archive.');
  }
  return parseArchive(raw);
}
