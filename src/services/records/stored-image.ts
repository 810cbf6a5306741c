/** Draws and encodes the downscaled copies a record keeps (sizes: core/records/image-sizes.ts). */
import type { PixelSource } from '../model/pixel-source.js';
import type { StoredImage } from '../../core/records/schema.js';
import { fitWithin } from '../../core/records/image-sizes.js';
import type { Box } from '../../core/field/field-types.js';
import { makeCanvas, type AnyCanvas, type Canvas2D } from '../canvas.js';

async function encode(canvas: AnyCanvas, type: string, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) {
    try {
      return await canvas.convertToBlob({ type, quality });
    } catch {
      return null;
    }
  }
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/** WebP, or JPEG where the browser cannot encode WebP (the blob's real type is recorded). */
async function encodeForStorage(
  canvas: AnyCanvas,
  size: { width: number; height: number },
  quality: number,
): Promise<StoredImage> {
  let blob = await encode(canvas, 'image/webp', quality);
  if (!blob || blob.type !== 'image/webp') blob = await encode(canvas, 'image/jpeg', quality + 0.03);
  if (!blob) throw new Error('The image could not be encoded for storage.');
  return { bytes: await blob.arrayBuffer(), type: blob.type || 'image/jpeg', width: size.width, height: size.height };
}

/**
 * Draws the (upright, decoded) image at a reduced size and encodes it as WebP, or JPEG where the
 * browser cannot encode WebP (the blob's real type is recorded).
 */
export async function downscaleForStorage(
  source: PixelSource,
  width: number,
  height: number,
  maxSide: number,
): Promise<StoredImage> {
  const size = fitWithin(width, height, maxSide);
  const canvas = makeCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d') as Canvas2D | null;
  if (!ctx) throw new Error('Canvas 2D is not available to store the image.');
  ctx.imageSmoothingQuality = 'high';
  if (source instanceof ImageData) {
    const tmp = makeCanvas(source.width, source.height);
    const tctx = tmp.getContext('2d') as Canvas2D | null;
    tctx?.putImageData(source, 0, 0);
    ctx.drawImage(tmp, 0, 0, size.width, size.height);
  } else {
    ctx.drawImage(source, 0, 0, size.width, size.height);
  }
  return encodeForStorage(canvas, size, 0.82);
}

/**
 * Cuts `region` (full-resolution upright pixels) out of `source` — which may be a downscaled copy of
 * that image, `sourceScale` source pixels per full-resolution pixel — and encodes it at most
 * `maxSide` px on its long side.
 */
export async function cropForStorage(
  source: ImageBitmap,
  sourceScale: number,
  region: Box,
  maxSide: number,
): Promise<StoredImage> {
  const sw = region.width * sourceScale;
  const sh = region.height * sourceScale;
  const size = fitWithin(sw, sh, maxSide);
  const canvas = makeCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d') as Canvas2D | null;
  if (!ctx) throw new Error('Canvas 2D is not available to store the image.');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, region.x * sourceScale, region.y * sourceScale, sw, sh, 0, 0, size.width, size.height);
  return encodeForStorage(canvas, size, 0.85);
}

/** An object URL for showing a stored image (revoke it when done). */
export function storedImageUrl(image: StoredImage): string {
  return URL.createObjectURL(new Blob([image.bytes], { type: image.type }));
}
