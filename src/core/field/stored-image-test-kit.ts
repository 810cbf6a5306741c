/**
 * For tests: an upright RGBA image as a camera would have stored it under an EXIF orientation, in
 * RGBA or BGRA byte order (the inverse of what `orientedView` reads).
 */
import type { RgbaImage } from './field-types.js';
import type { ChannelOrder } from './pixel-view.js';
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
