/**
 * The upright field as the detector reads it, over pixels stored in any EXIF orientation and
 * channel order. Why: in the browser the upright 16 MP bitmap keeps its EXIF orientation lazily and
 * `drawImage` applies it, so reading it through a canvas turns the whole photo (167–400 ms on the
 * NIH photos, orientation 8); a `VideoFrame` of the same bitmap hands over the stored pixels (BGRX)
 * in 13–94 ms (src/services/field/stored-pixels.ts). Detection and crops read them through this
 * view, in the upright coordinates they always used, so their output is byte-identical
 * (detection-pin.test.ts: a field stored under each orientation with `storedToUpright` and read back
 * through `orientedView` gives the upright digest).
 */
import type { RgbaImage } from './field-types.js';
import { uprightSize, uprightToStored, type Size } from './orientation.js';

export interface PixelView {
  /** Upright size. */
  width: number;
  height: number;
  /** Stored bytes, 4 per pixel. */
  data: Uint8Array | Uint8ClampedArray;
  /** Byte index of upright pixel (0, 0). */
  origin: number;
  /** Bytes from upright (x, y) to (x + 1, y) and to (x, y + 1); ±4 or ± 4 × stored width. */
  stepX: number;
  stepY: number;
  /** Byte offsets of red, green and blue within a pixel. */
  red: number;
  green: number;
  blue: number;
}

/** What the detector takes: a plain upright RGBA image (Node, tests) or a view. */
export type FieldPixels = RgbaImage | PixelView;

/** Channel order of stored pixels: RGBA/RGBX or BGRA/BGRX. */
export type ChannelOrder = 'rgba' | 'bgra';

/** An upright RGBA image as a view (orientation 1, RGBA order). */
export function rgbaView(img: RgbaImage): PixelView {
  return {
    width: img.width,
    height: img.height,
    data: img.data,
    origin: 0,
    stepX: 4,
    stepY: 4 * img.width,
    red: 0,
    green: 1,
    blue: 2,
  };
}

export function toPixelView(p: FieldPixels): PixelView {
  return 'stepX' in p ? p : rgbaView(p);
}

/**
 * The upright view of `data` (`stored` size, 4 bytes per pixel, rows packed) under EXIF
 * `orientation` (1–8). The map from upright to stored pixels is affine, so three points fix it.
 */
export function orientedView(
  data: Uint8Array | Uint8ClampedArray,
  stored: Size,
  orientation: number,
  order: ChannelOrder,
): PixelView {
  if (!Number.isInteger(orientation) || orientation < 1 || orientation > 8)
    throw new RangeError(`EXIF orientation ${orientation} is not 1–8`);
  if (data.length < stored.width * stored.height * 4) throw new RangeError('pixel buffer smaller than the image');
  const up = uprightSize(stored, orientation);
  const index = (x: number, y: number): number => {
    const s = uprightToStored(x, y, stored, orientation);
    return (s.y * stored.width + s.x) * 4;
  };
  const origin = index(0, 0);
  return {
    width: up.width,
    height: up.height,
    data,
    origin,
    stepX: index(1, 0) - origin,
    stepY: index(0, 1) - origin,
    red: order === 'rgba' ? 0 : 2,
    green: 1,
    blue: order === 'rgba' ? 2 : 0,
  };
}
