/**
 * Browser side of the single-cell plausibility gate (cell-plausibility.ts) for images decoded on the
 * page (ImageBitmap or <img>): reads their RGBA back from a 2D canvas, as the decode worker does, and
 * runs the gate. The size part runs first, so a photo of field size is never read back.
 */
import type { PixelSource } from '../model/pixel-source.js';
import { checkCellPlausibility, checkCellSize, type CellGateResult } from '../../core/cells/cell-plausibility.js';
import { canvas2d, type Canvas2D } from '../canvas.js';

let context: Canvas2D | null = null;

function canvasContext(): Canvas2D {
  context ??= canvas2d(1, 1, { willReadFrequently: true });
  if (!context) throw new Error('2D canvas unavailable');
  return context;
}

/** RGBA of a decoded image at its own size (as tf.browser.fromPixels reads it). */
export function readRgba(source: PixelSource, width: number, height: number): Uint8ClampedArray {
  if (typeof ImageData === 'function' && source instanceof ImageData) return source.data;
  const ctx = canvasContext();
  ctx.canvas.width = width;
  ctx.canvas.height = height;
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(source as Exclude<PixelSource, ImageData>, 0, 0, width, height);
  const data = ctx.getImageData(0, 0, width, height).data;
  // Free the canvas's backing store until the next image.
  ctx.canvas.width = 1;
  ctx.canvas.height = 1;
  return data;
}

/** The gate for an image decoded on the page. */
export function gateDecodedImage(source: PixelSource, width: number, height: number): CellGateResult {
  const size = checkCellSize(width, height);
  if (!size.ok) return size;
  return checkCellPlausibility(readRgba(source, width, height), width, height);
}
