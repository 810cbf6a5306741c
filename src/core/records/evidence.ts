/**
 * Review evidence (schema v3): per queued cell, the neighbourhood crop and the "where" map shown on
 * the review screen. Checks shared by the store (addField / putEvidence) and the archive import.
 */
import { STORED_REVIEW_CROP_MAX_SIDE } from './image-sizes.js';
import type { Box } from '../field/field-types.js';
import type { CellEvidence, StoredImage, WhereMapRecord } from './schema.js';
import { UserFacingError } from '../shared/user-facing-error.js';

/** Image types a record may hold (what the app encodes; the archive import accepts nothing else). */
export const STORED_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/webp', 'image/png'];

/** Largest side of a stored review crop. */
export const STORED_EVIDENCE_MAX_SIDE = STORED_REVIEW_CROP_MAX_SIDE;
/** Largest side of a stored where map (the model's input grid is 64 px; room for larger models). */
export const WHERE_MAP_MAX_SIDE = 256;

export class EvidenceError extends UserFacingError {
  override name = 'EvidenceError';
  constructor(message: string) {
    super('evidence', message);
  }
}

/** ArrayBuffer check that also holds across realms (workers, test environments). */
function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

function isSide(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= max;
}

function checkBox(b: Box, what: string): void {
  const ok =
    [b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    b.width > 0 &&
    b.height > 0;
  if (!ok) throw new EvidenceError(`${what} must be {x, y, width, height} with a positive size`);
}

function checkImage(im: StoredImage, what: string): void {
  if (!STORED_IMAGE_TYPES.includes(im.type)) throw new EvidenceError(`${what}: image type ${im.type} is not accepted`);
  if (!isSide(im.width, STORED_EVIDENCE_MAX_SIDE) || !isSide(im.height, STORED_EVIDENCE_MAX_SIDE)) {
    throw new EvidenceError(`${what}: image must be 1–${STORED_EVIDENCE_MAX_SIDE} px on each side`);
  }
  if (!isArrayBuffer(im.bytes) || im.bytes.byteLength === 0) throw new EvidenceError(`${what}: image has no bytes`);
}

function checkWhere(w: WhereMapRecord, what: string): void {
  if (!isSide(w.width, WHERE_MAP_MAX_SIDE) || !isSide(w.height, WHERE_MAP_MAX_SIDE)) {
    throw new EvidenceError(`${what}: where map must be 1–${WHERE_MAP_MAX_SIDE} px on each side`);
  }
  if (!isArrayBuffer(w.values) || w.values.byteLength !== w.width * w.height) {
    throw new EvidenceError(`${what}: where map must hold width × height = ${w.width * w.height} bytes`);
  }
  checkBox(w.box, `${what}: where map box`);
}

/**
 * Checks evidence for a field with `cellCount` cells: cell indices are whole numbers within the
 * cells, at most one entry per cell, images and where maps well formed. Throws EvidenceError.
 */
export function checkEvidence(evidence: readonly CellEvidence[], cellCount: number): void {
  const seen = new Set<number>();
  for (const e of evidence) {
    if (!Number.isInteger(e.cell) || e.cell < 0 || e.cell >= cellCount) {
      throw new EvidenceError(
        `evidence for cell index ${String(e.cell)}: the image has ${cellCount} cells (0–${cellCount - 1})`,
      );
    }
    const what = `evidence for cell index ${e.cell}`;
    if (seen.has(e.cell)) throw new EvidenceError(`${what} appears twice`);
    seen.add(e.cell);
    checkImage(e.image, what);
    checkBox(e.region, `${what}: region`);
    if (e.where !== null) checkWhere(e.where, what);
  }
}

/**
 * A where map (src/core/review/where-map.ts `WhereMap`) as stored: the values are copied into their
 * own ArrayBuffer (a Uint8Array may be a view into a larger buffer).
 */
export function toWhereMapRecord(map: { width: number; height: number; values: Uint8Array }, box: Box): WhereMapRecord {
  return { width: map.width, height: map.height, values: map.values.slice().buffer, box: { ...box } };
}

/** Evidence entries of `incoming` replace those of `current` for the same cell; result sorted by cell. */
export function mergeEvidence(current: readonly CellEvidence[], incoming: readonly CellEvidence[]): CellEvidence[] {
  const byCell = new Map(current.map((e) => [e.cell, e]));
  for (const e of incoming) byCell.set(e.cell, e);
  return [...byCell.values()].sort((a, b) => a.cell - b.cell);
}
