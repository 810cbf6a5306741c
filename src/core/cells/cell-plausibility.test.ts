import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  CELL_GATE,
  cellGateMessage,
  checkCellPlausibility,
  checkCellSize,
  measureCell,
  rowHullArea,
  type CellGateResult,
} from './cell-plausibility.js';
import {
  greyPhoto,
  naturalPhoto,
  noiseImage,
  solidImage,
  syntheticCell,
  syntheticField,
  textPhoto,
  type Rgba,
} from '../../../scripts/fixtures/synthetic-images.js';
import { plateletCrop } from '../../../scripts/fixtures/artefact-field.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'fixtures/cells');
const FIELD = join(ROOT, '../shared/data/smear-fields/239C12NThinF/IMG_20150614_125703.jpg');

const gate = (img: Rgba): CellGateResult => checkCellPlausibility(img.data, img.width, img.height);

async function decode(input: string | Buffer | Sharp): Promise<Rgba> {
  const s = typeof input === 'string' || Buffer.isBuffer(input) ? sharp(input) : input;
  const { data, info } = await s.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

function fixtureFiles(): string[] {
  return ['Parasitized', 'Uninfected'].flatMap((c) =>
    readdirSync(join(FIXTURES, c))
      .filter((f) => f.endsWith('.webp'))
      .map((f) => join(FIXTURES, c, f)),
  );
}

function expectRejected(r: CellGateResult, kind: 'field' | 'not-a-cell', reason: RegExp): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.kind).toBe(kind);
  expect(r.reason).toMatch(reason);
}

describe('cell plausibility gate: real NIH crops pass', () => {
  it('every fixture cell (40 real NIH crops, WebP) passes', async () => {
    const files = fixtureFiles();
    expect(files.length).toBe(40);
    for (const f of files) expect(gate(await decode(f)), f).toEqual({ ok: true });
  });

  it('re-encoded fixtures still pass: JPEG, grayscale, 16-bit, RGBA, half size', async () => {
    for (const f of fixtureFiles().slice(0, 8)) {
      for (const variant of [
        sharp(f).jpeg({ quality: 75 }),
        sharp(f).grayscale(),
        sharp(f).toColourspace('rgb16').png(),
        sharp(f).ensureAlpha(1).png(),
        sharp(f).resize({ width: 64 }),
      ]) {
        expect(gate(await decode(await variant.toBuffer())), f).toEqual({ ok: true });
      }
    }
  });

  it('a synthetic cell on black passes, with or without a parasite', () => {
    expect(gate(syntheticCell(130, 120))).toEqual({ ok: true });
    expect(gate(syntheticCell(100, 140, { parasite: true }))).toEqual({ ok: true });
    expect(gate(syntheticCell(48, 48))).toEqual({ ok: true });
  });
});

describe('cell plausibility gate: non-cells are rejected with a reason', () => {
  it('uniform grey, white, black and solid-colour images', () => {
    expectRejected(gate(solidImage(128, 128, [128, 128, 128])), 'not-a-cell', /no dark background/);
    expectRejected(gate(solidImage(300, 200, [255, 255, 255])), 'not-a-cell', /no dark background/);
    expectRejected(gate(solidImage(128, 128, [0, 0, 0])), 'not-a-cell', /all dark/);
    expectRejected(gate(solidImage(130, 130, [212, 158, 154])), 'not-a-cell', /no dark background/);
    expectRejected(gate(solidImage(64, 64, [40, 180, 60])), 'not-a-cell', /no dark background/);
    expectRejected(gate(greyPhoto(320, 240)), 'not-a-cell', /no dark background/);
  });

  it('a 1-px image and other impossible sizes', () => {
    expectRejected(gate(solidImage(1, 1, [212, 158, 154])), 'not-a-cell', /too small \(1×1/);
    expectRejected(gate(solidImage(12, 200, [212, 158, 154])), 'not-a-cell', /too small/);
    expectRejected(gate(syntheticCell(300, 60)), 'not-a-cell', /long and thin/);
    expectRejected(gate(syntheticCell(700, 700)), 'not-a-cell', /too large/);
    expectRejected(checkCellPlausibility(new Uint8ClampedArray(0), 0, 0), 'not-a-cell', /no pixels/);
    expectRejected(checkCellPlausibility(new Uint8ClampedArray(4), 10, 10), 'not-a-cell', /no pixels/);
  });

  it('photos of text (dark glyphs on paper; light glyphs on black)', async () => {
    expectRejected(gate(textPhoto(200, 160)), 'not-a-cell', /dark holes|no dark background/);
    expectRejected(gate(textPhoto(96, 96, 7)), 'not-a-cell', /dark holes|no dark background/);
    const inverted = textPhoto(200, 120);
    for (let i = 0; i < inverted.data.length; i += 4)
      for (let c = 0; c < 3; c++) inverted.data[i + c] = 255 - inverted.data[i + c]!;
    const r = gate(inverted);
    expect(r.ok).toBe(false);
  });

  it('natural photos (smooth colourful gradients with noise) and colour noise', () => {
    for (const seed of [3, 11, 12, 13, 14]) expectRejected(gate(naturalPhoto(256, 192, seed)), 'not-a-cell', /./);
    expectRejected(gate(noiseImage(128, 128)), 'not-a-cell', /./);
  });

  it('shapes that are not one red cell: several blobs, a rectangle, a ring, a tiny blob, wrong colour', () => {
    const two = solidImage(160, 80, [0, 0, 0]);
    const left = syntheticCell(80, 80),
      right = syntheticCell(80, 80);
    for (let y = 0; y < 80; y++) {
      for (let x = 0; x < 80; x++) {
        for (let c = 0; c < 4; c++) {
          two.data[4 * (y * 160 + x) + c] = left.data[4 * (y * 80 + x) + c]!;
          two.data[4 * (y * 160 + x + 80) + c] = right.data[4 * (y * 80 + x) + c]!;
        }
      }
    }
    expectRejected(gate(two), 'not-a-cell', /separate objects/);
    const rect = solidImage(120, 120, [0, 0, 0]);
    for (let y = 5; y < 115; y++) for (let x = 5; x < 115; x++) rect.data.set([212, 158, 154, 255], 4 * (y * 120 + x));
    expectRejected(gate(rect), 'not-a-cell', /rectangle/);
    const ring = syntheticCell(120, 120);
    for (let y = 40; y < 80; y++) for (let x = 40; x < 80; x++) ring.data.set([0, 0, 0, 255], 4 * (y * 120 + x));
    expectRejected(gate(ring), 'not-a-cell', /holes/);
    const tiny = solidImage(200, 200, [0, 0, 0]);
    const dot = syntheticCell(40, 40);
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++)
        tiny.data.set(dot.data.subarray(4 * (y * 40 + x), 4 * (y * 40 + x) + 4), 4 * ((y + 80) * 200 + x + 80));
    expectRejected(gate(tiny), 'not-a-cell', /fills only/);
    expectRejected(gate(syntheticCell(120, 120, { rgb: [60, 200, 80] })), 'not-a-cell', /colour/);
    expectRejected(gate(syntheticCell(120, 120, { rgb: [255, 255, 255] })), 'not-a-cell', /blown out/);
  });

  it('a platelet clump or stain debris cut the NIH way (dark purple almost all over) is not a red cell', () => {
    const platelet = plateletCrop();
    expect(measureCell(platelet.data, platelet.width, platelet.height).darkShare).toBeGreaterThan(
      CELL_GATE.maxDarkShare,
    );
    expectRejected(gate(platelet), 'not-a-cell', /platelet clump or stain debris/);
    expectRejected(gate(syntheticCell(90, 80, { rgb: [150, 40, 140] })), 'not-a-cell', /very dark stain over/);
    // A red cell with a parasite's worth of dark stain is still a cell.
    const infected = syntheticCell(130, 130, { parasite: true });
    expect(measureCell(infected.data, 130, 130).darkShare).toBeLessThan(0.05);
    expect(gate(infected)).toEqual({ ok: true });
  });
});

describe('cell plausibility gate: whole fields are routed, not counted', () => {
  it('a photo of field size is a field from its size alone', () => {
    expectRejected(checkCellSize(5312, 2988), 'field', /whole-field photo/);
    expectRejected(checkCellPlausibility(new Uint8ClampedArray(1600 * 1200 * 4), 1600, 1200), 'field', /whole-field/);
  });

  it('a small synthetic field (many stained cells in the bright disc) is a field', () => {
    expectRejected(gate(syntheticField(400, 300)), 'field', /whole field/);
    expectRejected(gate(syntheticField(800, 600, 24)), 'field', /whole-field/);
  });

  it.skipIf(!existsSync(FIELD))('a real field photo scaled down to 300–1000 px is a field', async () => {
    for (const long of [1000, 600, 400, 300]) {
      const img = await decode(sharp(FIELD).rotate().resize(long, long, { fit: 'inside' }));
      expectRejected(gate(img), 'field', /whole.field/);
    }
  });
});

describe('cell plausibility gate: measures and messages', () => {
  it('hull area of a filled rectangle equals its pixel count; of a triangle, the triangle', () => {
    const x0 = new Int32Array([2, 2, 2]),
      x1 = new Int32Array([5, 5, 5]);
    expect(rowHullArea(x0, x1, 3)).toBe(12);
    // Staircase: rows of width 1, 2, 3, 4 from x = 0 → hull (0,0) (1,0) (4,3) (4,4) (0,4): 16 − 4.5.
    const t0 = new Int32Array([0, 0, 0, 0]),
      t1 = new Int32Array([0, 1, 2, 3]);
    expect(rowHullArea(t0, t1, 4)).toBeCloseTo(11.5, 6);
  });

  it('NIH-like statistics of a synthetic cell', () => {
    const f = measureCell(syntheticCell(130, 130).data, 130, 130);
    expect(f.components).toBe(1);
    expect(f.holes).toBe(0);
    expect(f.fill).toBeGreaterThan(0.7);
    expect(f.solidity).toBeGreaterThan(0.9);
    expect(f.background).toBeGreaterThan(CELL_GATE.minBackground);
  });

  it('messages say what the image is', () => {
    expect(cellGateMessage({ ok: false, kind: 'not-a-cell', reason: 'too small (1×1 px)' })).toBe(
      'Not a single red-cell image: too small (1×1 px).',
    );
    expect(cellGateMessage({ ok: false, kind: 'field', reason: 'x' })).toMatch(
      /whole field, not a single red-cell image: x\. Analyse it in the Field tab/,
    );
  });
  // Its cost (≈ 0.08 ms per crop) is measured by `npm run eval:cell-gate`, not asserted here: a timed
  // test fails on a loaded machine without the product being wrong.
});
