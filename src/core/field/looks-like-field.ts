/**
 * The one decision "whole microscope field (many cells) or single-cell crop", used by every place
 * that routes an image: the app shell and the Field tab (services/field/guess-image-kind.ts) and the
 * slide session's intake (services/session/session-intake.ts); the single-cell gate
 * (core/cells/cell-plausibility.ts) uses its content test too.
 * NIH single-cell crops are ~100–200 px on a side; eyepiece photos are megapixels. Sizes in
 * between are decided by content when a small thumbnail is provided: a field shows a large dark
 * surround (the eyepiece disc on black) or many stained blobs; a crop is one blob on black.
 */
import type { RgbaImage } from './field-types.js';

export interface FieldGuess {
  isField: boolean;
  reason: string;
}

/** Longest side at or below which an image is always treated as a single cell. */
export const MAX_SINGLE_CELL_SIDE = 400;
/** Longest side at or above which an image is always treated as a field. */
export const MIN_FIELD_SIDE = 1200;

/** Whether `looksLikeField` decides this size by content (a thumbnail should be given). */
export function needsContentCheck(width: number, height: number): boolean {
  const longSide = Math.max(width, height);
  return longSide > MAX_SINGLE_CELL_SIDE && longSide < MIN_FIELD_SIDE;
}

/**
 * The decision from the size written in a file's header, when that size alone makes it a field
 * (long side ≥ MIN_FIELD_SIDE): the photo need not be decoded to be routed. Null otherwise (no size
 * in the header, or a size that `looksLikeField` decides from the decoded image). EXIF orientation
 * swaps width and height only, so the long side read before decoding is the decoded one.
 */
export function fieldByHeaderSize(width: number | undefined, height: number | undefined): FieldGuess | null {
  if (width === undefined || height === undefined) return null;
  const guess = looksLikeField(width, height);
  return guess.isField && !needsContentCheck(width, height) ? guess : null;
}

export function looksLikeField(width: number, height: number, thumbnail?: RgbaImage): FieldGuess {
  const longSide = Math.max(width, height);
  if (longSide <= MAX_SINGLE_CELL_SIDE) return { isField: false, reason: `small image (${width}×${height})` };
  if (longSide >= MIN_FIELD_SIDE) return { isField: true, reason: `large image (${width}×${height})` };
  if (!thumbnail) return { isField: longSide > 800, reason: `medium image (${width}×${height}), no content check` };
  // Count stained blob crossings along the middle row and column: a single cell gives ≤ 2.
  const { data, width: tw, height: th } = thumbnail;
  const stained = (x: number, y: number) => {
    const i = (y * tw + x) * 4;
    const r = data[i]!,
      g = data[i + 1]!;
    return r > 60 && 1 - g / r > 0.3;
  };
  let crossings = 0;
  for (const line of [0.3, 0.5, 0.7]) {
    let prev = false;
    const y = Math.floor(th * line);
    for (let x = 0; x < tw; x++) {
      const s = stained(x, y);
      if (s && !prev) crossings++;
      prev = s;
    }
  }
  const isField = crossings >= 6;
  return { isField, reason: `${crossings} stained blobs crossed by 3 scan lines` };
}
