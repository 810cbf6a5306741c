/**
 * For tests: an upright RGBA image as a camera would have stored it under an EXIF orientation, in
 * RGBA or BGRA byte order (the inverse of what `orientedView` reads).
 */
import type { RgbaImage } from './field-types.js';
import type { ChannelOrder, PixelView } from './pixel-view.js';
import { storedToUpright, uprightSize, type Size } from './orientation.js';

export function storedAs(
  upright: RgbaImage,
  orientation: number,
  order: ChannelOrder,
  fourthByte = 7,
): { data: Uint8Array; size: Size } {
  // The stored size is the upright size under the same swap (uprightSize is its own inverse).
  const size = uprightSize({ width: upright.width, height: upright.height }, orientation);
  const data = new Uint8Array(size.width * size.height * 4).fill(fourthByte);
  const [r, b] = order === 'rgba' ? [0, 2] : [2, 0];
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const u = storedToUpright(x, y, size, orientation);
      const i = (u.y * upright.width + u.x) * 4;
      const o = (y * size.width + x) * 4;
      data[o + r] = upright.data[i]!;
      data[o + 1] = upright.data[i + 1]!;
      data[o + b] = upright.data[i + 2]!;
    }
  }
  return { data, size };
}

/** For tests: what a view shows, as packed upright RGBA (alpha 255), to compare with the source image. */
export function viewToRgba(v: PixelView): RgbaImage {
  const out = new Uint8ClampedArray(v.width * v.height * 4);
  for (let y = 0; y < v.height; y++) {
    for (let x = 0; x < v.width; x++) {
      const s = v.origin + x * v.stepX + y * v.stepY;
      const o = (y * v.width + x) * 4;
      out[o] = v.data[s + v.red]!;
      out[o + 1] = v.data[s + v.green]!;
      out[o + 2] = v.data[s + v.blue]!;
      out[o + 3] = 255;
    }
  }
  return { width: v.width, height: v.height, data: out };
}
