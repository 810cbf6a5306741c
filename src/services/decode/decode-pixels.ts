/**
 * Decodes an image file straight to its pixels, in a worker or on the page.
 * Same checks and decoder as decode-image.ts (bytes validated first, createImageBitmap with EXIF
 * orientation, no colour-space or alpha conversion, size re-checked), and the same pixels
 * `tf.browser.fromPixels` reads from an ImageBitmap: it is drawn onto a 2D canvas and read back
 * with getImageData. Doing that here, off the page's main thread, is what lets the batch pipeline
 * decode chunk n+1 while chunk n runs through the model.
 */
import { decodeBitmap, readCheckedBytes, UNDECODABLE_MESSAGE } from './decode-image.js';
import {
  checkImageSize,
  DEFAULT_SIZE_LIMITS,
  ImageRejectedError,
  type ImageFormat,
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

/** MIME types of the formats decoded with WebCodecs' ImageDecoder from bytes already read. */
const IMAGE_DECODER_TYPES: Partial<Record<ImageFormat, string>> = { png: 'image/png', webp: 'image/webp' };

type OrientedFrame = VideoFrame & { readonly rotation?: number; readonly flip?: boolean };

const RGB_FRAME_FORMATS: ReadonlySet<string> = new Set(['RGBA', 'RGBX', 'BGRA', 'BGRX']);

/**
 * A PNG or WebP decoded from the bytes the checks already read (WebCodecs `ImageDecoder`), so the
 * file is read once instead of twice (createImageBitmap reads it again): ≈ 30 % less CPU for
 * decoding a batch of picked cells, half of it in the browser process. The pixels equal the canvas
 * read-back's (checked on 1,000 NIH cells as PNG and as WebP, and by app-parity), except where this
 * returns null and the caller takes the bitmap path: no ImageDecoder, or one that cannot say a
 * frame's orientation (VideoFrame rotation/flip, which copyTo does not apply), an EXIF-rotated or
 * flipped image, a YUV frame (lossy WebP: its YUV → RGB conversion differs from the bitmap's, as
 * for JPEG, which is never decoded here), any transparent pixel (the canvas stores premultiplied
 * alpha, so its read-back of such pixels differs), or any failure.
 */
async function decodeBytesWithImageDecoder(bytes: Uint8Array, type: string): Promise<ImageData | null> {
  if (typeof ImageDecoder !== 'function' || typeof VideoFrame !== 'function') return null;
  if (!('rotation' in VideoFrame.prototype && 'flip' in VideoFrame.prototype)) return null;
  let decoder: ImageDecoder | null = null;
  let frame: OrientedFrame | null = null;
  try {
    decoder = new ImageDecoder({ data: bytes, type, colorSpaceConversion: 'none', preferAnimation: false });
    frame = (await decoder.decode({ frameIndex: 0 })).image as OrientedFrame;
    // An RGB frame only: a YUV one (lossy WebP, like JPEG) is converted to RGB differently here.
    if (!RGB_FRAME_FORMATS.has(frame.format ?? '')) return null;
    if (frame.rotation !== 0 || frame.flip !== false) return null;
    const { displayWidth: width, displayHeight: height } = frame;
    const rgba = new Uint8ClampedArray(width * height * 4);
    await frame.copyTo(rgba, { format: 'RGBA' });
    for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return null;
    return new ImageData(rgba, width, height);
  } catch {
    return null;
  } finally {
    frame?.close();
    decoder?.close();
  }
}

/** Decodes a file to RGBA pixels or throws ImageRejectedError with a message fit for the result row. */
export async function decodeToImageData(
  file: Blob & { name?: string },
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
): Promise<ImageData> {
  const { info, bytes } = await readCheckedBytes(file, limits);
  const type = IMAGE_DECODER_TYPES[info.format];
  if (bytes && type) {
    const img = await decodeBytesWithImageDecoder(bytes, type);
    if (img) {
      checkImageSize(img.width, img.height, limits);
      return img;
    }
  }
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
