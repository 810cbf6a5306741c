/**
 * Turns a user's file (picker, drop, paste, camera) into something tf.browser.fromPixels can read.
 * Files are checked by their bytes first (see image-format.ts), then decoded by the browser with
 * createImageBitmap (EXIF orientation applied, no colour-space or alpha conversion, matching sharp
 * in training), falling back to an <img> element where createImageBitmap options are unsupported.
 */
import type { PixelSource } from './classifier-types.js';
import {
  checkImageSize, DEFAULT_SIZE_LIMITS, ImageRejectedError, SNIFF_BYTES, validateImageBytes, type SizeLimits,
} from './image-format.js';

export interface DecodedImage {
  source: PixelSource;
  width: number;
  height: number;
  /** Frees the decoded pixels. Safe to call more than once. */
  close(): void;
}

async function readBytes(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

const BITMAP_OPTIONS: ImageBitmapOptions = {
  imageOrientation: 'from-image',
  colorSpaceConversion: 'none',
  premultiplyAlpha: 'none',
};

async function decodeWithImageElement(blob: Blob): Promise<DecodedImage> {
  const url = URL.createObjectURL(blob);
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => { img.src = ''; } };
}

async function decodeWithBitmap(blob: Blob): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, BITMAP_OPTIONS);
  } catch (err) {
    // Old engines throw TypeError for unknown options; retry without them.
    if (err instanceof TypeError) bitmap = await createImageBitmap(blob);
    else throw err;
  }
  return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
}

/** Decodes an image file or throws ImageRejectedError with a message fit for the result row. */
export async function decodeImageFile(file: Blob & { name?: string }, limits: SizeLimits = DEFAULT_SIZE_LIMITS): Promise<DecodedImage> {
  // One read for small files (every NIH cell crop); head + tail reads for big ones.
  const head = await readBytes(file, 0, SNIFF_BYTES);
  const tail = file.size <= SNIFF_BYTES ? head.subarray(Math.max(0, head.length - 64)) : await readBytes(file, file.size - 64, file.size);
  validateImageBytes(file.size, head, tail, limits, { name: file.name ?? '', type: file.type });
  let decoded: DecodedImage;
  try {
    decoded = typeof createImageBitmap === 'function' ? await decodeWithBitmap(file) : await decodeWithImageElement(file);
  } catch {
    throw new ImageRejectedError('Could not decode the image: the file is damaged or in a format this browser cannot read.');
  }
  try {
    checkImageSize(decoded.width, decoded.height, limits);
  } catch (err) {
    decoded.close();
    throw err;
  }
  return decoded;
}

/** Message for any error thrown while decoding or classifying one file. */
export function describeError(err: unknown): string {
  if (err instanceof ImageRejectedError) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  return `Could not classify this image (${msg}).`;
}
