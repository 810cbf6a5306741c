/** Pure: RGBA (ImageData layout) → the RGB pixels the classifier takes (see RgbPixels). */
import type { RgbPixels } from '../model/classifier-types.js';

/**
 * Drops alpha exactly as `tf.browser.fromPixels(…, 3)` does: R, G, B of every pixel, in order.
 * `into`: a buffer to write into (at its start; at least width × height × 12 bytes), e.g. one
 * reused from a BufferPool; the result is a view of exactly width × height × 3 values.
 */
export function rgbaToRgb(rgba: ArrayLike<number>, width: number, height: number, into?: ArrayBuffer): Float32Array {
  const n = width * height;
  if (!(n > 0)) throw new RangeError(`no pixels (${width} × ${height})`);
  if (rgba.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA values, got ${rgba.length}`);
  if (into && into.byteLength < n * 12) throw new RangeError(`buffer of ${into.byteLength} bytes for ${n * 12}`);
  const out = into ? new Float32Array(into, 0, n * 3) : new Float32Array(n * 3);
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
