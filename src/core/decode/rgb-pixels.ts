/** Pure: RGBA (ImageData layout) → the RGB pixels the classifier takes (see RgbPixels). */
import type { RgbPixels } from '../model/classifier-types.js';

/** Drops alpha exactly as `tf.browser.fromPixels(…, 3)` does: R, G, B of every pixel, in order. */
export function rgbaToRgb(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height;
  if (!(n > 0)) throw new RangeError(`no pixels (${width} × ${height})`);
  if (rgba.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA values, got ${rgba.length}`);
  const out = new Float32Array(n * 3);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) {
    out[k] = rgba[j] as number;
    out[k + 1] = rgba[j + 1] as number;
    out[k + 2] = rgba[j + 2] as number;
  }
  return out;
}

export function rgbPixels(data: Float32Array, width: number, height: number): RgbPixels {
  if (data.length !== width * height * 3)
    throw new RangeError(`expected ${width * height * 3} RGB values, got ${data.length}`);
  return { kind: 'rgb', data, width, height };
}
