/**
 * Decodes an image file straight to its pixels, in a worker or on the page.
 * Same checks and decoder as decode-image.ts (bytes validated first, createImageBitmap with EXIF
 * orientation, no colour-space or alpha conversion, size re-checked), and the same pixels
 * `tf.browser.fromPixels` reads from an ImageBitmap: it is drawn onto a 2D canvas and read back
 * with getImageData. Doing that here, off the page's main thread, is what lets the batch pipeline
 * decode chunk n+1 while chunk n runs through the model.
 */
import { checkFileBytes, decodeBitmap, UNDECODABLE_MESSAGE } from './decode-image.js';
import {
  checkImageSize,
  DEFAULT_SIZE_LIMITS,
  ImageRejectedError,
  type SizeLimits,
} from '../../core/decode/image-format.js';
import type { RgbPixels } from '../../core/model/classifier-types.js';
import { rgbaToRgb, rgbPixels } from '../../core/decode/rgb-pixels.js';
import { assertPlausibleCell } from '../../core/cells/cell-plausibility.js';

let context: OffscreenCanvasRenderingContext2D | null = null;

function canvasContext(): OffscreenCanvasRenderingContext2D {
  context ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('2D canvas unavailable');
  return context;
}

/** RGBA pixels of a decoded bitmap, read back exactly as tf.browser.fromPixels does. */
export function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const ctx = canvasContext();
  ctx.canvas.width = bitmap.width;
  ctx.canvas.height = bitmap.height;
  ctx.drawImage(bitmap, 0, 0, bitmap.width, bitmap.height);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Decodes a file to RGBA pixels or throws ImageRejectedError with a message fit for the result row. */
export async function decodeToImageData(
  file: Blob & { name?: string },
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
): Promise<ImageData> {
  await checkFileBytes(file, limits);
  let bitmap: ImageBitmap;
  try {
    bitmap = await decodeBitmap(file);
  } catch {
    throw new ImageRejectedError(UNDECODABLE_MESSAGE);
  }
  try {
    checkImageSize(bitmap.width, bitmap.height, limits);
    return bitmapPixels(bitmap);
  } finally {
    bitmap.close();
  }
}

/**
 * A single-cell image to the RGB pixels the classifier takes (alpha dropped as fromPixels(…, 3)
 * does): decoded as above, then it must pass the plausibility gate
 * (cells/cell-plausibility.ts; a NotACellError, whose message is shown as is, otherwise). The
 * gate reads the RGBA already in memory: ≈ 0.1 ms per NIH-sized cell. `buffer(bytes)`: where to
 * write the RGB float32 values (e.g. a reused buffer, core/decode/buffer-pool.ts); a new one otherwise.
 */
export async function decodeCellToRgb(
  file: Blob & { name?: string },
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
  buffer?: (bytes: number) => ArrayBuffer,
): Promise<RgbPixels> {
  const img = await decodeToImageData(file, limits);
  assertPlausibleCell(img.data, img.width, img.height);
  const { width, height } = img;
  return rgbPixels(rgbaToRgb(img.data, width, height, buffer?.(width * height * 12)), width, height);
}
