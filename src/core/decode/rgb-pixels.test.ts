import { describe, expect, it } from 'vitest';
import { rgbaToRgb, rgbPixels } from './rgb-pixels.js';

describe('rgbaToRgb', () => {
  it('keeps R, G, B of every pixel in order and drops alpha (as fromPixels(…, 3))', () => {
    const rgba = Uint8ClampedArray.from([10, 20, 30, 255, 40, 50, 60, 0, 70, 80, 90, 128, 255, 0, 1, 7]);
    expect(Array.from(rgbaToRgb(rgba, 2, 2))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 255, 0, 1]);
  });
  it('returns float32 values that equal the bytes exactly', () => {
    const rgba = Uint8ClampedArray.from({ length: 256 * 4 }, (_, i) => Math.floor(i / 4));
    const rgb = rgbaToRgb(rgba, 16, 16);
    expect(rgb).toBeInstanceOf(Float32Array);
    for (let p = 0; p < 256; p++) expect([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]]).toEqual([p, p, p]);
  });
  it('writes into a given (larger) buffer and returns a view of exactly the pixels', () => {
    const rgba = Uint8ClampedArray.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const into = new Float32Array(10).fill(-1).buffer;
    const rgb = rgbaToRgb(rgba, 2, 1, into);
    expect(rgb.buffer).toBe(into);
    expect(Array.from(rgb)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(() => rgbaToRgb(rgba, 2, 1, new ArrayBuffer(20))).toThrow(RangeError);
  });
  it('rejects too few values or an empty image', () => {
    expect(() => rgbaToRgb(new Uint8ClampedArray(15), 2, 2)).toThrow(RangeError);
    expect(() => rgbaToRgb(new Uint8ClampedArray(0), 0, 5)).toThrow(RangeError);
  });
});

describe('rgbPixels', () => {
  it('checks the size', () => {
    expect(rgbPixels(new Float32Array(12), 2, 2)).toMatchObject({ kind: 'rgb', width: 2, height: 2 });
    expect(() => rgbPixels(new Float32Array(11), 2, 2)).toThrow(RangeError);
  });
});
