/**
 * Browser-side wrapper of `looksLikeField` (the one "field or cell" decision, in core) for routing
 * a user's file: checks its bytes (format sniffed, size limits applied); a header that gives a
 * field-sized image decides at once (`fieldByHeaderSize`), anything else is decoded with the shared
 * `decodeImageFile` (EXIF orientation applied), and for medium sizes a small thumbnail is drawn for
 * the content check. `guessImageKind` returns null when the file is rejected or cannot be decoded
 * (the caller then reports it with the shared message); `guessDecodedKind` decides for an image
 * already decoded (the slide session's intake).
 */
import { checkFileBytes, decodeImageFile, type DecodedImage } from '../decode/decode-image.js';
import type { PixelSource } from '../model/pixel-source.js';
import {
  fieldByHeaderSize,
  looksLikeField,
  needsContentCheck,
  type FieldGuess,
} from '../../core/field/looks-like-field.js';
import type { ImageHeaderInfo } from '../../core/decode/image-format.js';
import type { RgbaImage } from '../../core/field/field-types.js';
import { canvas2d } from '../canvas.js';
import { gateDecodedImage } from '../cells/cell-gate-browser.js';
import type { CellGateResult } from '../../core/cells/cell-plausibility.js';

const THUMBNAIL_LONG_SIDE = 200;

function thumbnailOf(source: PixelSource, width: number, height: number): RgbaImage | undefined {
  const k = THUMBNAIL_LONG_SIDE / Math.max(width, height);
  const w = Math.max(1, Math.round(width * k));
  const h = Math.max(1, Math.round(height * k));
  const ctx = canvas2d(w, h);
  if (!ctx) return undefined;
  ctx.drawImage(source as CanvasImageSource, 0, 0, w, h);
  return { width: w, height: h, data: ctx.getImageData(0, 0, w, h).data };
}

/**
 * The shared path of both guesses: a header that gives a field-sized image decides at once (a 16 MP
 * field decoded here and again for the analysis cost ≈ 0.1–0.3 s of a field's 1–3 s); anything else is
 * decoded once and given to `decide`. Null when the file is rejected by its bytes or cannot be decoded
 * (the caller reports it with the shared message).
 */
async function guessFrom<T>(
  file: Blob,
  byHeader: (guess: FieldGuess) => T | null,
  decide: (decoded: DecodedImage) => T,
): Promise<T | null> {
  let header: ImageHeaderInfo;
  try {
    header = await checkFileBytes(file);
  } catch {
    return null; // rejected by its bytes, as decodeImageFile would
  }
  const guess = fieldByHeaderSize(header.width, header.height);
  const early = guess ? byHeader(guess) : null;
  if (early !== null) return early;
  let decoded: DecodedImage;
  try {
    decoded = await decodeImageFile(file);
  } catch {
    return null;
  }
  try {
    return decide(decoded);
  } finally {
    decoded.close();
  }
}

export function guessImageKind(file: Blob): Promise<FieldGuess | null> {
  return guessFrom(file, (guess) => guess, guessDecodedKind);
}

/** What a photo dropped on the Field tab is: a field, a single cell, or neither (the cell gate's reason). */
export type FieldDropKind = { kind: 'field' } | { kind: 'cell' } | { kind: 'neither'; reason: string };

/**
 * `guessImageKind` for the Field tab, plus the single-cell plausibility gate on what is not a field:
 * a 1×1 pixel, a blank page or a photo of text is not a field, but suggesting "classify it in the
 * Cells tab" would send it where the gate refuses it anyway. Decodes once for both checks.
 */
export function guessFieldDropKind(file: Blob): Promise<FieldDropKind | null> {
  return guessFrom<FieldDropKind>(
    file,
    (guess) => (guess.isField ? { kind: 'field' } : null),
    (decoded) => {
      if (guessDecodedKind(decoded).isField) return { kind: 'field' };
      let gate: CellGateResult;
      try {
        gate = gateDecodedImage(decoded.source, decoded.width, decoded.height);
      } catch {
        return { kind: 'cell' }; // pixels unreadable here: keep the plain single-cell prompt
      }
      // A gate 'field' verdict on what looksLikeField called a cell keeps the single-cell prompt
      // (looksLikeField is the app's one field-or-cell decision); only "not a cell" is neither.
      return !gate.ok && gate.kind === 'not-a-cell' ? { kind: 'neither', reason: gate.reason } : { kind: 'cell' };
    },
  );
}

/**
 * Field or cell for a decoded image (a thumbnail is drawn only for the sizes decided by content;
 * when it cannot be drawn, the size alone decides).
 */
export function guessDecodedKind(decoded: Pick<DecodedImage, 'source' | 'width' | 'height'>): FieldGuess {
  const { width, height } = decoded;
  let thumbnail: RgbaImage | undefined;
  if (needsContentCheck(width, height)) {
    try {
      thumbnail = thumbnailOf(decoded.source, width, height);
    } catch {
      thumbnail = undefined;
    }
  }
  return looksLikeField(width, height, thumbnail);
}

/**
 * Files smaller than this are never decoded for routing: they go to the cell view at once, so a big
 * batch of crops starts immediately. NIH cell crops are ≤ 21 kB (WebP) and far below this as PNG;
 * a whole-field photo is megabytes (the smallest plausible field JPEG, ~600 px, is larger too).
 */
export const MIN_FIELD_FILE_BYTES = 64 * 1024;

/** Decides field or cell for one file (guessImageKind in the app; replaceable in tests). */
export type ImageKindGuesser = (file: Blob) => Promise<FieldGuess | null>;

/**
 * Splits files into whole-field photos and the rest, both in order. Used by the app shell to send
 * fields to the Field tab and single cells to the Cells view. Every field is found, not only the
 * first: a second field photo picked with the first must not become a "single cell".
 */
async function splitFieldsFromCells(
  files: readonly File[],
  guess: ImageKindGuesser = guessImageKind,
): Promise<{ fields: File[]; cells: File[] }> {
  const fields: File[] = [];
  const cells: File[] = [];
  for (const f of files) {
    if (f.size >= MIN_FIELD_FILE_BYTES && (await guess(f))?.isField) fields.push(f);
    else cells.push(f);
  }
  return { fields, cells };
}

/**
 * Routing for the cell view: small files are cells right away (`now`); bigger ones are checked
 * with `looksLikeField`, every field is handed to `onField` (in order), the rest resolve as cells
 * (`later`, never rejects: on any failure they are treated as cells, and the cell view's
 * plausibility gate and error rows report them).
 */
export function routeImages(
  files: readonly File[],
  onField: (file: File) => void,
  guess: ImageKindGuesser = guessImageKind,
): { now: File[]; later: Promise<File[]> } {
  const now = files.filter((f) => f.size < MIN_FIELD_FILE_BYTES);
  const candidates = files.filter((f) => f.size >= MIN_FIELD_FILE_BYTES);
  if (!candidates.length) return { now, later: Promise.resolve([]) };
  const later = splitFieldsFromCells(candidates, guess).then(
    ({ fields, cells }) => {
      for (const field of fields) onField(field);
      return cells;
    },
    () => candidates,
  );
  return { now, later };
}
