import { describe, expect, it } from 'vitest';
import { CROP_GROW_PER_RADIUS, cropCell, cropGeometryFor, growMask, type LabelMap } from './crop-cell.js';
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
  for (let y = 0; y < 10; y++)
    for (let x = 0; x < 10; x++) if ((x - 5) ** 2 + (y - 5) ** 2 <= 6.5) map.data[y * 10 + x] = 7;
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
    let inside = 0,
      black = 0;
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

  it('grows the outline by whole pixels into background, never into a neighbouring cell', () => {
    const { img, map } = fixture();
    // A neighbour (id 5) touching the disc on its right.
    for (let y = 3; y <= 7; y++) map.data[y * 10 + 8] = 5;
    const count = (c: ReturnType<typeof cropCell>) => {
      let n = 0;
      for (let i = 0; i < c!.image.data.length; i += 4)
        if (c!.image.data[i]! + c!.image.data[i + 1]! + c!.image.data[i + 2]! > 0) n++;
      return n;
    };
    const base = cropCell(img, map, 7, { x: 8, y: 8, width: 24, height: 24 })!;
    const grown = cropCell(img, map, 7, { x: 8, y: 8, width: 24, height: 24 }, [0, 0, 0], { grow: 3 })!;
    const shrunk = cropCell(img, map, 7, { x: 8, y: 8, width: 24, height: 24 }, [0, 0, 0], { grow: -3 })!;
    expect(count(grown)).toBeGreaterThan(count(base));
    expect(count(shrunk)).toBeLessThan(count(base));
    // Left side grows freely by 3 px; the right side stops at the neighbour (working column 8 = x ≥ 32).
    expect(grown.box.x).toBe(base.box.x - 3);
    expect(grown.box.x + grown.box.width).toBeLessThanOrEqual(32);
    expect(shrunk.box.width).toBe(base.box.width - 6);
    // Grown pixels are still the field's own pixels at the right place.
    const o = (grown.box.height >> 1) * grown.box.width * 4;
    expect(grown.image.data[o]).toBe(100 + grown.box.x);
  });

  it('growMask dilates and erodes Euclidean discs', () => {
    const w = 21,
      m = new Uint8Array(w * w);
    m[10 * w + 10] = 1;
    const d = growMask(m, w, w, 5);
    expect(d.reduce((a, b) => a + b, 0)).toBe(81); // lattice points within radius 5
    expect(growMask(d, w, w, -4).reduce((a, b) => a + b, 0)).toBeLessThan(10);
  });

  it('scales the measured growth with the median cell radius', () => {
    expect(CROP_GROW_PER_RADIUS).toBeGreaterThan(0);
    expect(cropGeometryFor(60).grow).toBeCloseTo(60 * CROP_GROW_PER_RADIUS);
    expect(cropGeometryFor(0).grow).toBe(0);
    expect(cropGeometryFor(Number.NaN).grow).toBe(0);
  });
});

describe('growMask', () => {
  it('equals thresholding the exact Euclidean distance transform', async () => {
    const { distanceTransform } = await import('./image-ops.js');
    const w = 40,
      h = 30;
    const m = new Uint8Array(w * h);
    // An irregular blob: union of two discs and a bar.
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if ((x - 14) ** 2 + (y - 15) ** 2 <= 49 || (x - 24) ** 2 + (y - 13) ** 2 <= 30 || (y === 22 && x > 8 && x < 30))
          m[y * w + x] = 1;
      }
    for (const g of [1, 2.5, 4, -1, -2.5, -4]) {
      const got = growMask(m, w, h, g);
      let d: Float32Array;
      if (g > 0) {
        d = distanceTransform({ width: w, height: h, data: m.map((v) => (v ? 0 : 1)) });
        for (let i = 0; i < m.length; i++) expect(got[i], `grow ${g} at ${i}`).toBe(m[i] || d[i]! <= g ? 1 : 0);
      } else {
        d = distanceTransform({ width: w, height: h, data: m });
        for (let i = 0; i < m.length; i++) expect(got[i], `grow ${g} at ${i}`).toBe(m[i] && d[i]! > -g ? 1 : 0);
      }
    }
  });
});

describe('fillEnclosedHoles', () => {
  it('fills a ring’s hole in the crop but leaves background open to the border', async () => {
    const { fillEnclosedHoles } = await import('./crop-cell.js');
    const w = 12,
      m = new Uint8Array(w * w);
    // A ring (hole at the centre) and a "C" open to the right.
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const r2 = (x - 5.5) ** 2 + (y - 5.5) ** 2;
        if (r2 <= 20 && r2 >= 4) m[y * w + x] = 1;
      }
    const hole = 5 * w + 5;
    expect(m[hole]).toBe(0);
    const ring = m.slice();
    fillEnclosedHoles(ring, w, w);
    expect(ring[hole]).toBe(1);
    expect(ring[0]).toBe(0);
    const open = m.slice();
    for (let x = 6; x < w; x++) {
      open[5 * w + x] = 0;
      open[6 * w + x] = 0;
    }
    fillEnclosedHoles(open, w, w);
    expect(open[hole]).toBe(0);
  });

  it('a cell with an open central pallor is cropped without a black hole', () => {
    const img: RgbaImage = { width: 40, height: 40, data: new Uint8ClampedArray(40 * 40 * 4).fill(200) };
    const map: LabelMap = { width: 10, height: 10, scale: 4, data: new Int32Array(100) };
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 10; x++) {
        const r2 = (x - 5) ** 2 + (y - 5) ** 2;
        if (r2 <= 12 && r2 >= 2) map.data[y * 10 + x] = 4;
      }
    const crop = cropCell(img, map, 4, { x: 4, y: 4, width: 32, height: 32 })!;
    const cx = Math.round(20 - crop.box.x),
      cy = Math.round(20 - crop.box.y);
    expect(crop.image.data[(cy * crop.image.width + cx) * 4]).toBe(200);
  });
});
