/**
 * Whole-field detection on an upright field bitmap: reads its pixels, finds the cells
 * (src/core/field/detect-cells.ts) and cuts a masked tight crop for every red cell. What the field
 * worker (field.worker.ts) exposes through the worker bridge, and what the page runs itself where
 * there is no worker (field-analysis.ts loads this module then). Classification stays on the page
 * (the model and its backend live there).
 */
import { detectCells } from '../../core/field/detect-cells.js';
import { cropCell, cropGeometryFor } from '../../core/field/crop-cell.js';
import type { Box, FieldDetection, RgbaImage } from '../../core/field/field-types.js';
import type { FieldPixels } from '../../core/field/pixel-view.js';
import { readStoredPixels } from './stored-pixels.js';
import { SpareBuffer } from '../../core/shared/spare-buffer.js';
import { canvas2d } from '../canvas.js';
import { CELL_BATCH_SIZE } from '../../core/cells/batch-runner.js';
import { rgbaToRgb } from '../../core/decode/rgb-pixels.js';

export interface TransferredCrop {
  id: number;
  width: number;
  height: number;
  /** Where the crop sits in the upright full-resolution image. */
  box: Box;
  /** RGBA bytes (transferred from the worker): what the page keeps and shows. */
  pixels: ArrayBuffer;
  /**
   * The same crop as the classifier's input: float32 R, G, B per pixel (rgbaToRgb, the values
   * `tf.browser.fromPixels(…, 3)` would read from `pixels`), made here while the classifier is busy.
   * The classifier then skips fromPixels' per-pixel loop and the int32 → float32 cast: 13–23 → 4–7
   * ms per batch of 32 field crops in Node, same input tensor bit for bit (docs/performance.md,
   * step 11). Transferred.
   */
  rgb: ArrayBuffer;
}

export interface FieldDetected {
  detection: FieldDetection;
  /** The crops not already handed to `onCrops` (all of them when there is none). */
  crops: TransferredCrop[];
  /** How many crops went to `onCrops` (the page waits for all of them before it finishes). */
  streamed: number;
  /** Time spent reading the bitmap's pixels (counted as decoding). */
  decodeMs: number;
  /** How they were read: stored pixels through a VideoFrame, or the upright bitmap through a canvas. */
  pixelsRead: PixelsRead;
  /**
   * The display copy asked for with `displaySize` (made after the last crop, while the page
   * classifies the last batches), else null. Caller closes it.
   */
  display: ImageBitmap | null;
  /** Time spent making `display` (counted as decoding). */
  displayMs: number;
}

export type PixelsRead = 'stored' | 'canvas';

/** Size of the downscaled display copy the worker makes from the field before closing it. */
export interface DisplaySize {
  width: number;
  height: number;
}

/** The field worker's API (called through comlink's `Remote<FieldWorkerApi>`). */
export interface FieldWorkerApi {
  /**
   * `bitmap`: the upright, full-resolution decoded field (transferred to the worker; closed here).
   * `background`: colour outside the cell outline in the crops (the model's training background).
   * `onCrops`: gets the crops as they are cut, CROP_CHUNK at a time, in order (their pixels
   * transferred), so the page classifies the first ones while the worker cuts the rest.
   * `displaySize`: also return the field downscaled to this size (`FieldDetected.display`).
   */
  detect(
    bitmap: ImageBitmap,
    background: [number, number, number],
    onCrops?: (crops: TransferredCrop[]) => void,
    displaySize?: DisplaySize,
  ): Promise<FieldDetected>;
}

/**
 * The 16 MP readback's buffer, kept for the next field (a session's fields come one after another):
 * dropped after a minute unused, or with the field worker, which the bridge ends after 30 s idle;
 * photos up to 50 MP (200 MB) reuse it.
 */
const fieldPixelBuffers = new SpareBuffer(60_000, 200 * 1024 * 1024);

/** Crops per message to the page while cutting (the page classifies CELL_BATCH_SIZE at a time). */
export const CROP_CHUNK = CELL_BATCH_SIZE;

/** The canvas readback: applies the bitmap's orientation (the fallback of readStoredPixels). */
function pixelsThroughCanvas(bitmap: ImageBitmap): RgbaImage {
  const ctx = canvas2d(bitmap.width, bitmap.height, { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { width: bitmap.width, height: bitmap.height, data };
}

/**
 * The display copy: the same call, options and source bitmap the page used before (so the same
 * pixels), made here after the crops so that it no longer blocks the page's main thread before the
 * worker starts (0.11–0.13 s traced, see docs/performance.md step 10).
 */
export function displayCopy(bitmap: ImageBitmap, size: DisplaySize): Promise<ImageBitmap> {
  return createImageBitmap(bitmap, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'medium',
  });
}

/**
 * Detects the cells of the field and crops the red ones; closes `bitmap`. With `onCrops`, crops go
 * there CROP_CHUNK at a time as they are cut (the last chunk may be shorter) instead of into the result.
 * With `displaySize`, the downscaled display copy is made after the last crop and returned.
 */
export async function detectField(
  bitmap: ImageBitmap,
  background: [number, number, number],
  onCrops?: (crops: TransferredCrop[]) => void,
  displaySize?: DisplaySize,
): Promise<FieldDetected> {
  try {
    return await detectAndCrop(bitmap, background, onCrops, displaySize);
  } finally {
    bitmap.close();
  }
}

async function detectAndCrop(
  bitmap: ImageBitmap,
  background: [number, number, number],
  onCrops: ((crops: TransferredCrop[]) => void) | undefined,
  displaySize: DisplaySize | undefined,
): Promise<FieldDetected> {
  const t0 = performance.now();
  const stored = await readStoredPixels(bitmap, fieldPixelBuffers);
  const img: FieldPixels = stored ?? pixelsThroughCanvas(bitmap);
  const decodeMs = performance.now() - t0;
  const { detection, labelMap } = detectCells(img, { now: () => performance.now() });
  let crops: TransferredCrop[] = [];
  let streamed = 0;
  const geometry = cropGeometryFor(detection.stats.medianRadius);
  for (const cell of detection.cells) {
    if (cell.kind !== 'red') continue;
    const crop = cropCell(img, labelMap, cell.id, cell.box, background, geometry);
    if (!crop) continue;
    crops.push({
      id: cell.id,
      width: crop.image.width,
      height: crop.image.height,
      box: crop.box,
      pixels: crop.image.data.buffer as ArrayBuffer,
      rgb: rgbaToRgb(crop.image.data, crop.image.width, crop.image.height).buffer as ArrayBuffer,
    });
    if (onCrops && crops.length === CROP_CHUNK) {
      onCrops(crops);
      streamed += crops.length;
      crops = [];
    }
  }
  if (onCrops && crops.length) {
    onCrops(crops);
    streamed += crops.length;
    crops = [];
  }
  // Every crop holds copies of its pixels: the readback's buffer can serve the next field.
  if (stored) fieldPixelBuffers.give(stored.data);
  const t1 = performance.now();
  const display = displaySize ? await displayCopy(bitmap, displaySize) : null;
  return {
    detection,
    crops,
    streamed,
    decodeMs,
    pixelsRead: stored ? 'stored' : 'canvas',
    display,
    displayMs: performance.now() - t1,
  };
}
