/**
 * The per-field result a slide session stores: one image (a whole field or a single cell) and every
 * red/white cell found in it, in the upright image's pixel grid. `toFieldResult` adapts the
 * whole-field analysis output (src/core/field) and validates anything untrusted (imports, old records).
 */

import { toCellReview } from './review.js';
import { CELL_LABELS, type CellLabel } from '@malaria/contract';
import { type CellReview } from '@malaria/contract';
import { errorMessage } from '../shared/error-message.js';
import type { Box } from '../field/field-types.js';
import { UserFacingError } from '../shared/user-facing-error.js';

export interface SessionCell {
  /** Centre, upright image pixels. */
  x: number;
  y: number;
  box: Box;
  label: CellLabel;
  /** P(Parasitized) from the model (0–1); white blood cells carry what the detector reported (often 0). */
  probability: number;
  /** The microscopist's review (./review.ts); null or absent while nobody has looked at the cell. */
  review?: CellReview | null;
}

/** How the image entered the session. */
export type FieldKind = 'field' | 'cell';

export interface FieldResult {
  kind: FieldKind;
  /** File name or a user label. */
  name: string;
  /** Upright image size in pixels. */
  width: number;
  height: number;
  cells: SessionCell[];
}

export class FieldResultError extends UserFacingError {
  override name = 'FieldResultError';
  constructor(message: string) {
    super('field-result', message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldResultError(`${what} must be a finite number`);
  return v;
}

function toBox(raw: unknown, what: string): Box {
  if (Array.isArray(raw) && raw.length === 4) {
    // [x, y, width, height]
    return {
      x: finite(raw[0], `${what}[0]`),
      y: finite(raw[1], `${what}[1]`),
      width: finite(raw[2], `${what}[2]`),
      height: finite(raw[3], `${what}[3]`),
    };
  }
  if (!isRecord(raw)) throw new FieldResultError(`${what} must be {x, y, width, height}`);
  const x = finite(raw.x, `${what}.x`);
  const y = finite(raw.y, `${what}.y`);
  const width = raw.width ?? raw.w;
  const height = raw.height ?? raw.h;
  return { x, y, width: finite(width, `${what}.width`), height: finite(height, `${what}.height`) };
}

function toLabel(raw: unknown, what: string): CellLabel {
  if (typeof raw === 'string' && (CELL_LABELS as readonly string[]).includes(raw)) {
    return raw as CellLabel;
  }
  throw new FieldResultError(`${what} must be one of ${CELL_LABELS.join(', ')}`);
}

function reviewOf(raw: unknown, what: string): CellReview | null {
  try {
    return toCellReview(raw, what);
  } catch (err) {
    throw new FieldResultError(errorMessage(err));
  }
}

/** Validates one cell of untrusted data. */
export function toSessionCell(raw: unknown, what = 'cell'): SessionCell {
  if (!isRecord(raw)) throw new FieldResultError(`${what} must be an object`);
  const probability = finite(raw.probability ?? 0, `${what}.probability`);
  if (probability < 0 || probability > 1) throw new FieldResultError(`${what}.probability must be within 0–1`);
  return {
    x: finite(raw.x, `${what}.x`),
    y: finite(raw.y, `${what}.y`),
    box: toBox(raw.box, `${what}.box`),
    label: toLabel(raw.label, `${what}.label`),
    probability,
    review: reviewOf(raw.review, `${what}.review`),
  };
}

/**
 * Adapts a whole-field analysis result (image size + per-cell list) to a FieldResult.
 * Accepts `{width, height}` or `{imageSize: {width, height}}` / `{image: {width, height}}` and the
 * cell list under `cells`. Throws FieldResultError with a readable message on anything malformed.
 */
export function toFieldResult(raw: unknown, name: string, kind: FieldKind = 'field'): FieldResult {
  if (!isRecord(raw)) throw new FieldResultError('field result must be an object');
  const sizeSource = isRecord(raw.imageSize) ? raw.imageSize : isRecord(raw.image) ? raw.image : raw;
  const width = finite(sizeSource.width, 'image width');
  const height = finite(sizeSource.height, 'image height');
  if (width <= 0 || height <= 0) throw new FieldResultError('image size must be positive');
  if (!Array.isArray(raw.cells)) throw new FieldResultError('field result has no cell list');
  const cells = raw.cells.map((c, i) => toSessionCell(c, `cell ${i + 1}`));
  return { kind, name, width, height, cells };
}

/** A single-cell image classified as a whole: one cell centred in its own image. */
export function singleCellResult(
  name: string,
  width: number,
  height: number,
  prediction: { label: 'Parasitized' | 'Uninfected' | 'Inconclusive'; probability: number },
): FieldResult {
  return {
    kind: 'cell',
    name,
    width,
    height,
    cells: [
      {
        x: width / 2,
        y: height / 2,
        box: { x: 0, y: 0, width, height },
        label: prediction.label,
        probability: prediction.probability,
      },
    ],
  };
}
