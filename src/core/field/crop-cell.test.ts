import { describe, expect, it } from 'vitest';
import { cropCell, type LabelMap } from './crop-cell.js';
import type { RgbaImage } from './field-types.js';

/** A 40×40 image with distinct colours per pixel, and a working label map at scale 4 holding a disc. */
function fixture(): { img: RgbaImage; map: LabelMap } {
  const img: RgbaImage = { width: 40, height: 40, data: new Uint8ClampedArray(40 * 40 * 4) };
  for (let y = 0; y < 40; y++) {
    for (let x = 0; x < 40; x++) {
      const i = (y * 40 + x) * 4;
      img.data[i] = 100 + x;
      img.data[i + 1] = 50 + y;
      img.data[i + 2] = 200;
      img.data[i + 3] = 255;
    }
  }
  const map: LabelMap = { width: 10, height: 10, scale: 4, data: new Int32Array(100) };
  for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) if ((x - 5) ** 2 + (y - 5) ** 2 <= 6.5) map.data[y * 10 + x] = 7;
  map.data[0] = 3; // another cell far away must not leak into the crop
  return { img, map };
}

describe('cropCell', () => {
  it('cuts a tight box and blacks out everything outside the outline', () => {
    const { img, map } = fixture();
    const crop = cropCell(img, map, 7, { x: 8, y: 8, width: 24, height: 24 });
    expect(crop).not.toBeNull();
    const { box, image } = crop!;
    expect(image.width).toBe(box.width);
    expect(image.height).toBe(box.height);
    let inside = 0, black = 0;
    const rowHas = new Array<boolean>(image.height).fill(false);
    const colHas = new Array<boolean>(image.width).fill(false);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const o = (y * image.width + x) * 4;
        expect(image.data[o + 3]).toBe(255);
        if (image.data[o] === 0 && image.data[o + 1] === 0 && image.data[o + 2] === 0) {
          black++;
          continue;
        }
        inside++;
        rowHas[y] = true;
        colHas[x] = true;
        // Inside pixels are copied untouched from the right place in the field.
        expect(image.data[o]).toBe(100 + box.x + x);
        expect(image.data[o + 1]).toBe(50 + box.y + y);
      }
    }
    // Tight: every row and column of the box holds cell pixels; corners of a disc are black.
    expect(rowHas.every(Boolean)).toBe(true);
    expect(colHas.every(Boolean)).toBe(true);
    expect(black).toBeGreaterThan(0);
    expect(image.data[0]).toBe(0);
    // Area close to the upsampled region (its working pixels × scale²).
    const workingPixels = map.data.filter((v) => v === 7).length;
    expect(inside).toBeGreaterThan(workingPixels * 16 * 0.85);
    expect(inside).toBeLessThan(workingPixels * 16 * 1.15);
  });

  it('uses the requested background colour and returns null for an absent cell', () => {
    const { img, map } = fixture();
    const crop = cropCell(img, map, 7, { x: 8, y: 8, width: 24, height: 24 }, [9, 8, 7])!;
    expect([...crop.image.data.slice(0, 3)]).toEqual([9, 8, 7]);
    expect(cropCell(img, map, 99, { x: 0, y: 0, width: 40, height: 40 })).toBeNull();
  });
});
