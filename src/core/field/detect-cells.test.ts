import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectCells } from './detect-cells.js';
import type { DetectedKind, RgbaImage } from './field-types.js';
import { cropCell, cropGeometryFor, type CellCrop } from './crop-cell.js';
import { artefactField } from '../../../scripts/fixtures/artefact-field.js';
import { parseGroundTruth } from '../../../scripts/field-eval/ground-truth.js';
import { matchPoints } from '../../../scripts/field-eval/match.js';
import { pointInPolygon } from './outline.js';

/** Synthetic field: black surround, pink disc, purple cells (some touching) and a dark platelet. */
function syntheticField(cells: { x: number; y: number; r: number }[], w = 1200, h = 1200): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      data[i + 3] = 255;
      if ((x - w / 2) ** 2 + (y - h / 2) ** 2 > (0.48 * w) ** 2) continue;
      let rgb = [245, 196, 178];
      for (const c of cells)
        if ((x - c.x) ** 2 + (y - c.y) ** 2 <= c.r * c.r) rgb = c.r < 12 ? [150, 40, 140] : [211, 124, 167];
      data[i] = rgb[0]!;
      data[i + 1] = rgb[1]!;
      data[i + 2] = rgb[2]!;
    }
  }
  return { width: w, height: h, data };
}

async function loadUpright(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(file).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
}

describe('detectCells on synthetic images', () => {
  it('finds separate and touching cells, keeps a platelet as an artefact, and outlines contain their centres', () => {
    const cells: { x: number; y: number; r: number }[] = [];
    for (let gy = 0; gy < 5; gy++)
      for (let gx = 0; gx < 5; gx++) cells.push({ x: 330 + gx * 130, y: 330 + gy * 130, r: 45 });
    cells.push({ x: 330 + 4 * 130 + 85, y: 330, r: 45 }); // touches its neighbour (overlap)
    cells.push({ x: 600, y: 980, r: 8 }); // platelet-sized dot
    const { detection } = detectCells(syntheticField(cells), { workingLongSide: 400 });
    const red = detection.cells.filter((c) => c.kind === 'red');
    expect(red).toHaveLength(26);
    for (const c of cells.filter((c) => c.r > 12)) {
      expect(red.some((d) => pointInPolygon(c.x, c.y, d.outline))).toBe(true);
    }
    const artefacts = detection.cells.filter((c) => c.kind === 'artefact');
    expect(artefacts).toHaveLength(1);
    expect(Math.hypot(artefacts[0]!.x - 600, artefacts[0]!.y - 980)).toBeLessThan(8);
    expect(detection.stats.artefacts).toBe(1);
  });

  it('keeps a whole cell merged with a neighbour cut by the field-of-view edge, rejects the cut one', () => {
    const cells: { x: number; y: number; r: number }[] = [];
    for (let gy = 0; gy < 5; gy++)
      for (let gx = 0; gx < 5; gx++) cells.push({ x: 330 + gx * 130, y: 330 + gy * 130, r: 45 });
    // The disc's edge is at x = 600 + 576 = 1176 on the middle row: a cell centred beyond it shows
    // only a sliver; a whole cell overlaps that sliver but stays clear of the edge.
    cells.push({ x: 1186, y: 600, r: 45 });
    const whole = { x: 1101, y: 600, r: 45 };
    cells.push(whole);
    const { detection } = detectCells(syntheticField(cells), { workingLongSide: 400 });
    const red = detection.cells.filter((c) => c.kind === 'red');
    expect(red.some((d) => pointInPolygon(whole.x, whole.y, d.outline))).toBe(true);
    expect(red.some((d) => d.x > 1150)).toBe(false);
    expect(red).toHaveLength(26);
  });

  it('returns no cells (no crash) for a black image and for a plain wall', () => {
    const black: RgbaImage = { width: 800, height: 600, data: new Uint8ClampedArray(800 * 600 * 4).fill(0) };
    expect(detectCells(black).detection.cells).toHaveLength(0);
    const wall: RgbaImage = { width: 800, height: 600, data: new Uint8ClampedArray(800 * 600 * 4) };
    for (let i = 0; i < wall.data.length; i += 4) {
      const n = (i / 4) % 7;
      wall.data[i] = 180 + n;
      wall.data[i + 1] = 175 + n;
      wall.data[i + 2] = 170;
      wall.data[i + 3] = 255;
    }
    expect(detectCells(wall).detection.cells).toHaveLength(0);
  });
});

describe('detectCells: artefacts (platelets, debris) are detections of their own, never red cells', () => {
  const field = artefactField();
  const { detection, labelMap } = detectCells(field.image);
  const of = (kind: DetectedKind) => detection.cells.filter((c) => c.kind === kind);
  const inside = (p: { x: number; y: number }, kind: DetectedKind) =>
    of(kind).filter((c) => pointInPolygon(p.x, p.y, c.outline));

  it('every painted red cell is one red detection; platelets and debris are artefacts with an outline', () => {
    expect(of('red')).toHaveLength(field.cells.length);
    for (const c of field.cells) expect(inside(c, 'red'), `cell at ${c.x},${c.y}`).toHaveLength(1);
    for (const p of [...field.platelets, ...field.debris, field.attached.platelet]) {
      expect(inside(p, 'artefact'), `artefact at ${p.x},${p.y}`).toHaveLength(1);
      expect(inside(p, 'red'), `red at ${p.x},${p.y}`).toHaveLength(0);
    }
    expect(of('artefact')).toHaveLength(field.platelets.length + field.debris.length + 1);
    expect(detection.stats.artefacts).toBe(of('artefact').length);
    for (const a of of('artefact')) {
      expect(a.outline.length).toBeGreaterThanOrEqual(6);
      expect(a.area).toBeLessThan(0.35 * Math.PI * detection.stats.medianRadius ** 2);
    }
    // Artefacts do not shift the typical cell size the crops are grown by.
    expect(detection.stats.medianRadius).toBeGreaterThan(0.9 * field.cells[0]!.r);
  });

  it("artefacts are in the label map, so a red cell's crop never takes in a platelet on a bridge", () => {
    const host = field.cells[field.attached.attachedTo]!;
    const cell = inside(host, 'red')[0]!;
    const platelet = field.attached.platelet;
    const at = (x: number, y: number) =>
      labelMap.data[Math.floor(y / labelMap.scale) * labelMap.width + Math.floor(x / labelMap.scale)];
    const plateletId = inside(platelet, 'artefact')[0]!.id;
    expect(at(platelet.x, platelet.y)).toBe(plateletId);
    const geometry = cropGeometryFor(detection.stats.medianRadius);
    const purple = (crop: CellCrop) => {
      let n = 0;
      for (let i = 0; i < crop.image.data.length; i += 4) {
        const [r, g] = [crop.image.data[i]!, crop.image.data[i + 1]!];
        if (r > 0 && g < 0.35 * r) n++;
      }
      return n;
    };
    const crop = cropCell(field.image, labelMap, cell.id, cell.box, [0, 0, 0], geometry)!;
    expect(purple(crop)).toBe(0);
    // Without the dark-spur cut the platelet is part of the cell and lands in its crop.
    const joined = detectCells(field.image, { detachSpurs: false });
    const joinedCell = joined.detection.cells.find(
      (c) => c.kind === 'red' && pointInPolygon(host.x, host.y, c.outline),
    )!;
    const joinedCrop = cropCell(field.image, joined.labelMap, joinedCell.id, joinedCell.box, [0, 0, 0], geometry)!;
    expect(purple(joinedCrop)).toBeGreaterThan(100);
  });
});

const FIELDS = path.join(
  process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/data'),
  'smear-fields',
);
const REAL = ['234C92P53ThinF/IMG_20150821_151646', '239C12NThinF/IMG_20150614_124212'];

describe.skipIf(!existsSync(FIELDS))('detectCells on real NIH fields (issue bars: recall and precision ≥ 95 %)', () => {
  for (const f of REAL) {
    it(
      f,
      async () => {
        const img = await loadUpright(path.join(FIELDS, `${f}.jpg`));
        expect([img.width, img.height]).toEqual([2988, 5312]);
        const { detection } = detectCells(img);
        const truth = parseGroundTruth(readFileSync(path.join(FIELDS, `${f}.txt`), 'utf8'), 8);
        const red = truth.points.filter((p) => p.label !== 'White_Blood_Cell');
        const dets = detection.cells.filter((c) => c.kind === 'red');
        const m = matchPoints(red, dets, detection.stats.medianRadius);
        expect(m.recall).toBeGreaterThanOrEqual(0.95);
        expect(m.precision).toBeGreaterThanOrEqual(0.95);
        expect(Math.abs(dets.length - red.length) / red.length).toBeLessThanOrEqual(0.05);
      },
      60_000,
    );
  }
});
