/**
 * Reads a decoded field's pixels the cheap way: as stored in the file, through a `VideoFrame` of
 * the bitmap, with the EXIF orientation left to the reader (src/core/field/pixel-view.ts).
 *
 * Why: Chrome keeps an upright bitmap's EXIF orientation as a flag and applies it when the bitmap is
 * drawn, so the canvas readback of a 16 MP NIH photo (orientation 8) turns the whole photo:
 * drawImage + getImageData 233–400 ms the first time and 167–185 ms after in a bare page, against
 * 67–94 ms for `VideoFrame.copyTo` of the stored BGRX pixels into a fresh buffer and 13–15 ms into a
 * reused one (docs/performance.md, step 11).
 *
 * The frame's own rotation/flip attributes are not trusted: the orientation is the one, among
 * those giving the bitmap's upright size, under which a few patches drawn from the bitmap itself
 * (through a canvas, as the old path read them) equal the stored pixels exactly. Null, and the
 * caller reads the bitmap through a canvas as before, when: there is no `VideoFrame`; the frame is
 * not 8-bit RGB (RGBA/RGBX/BGRA/BGRX); a pixel is not opaque (the canvas stores premultiplied
 * alpha, so its readback of such pixels differs); no orientation or more than one matches (a
 * featureless image); anything fails. Where no orientation matches on a frame that was read, the
 * platform does not give stored pixels as assumed: this module then stops trying (for the life of
 * the worker), instead of paying the copy on every field.
 */
import type { PixelView, ChannelOrder } from '../../core/field/pixel-view.js';
import { orientedView } from '../../core/field/pixel-view.js';
import { uprightSize, type Size } from '../../core/field/orientation.js';
import type { SpareBuffer } from '../../core/shared/spare-buffer.js';
import { canvas2d } from '../canvas.js';

const ORDER_OF_FORMAT: Partial<Record<VideoPixelFormat, ChannelOrder>> = {
  RGBA: 'rgba',
  RGBX: 'rgba',
  BGRA: 'bgra',
  BGRX: 'bgra',
};
/** Formats whose fourth byte is alpha (must be 255 everywhere); RGBX/BGRX are opaque by definition. */
const WITH_ALPHA: ReadonlySet<VideoPixelFormat> = new Set<VideoPixelFormat>(['RGBA', 'BGRA']);

/** Side of the square patches compared, and where their centres sit (fractions of the upright size). */
const PATCH = 8;
const PATCH_AT: readonly (readonly [number, number])[] = [
  [0.5, 0.5],
  [0.31, 0.37],
  [0.69, 0.41],
  [0.36, 0.66],
  [0.63, 0.71],
];

interface Patch {
  x: number;
  y: number;
  size: number;
  rgba: Uint8ClampedArray;
}

/** Set once stored pixels matched no orientation: the platform's frames are not what this assumes. */
let storedPathFailed = false;

/** Upright patches of the bitmap, read through a canvas (as the full readback would read them). */
function samplePatches(bitmap: ImageBitmap): Patch[] | null {
  const size = Math.min(PATCH, bitmap.width, bitmap.height);
  if (size < 1) return null;
  const ctx = canvas2d(size, size, { willReadFrequently: true });
  if (!ctx) return null;
  ctx.imageSmoothingEnabled = false;
  return PATCH_AT.map(([fx, fy]) => {
    const x = Math.min(bitmap.width - size, Math.max(0, Math.round(fx * bitmap.width - size / 2)));
    const y = Math.min(bitmap.height - size, Math.max(0, Math.round(fy * bitmap.height - size / 2)));
    ctx.clearRect(0, 0, size, size);
    ctx.drawImage(bitmap, x, y, size, size, 0, 0, size, size);
    return { x, y, size, rgba: ctx.getImageData(0, 0, size, size).data };
  });
}

function patchesMatch(view: PixelView, patches: readonly Patch[]): boolean {
  for (const p of patches) {
    for (let y = 0; y < p.size; y++) {
      for (let x = 0; x < p.size; x++) {
        const s = view.origin + (p.x + x) * view.stepX + (p.y + y) * view.stepY;
        const o = (y * p.size + x) * 4;
        if (
          view.data[s + view.red] !== p.rgba[o] ||
          view.data[s + view.green] !== p.rgba[o + 1] ||
          view.data[s + view.blue] !== p.rgba[o + 2]
        )
          return false;
      }
    }
  }
  return true;
}

function opaque(data: Uint8Array): boolean {
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/** The orientations (1–8) whose upright size of `stored` is the bitmap's. */
function orientationsFitting(stored: Size, upright: Size): number[] {
  const out: number[] = [];
  for (let o = 1; o <= 8; o++) {
    const u = uprightSize(stored, o);
    if (u.width === upright.width && u.height === upright.height) out.push(o);
  }
  return out;
}

/**
 * The bitmap's pixels as stored, viewed upright; null where this path cannot be used (see above).
 * The pixels go into a buffer from `buffers` (give it back with `buffers.give(view.data)` when done).
 */
export async function readStoredPixels(bitmap: ImageBitmap, buffers: SpareBuffer): Promise<PixelView | null> {
  if (storedPathFailed || typeof VideoFrame !== 'function') return null;
  let frame: VideoFrame | null = null;
  try {
    frame = new VideoFrame(bitmap, { timestamp: 0 });
    const format = frame.format;
    const order = format ? ORDER_OF_FORMAT[format] : undefined;
    const rect = frame.visibleRect;
    if (!format || !order || !rect) return null;
    const stored: Size = { width: rect.width, height: rect.height };
    const fitting = orientationsFitting(stored, { width: bitmap.width, height: bitmap.height });
    if (!fitting.length) return null;
    const data = buffers.take(stored.width * stored.height * 4);
    try {
      await frame.copyTo(data, {
        rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
        layout: [{ offset: 0, stride: stored.width * 4 }],
      });
      const patches = WITH_ALPHA.has(format) && !opaque(data) ? null : samplePatches(bitmap);
      if (patches) {
        const views = fitting.map((o) => orientedView(data, stored, o, order)).filter((v) => patchesMatch(v, patches));
        if (views.length === 1) return views[0]!;
        if (views.length === 0) storedPathFailed = true;
      }
    } catch {
      // falls through: the buffer goes back, the caller reads through a canvas
    }
    buffers.give(data);
    return null;
  } catch {
    return null;
  } finally {
    frame?.close();
  }
}

/** For tests: forget that the stored path failed. */
export function resetStoredPixelsForTesting(): void {
  storedPathFailed = false;
}
