/**
 * `npm run compare:crops`: measures how our whole-field crops differ from NIH's own crops of the
 * same cells (the training data), so crop generation can be matched to training by measurement.
 *
 * For every NIH crop of the fields in ../shared/data/smear-fields (../nih-malaria/cell_images,
 * names `<patient>_<field>_cell_<n>.webp`) it
 *  1. finds where the crop was cut from the upright field: template matching of the crop's
 *     non-black pixels (sum of squared RGB differences), both as stored and rotated by the photo's
 *     EXIF orientation, coarse (1/8) around every ground-truth point and detected cell, then
 *     refined at full resolution;
 *  2. picks our detected red cell that overlaps NIH's outline most;
 *  3. compares geometry (box size, margin between box and outline, kept area, IoU of the two
 *     outlines), colour (NIH pixels vs the JPEG field's pixels at the same place; our kept pixels vs
 *     NIH's) and the model's P(Parasitized) on NIH's crop, on a "hybrid" (NIH's outline and box cut
 *     from our decoded field: isolates pixel source) and on our crop (isolates geometry);
 *  4. repeats the geometry and probability comparison for a few crop-geometry variants
 *     (outline grown/shrunk by a fraction of the median cell radius), to pick the one matching NIH
 *     (highest mean IoU with NIH's outlines), and reports which variant wins on each field.
 * It never looks at the field's ground-truth labels beyond locating the cells.
 * Prints a summary table; writes bench-results/crop-compare.json.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { initEngine, tf } from '../training/src/engine.js';
import { loadModel } from '../training/src/model-io.js';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { parseModelMetadata, viewCountOf, type ModelMetadata } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { detectCells } from '../src/core/field/detect-cells.js';
import {
  backgroundReachableFromBorder,
  CROP_GROW_PER_RADIUS,
  cropCell,
  cropGeometryFor,
} from '../src/core/field/crop-cell.js';
import { parseGroundTruth } from './field-eval/ground-truth.js';
import type { Box, DetectedCell, RgbaImage } from '../src/core/field/field-types.js';
import { listFieldPhotos } from './field-photos.js';
import { median } from '../src/core/shared/median.js';
import { errorDetail } from '../src/core/shared/error-message.js';

const root = path.resolve(import.meta.dirname, '..');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const nihDir = process.env.NIH_DIR ?? path.resolve(root, '../shared/data/nih-malaria/cell_images');
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'public/model');
const COARSE = 8;

/** Outline growth variants (fraction of the median cell radius) compared against NIH's crops. */
const VARIANTS: number[] = [-0.06, -0.03, 0, 0.03, 0.045, 0.06, 0.075, 0.09, 0.12, 0.15];

interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** A crop as an RGB image plus its non-black mask. */
interface MaskedRgb {
  width: number;
  height: number;
  rgb: Uint8Array;
  mask: Uint8Array;
}

function toMasked(width: number, height: number, rgb: Uint8Array): MaskedRgb {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = rgb[i * 3]! + rgb[i * 3 + 1]! + rgb[i * 3 + 2]! > 0 ? 1 : 0;
  return { width, height, rgb, mask };
}

function rgbaToRgb(img: RgbaImage): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) {
    out[j] = img.data[i]!;
    out[j + 1] = img.data[i + 1]!;
    out[j + 2] = img.data[i + 2]!;
  }
  return out;
}

/** Rotates a crop cut from the STORED grid into the upright grid for EXIF orientation 8. */
function rotateOrientation8(c: MaskedRgb): MaskedRgb {
  // stored (x, y) → upright (y, W − 1 − x); upright size H × W.
  const W = c.width,
    H = c.height;
  const rgb = new Uint8Array(c.rgb.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const ux = y,
        uy = W - 1 - x;
      const s = (y * W + x) * 3,
        d = (uy * H + ux) * 3;
      rgb[d] = c.rgb[s]!;
      rgb[d + 1] = c.rgb[s + 1]!;
      rgb[d + 2] = c.rgb[s + 2]!;
    }
  }
  return toMasked(H, W, rgb);
}

/** Area-averaged 1/f field (RGB floats). */
function downField(img: RgbaImage, f: number): { w: number; h: number; px: Float32Array } {
  const w = Math.floor(img.width / f),
    h = Math.floor(img.height / f);
  const px = new Float32Array(w * h * 3);
  for (let y = 0; y < h * f; y++) {
    for (let x = 0; x < w * f; x++) {
      const s = (y * img.width + x) * 4,
        d = (Math.floor(y / f) * w + Math.floor(x / f)) * 3;
      px[d]! += img.data[s]!;
      px[d + 1]! += img.data[s + 1]!;
      px[d + 2]! += img.data[s + 2]!;
    }
  }
  for (let i = 0; i < px.length; i++) px[i]! /= f * f;
  return { w, h, px };
}

/** Coarse template: 1/f blocks fully inside the crop's mask, with their mean RGB. */
function coarseTemplate(c: MaskedRgb, f: number): { dx: number; dy: number; r: number; g: number; b: number }[] {
  const out: { dx: number; dy: number; r: number; g: number; b: number }[] = [];
  for (let by = 0; by + f <= c.height; by += f) {
    for (let bx = 0; bx + f <= c.width; bx += f) {
      let r = 0,
        g = 0,
        b = 0,
        full = true;
      for (let y = by; y < by + f && full; y++) {
        for (let x = bx; x < bx + f; x++) {
          const i = y * c.width + x;
          if (!c.mask[i]) {
            full = false;
            break;
          }
          r += c.rgb[i * 3]!;
          g += c.rgb[i * 3 + 1]!;
          b += c.rgb[i * 3 + 2]!;
        }
      }
      if (full) out.push({ dx: bx / f, dy: by / f, r: r / (f * f), g: g / (f * f), b: b / (f * f) });
    }
  }
  return out;
}

/** Mean squared RGB difference of the crop's masked pixels placed with top-left (ox, oy). */
function fullSsd(img: RgbaImage, c: MaskedRgb, ox: number, oy: number, step: number): number {
  let sum = 0,
    n = 0;
  for (let y = 0; y < c.height; y += step) {
    const fy = oy + y;
    if (fy < 0 || fy >= img.height) return Infinity;
    for (let x = 0; x < c.width; x += step) {
      const i = y * c.width + x;
      if (!c.mask[i]) continue;
      const fx = ox + x;
      if (fx < 0 || fx >= img.width) return Infinity;
      const s = (fy * img.width + fx) * 4;
      const dr = img.data[s]! - c.rgb[i * 3]!,
        dg = img.data[s + 1]! - c.rgb[i * 3 + 1]!,
        db = img.data[s + 2]! - c.rgb[i * 3 + 2]!;
      sum += dr * dr + dg * dg + db * db;
      n++;
    }
  }
  return n ? sum / n : Infinity;
}

interface Placement {
  x: number;
  y: number;
  ssd: number;
  rotated: boolean;
  crop: MaskedRgb;
}

/** Locates an NIH crop in the upright field (top-left of the crop, full resolution). */
function locate(
  img: RgbaImage,
  coarse: { w: number; h: number; px: Float32Array },
  nih: MaskedRgb,
  candidates: { x: number; y: number }[],
): Placement | null {
  let best: Placement | null = null;
  for (const [rotated, c] of [
    [false, nih],
    [true, rotateOrientation8(nih)],
  ] as const) {
    const tpl = coarseTemplate(c, COARSE);
    if (tpl.length < 4) continue;
    let cBest = { x: 0, y: 0, ssd: Infinity };
    const R = 8; // coarse search radius around each candidate (64 full-resolution pixels)
    for (const cand of candidates) {
      const cx0 = Math.round((cand.x - c.width / 2) / COARSE),
        cy0 = Math.round((cand.y - c.height / 2) / COARSE);
      for (let oy = cy0 - R; oy <= cy0 + R; oy++) {
        for (let ox = cx0 - R; ox <= cx0 + R; ox++) {
          let sum = 0,
            ok = true;
          for (const t of tpl) {
            const fx = ox + t.dx,
              fy = oy + t.dy;
            if (fx < 0 || fy < 0 || fx >= coarse.w || fy >= coarse.h) {
              ok = false;
              break;
            }
            const d = (fy * coarse.w + fx) * 3;
            const dr = coarse.px[d]! - t.r,
              dg = coarse.px[d + 1]! - t.g,
              db = coarse.px[d + 2]! - t.b;
            sum += dr * dr + dg * dg + db * db;
            if (sum / tpl.length > cBest.ssd) {
              ok = false;
              break;
            }
          }
          if (ok && sum / tpl.length < cBest.ssd) cBest = { x: ox, y: oy, ssd: sum / tpl.length };
        }
      }
    }
    if (!Number.isFinite(cBest.ssd)) continue;
    // Refine at full resolution: coarse step 2 over ±(COARSE+2), then step 1 around the best.
    let fb = { x: cBest.x * COARSE, y: cBest.y * COARSE, ssd: Infinity };
    const bx = fb.x,
      by = fb.y;
    for (let dy = -COARSE - 2; dy <= COARSE + 2; dy += 2) {
      for (let dx = -COARSE - 2; dx <= COARSE + 2; dx += 2) {
        const v = fullSsd(img, c, bx + dx, by + dy, 2);
        if (v < fb.ssd) fb = { x: bx + dx, y: by + dy, ssd: v };
      }
    }
    const rx = fb.x,
      ry = fb.y;
    fb.ssd = Infinity;
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const v = fullSsd(img, c, rx + dx, ry + dy, 1);
        if (v < fb.ssd) fb = { x: rx + dx, y: ry + dy, ssd: v };
      }
    }
    if (!best || fb.ssd < best.ssd) best = { x: fb.x, y: fb.y, ssd: fb.ssd, rotated, crop: c };
  }
  return best;
}

/** Non-black mask of a crop placed in the field, as a set of field pixel indices. */
function maskPixels(box: Box, width: number, mask: Uint8Array, fieldWidth: number): Set<number> {
  const s = new Set<number>();
  for (let y = 0; y < box.height; y++)
    for (let x = 0; x < width; x++) if (mask[y * width + x]) s.add((box.y + y) * fieldWidth + box.x + x);
  return s;
}

/** Pixels of enclosed black holes in a crop's mask (background not reachable from the box border). */
function enclosedHolePixels(c: MaskedRgb): number {
  const { width: w, height: h, mask } = c;
  const outside = backgroundReachableFromBorder(mask, w, h);
  let n = 0;
  for (let i = 0; i < w * h; i++) if (!mask[i] && !outside[i]) n++;
  return n;
}

function meanRgb(rgb: Uint8Array, mask: Uint8Array): Rgb {
  let r = 0,
    g = 0,
    b = 0,
    n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    r += rgb[i * 3]!;
    g += rgb[i * 3 + 1]!;
    b += rgb[i * 3 + 2]!;
    n++;
  }
  return { r: r / n, g: g / n, b: b / n };
}

/** Margin (black rows/columns) between a crop's box and its mask: left, top, right, bottom. */
function margins(c: MaskedRgb): [number, number, number, number] {
  let minX = c.width,
    minY = c.height,
    maxX = -1,
    maxY = -1;
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++)
      if (c.mask[y * c.width + x]) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
  return [minX, minY, c.width - 1 - maxX, c.height - 1 - maxY];
}

function predict(
  model: { predict: (x: tf.Tensor) => tf.Tensor | tf.Tensor[] },
  meta: ModelMetadata,
  crops: MaskedRgb[],
): number[] {
  const out: number[] = [];
  for (let i = 0; i < crops.length; i += 64) {
    const chunk = crops.slice(i, i + 64);
    const p = tf.tidy(() => {
      const x = tf.stack(
        chunk.map((c) => preprocessPixels(tf.tensor3d(c.rgb, [c.height, c.width, 3], 'int32'), meta.input)),
      );
      return predictOverViews(x as tf.Tensor4D, viewCountOf(meta), (v) => model.predict(v) as tf.Tensor).dataSync();
    });
    out.push(...p);
  }
  return out;
}

const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));

interface VariantPair {
  box: Box;
  area: number;
  iou: number;
  coverOfNih: number;
  spill: number;
  mean: Rgb;
  probability: number;
  crop: MaskedRgb;
}

interface PairRecord {
  field: string;
  nihFile: string;
  nihLabel: 'Parasitized' | 'Uninfected';
  rotated: boolean;
  matchRms: number;
  nihBox: Box;
  nihArea: number;
  nihMargins: [number, number, number, number];
  nihHolePixels: number;
  nihMean: Rgb;
  fieldMeanUnderNih: Rgb;
  cellId: number | null;
  pNih: number;
  pHybrid: number;
  /** P on NIH's crop turned into the upright grid (NIH cut it in the stored grid). */
  pNihUpright: number;
  variants: (Omit<VariantPair, 'crop'> & { growPerRadius: number; grow: number })[];
}

/** Decision the app would show for P(Parasitized) (model threshold + inconclusive band). */
let labelOf: (p: number) => string = () => '';

function summarise(records: PairRecord[], vi: number, growPerRadius: number) {
  const matched = records.filter((r) => r.cellId !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const med = (xs: number[]) => median(xs, 'upper');
  const v = matched.map((r) => ({ r, v: r.variants[vi]! }));
  return {
    growPerRadius,
    meanGrowPx: mean(v.map(({ v }) => v.grow)),
    pairs: v.length,
    medianAreaRatio: med(v.map(({ r, v }) => v.area / r.nihArea)),
    medianWidthDiff: med(v.map(({ r, v }) => v.box.width - r.nihBox.width)),
    medianHeightDiff: med(v.map(({ r, v }) => v.box.height - r.nihBox.height)),
    meanIou: mean(v.map(({ v }) => v.iou)),
    meanCoverOfNih: mean(v.map(({ v }) => v.coverOfNih)),
    meanSpill: mean(v.map(({ v }) => v.spill)),
    // Against NIH's crop turned upright (our crops are upright): isolates geometry from orientation.
    meanAbsLogitDiff: mean(v.map(({ r, v }) => Math.abs(logit(v.probability) - logit(r.pNihUpright)))),
    meanLogitDiff: mean(v.map(({ r, v }) => logit(v.probability) - logit(r.pNihUpright))),
    labelAgreement: mean(v.map(({ r, v }) => (labelOf(v.probability) === labelOf(r.pNihUpright) ? 1 : 0))),
    meanAbsLogitDiffVsStored: mean(v.map(({ r, v }) => Math.abs(logit(v.probability) - logit(r.pNih)))),
    meanPParasitizedCrops: mean(v.filter(({ r }) => r.nihLabel === 'Parasitized').map(({ v }) => v.probability)),
    meanPUninfectedCrops: mean(v.filter(({ r }) => r.nihLabel === 'Uninfected').map(({ v }) => v.probability)),
  };
}

async function main(): Promise<void> {
  await initEngine('wasm', () => {});
  const meta = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const model = await loadModel(modelDir);
  labelOf = (p) =>
    p >= meta.decision.inconclusive.low && p < meta.decision.inconclusive.high
      ? 'Inconclusive'
      : p >= meta.decision.threshold
        ? 'Parasitized'
        : 'Uninfected';
  const shipped = VARIANTS.indexOf(CROP_GROW_PER_RADIUS);
  if (shipped < 0) VARIANTS.push(CROP_GROW_PER_RADIUS);
  const shippedIndex = shipped < 0 ? VARIANTS.length - 1 : shipped;
  const nihLists = {
    Parasitized: await readdir(path.join(nihDir, 'Parasitized')),
    Uninfected: await readdir(path.join(nihDir, 'Uninfected')),
  };
  const records: PairRecord[] = [];
  // All our red-cell crops (shipped geometry), NIH-matched or not: how many have enclosed holes.
  let ourCrops = 0,
    ourCropsWithHoles = 0;
  for (const photo of listFieldPhotos(fieldsDir)) {
    const field = path.basename(photo.jpg).replace(/\.jpg$/i, '');
    const stem = `${photo.patient.replace(/^\d+/, '')}_${field}_cell_`;
    const file = photo.jpg;
    const orientation = (await sharp(file).metadata()).orientation ?? 1;
    const { data, info } = await sharp(file).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const img: RgbaImage = {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
    const { detection, labelMap } = detectCells(img);
    const red = detection.cells.filter((c) => c.kind === 'red');
    const truth = parseGroundTruth(await readFile(photo.txt, 'utf8'), orientation);
    const candidates = [...truth.points.map((p) => ({ x: p.x, y: p.y })), ...red.map((c) => ({ x: c.x, y: c.y }))];
    const coarse = downField(img, COARSE);
    // Our crops of every red cell, per variant (pixel sets for overlap).
    const ours = VARIANTS.map(
      (g) =>
        new Map(
          red.map((c) => {
            const crop = cropCell(
              img,
              labelMap,
              c.id,
              c.box,
              meta.input.background,
              cropGeometryFor(detection.stats.medianRadius, g),
            );
            return [
              c.id,
              crop
                ? { box: crop.box, crop: toMasked(crop.image.width, crop.image.height, rgbaToRgb(crop.image)) }
                : null,
            ] as const;
          }),
        ),
    );
    for (const o of ours[shippedIndex]!.values()) {
      if (!o) continue;
      ourCrops++;
      if (enclosedHolePixels(o.crop) > 20) ourCropsWithHoles++;
    }
    const fieldRecords: PairRecord[] = [];
    const hybrids: MaskedRgb[] = [],
      nihCrops: MaskedRgb[] = [],
      nihUpright: MaskedRgb[] = [];
    const variantCrops: MaskedRgb[][] = VARIANTS.map(() => []);
    for (const nihLabel of ['Parasitized', 'Uninfected'] as const) {
      for (const f of nihLists[nihLabel].filter((n) => n.startsWith(stem)).sort()) {
        const { data: px, info: pi } = await sharp(path.join(nihDir, nihLabel, f))
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const nih = toMasked(pi.width, pi.height, new Uint8Array(px));
        const place = locate(img, coarse, nih, candidates);
        if (!place) {
          console.warn(`could not place ${f}`);
          continue;
        }
        const c = place.crop;
        const nihBox: Box = { x: place.x, y: place.y, width: c.width, height: c.height };
        const nihSet = maskPixels(nihBox, c.width, c.mask, img.width);
        // Field pixels under NIH's outline, in NIH's box (hybrid crop).
        const hyb = new Uint8Array(c.rgb.length);
        for (let y = 0; y < c.height; y++)
          for (let x = 0; x < c.width; x++) {
            const i = y * c.width + x;
            if (!c.mask[i]) continue;
            const s = ((place.y + y) * img.width + place.x + x) * 4;
            hyb[i * 3] = img.data[s]!;
            hyb[i * 3 + 1] = img.data[s + 1]!;
            hyb[i * 3 + 2] = img.data[s + 2]!;
          }
        const hybrid = { ...c, rgb: hyb };
        // Our cell: the one whose (shipped-variant) outline overlaps NIH's most.
        let cell: DetectedCell | null = null,
          bestOverlap = 0;
        for (const rc of red) {
          if (
            rc.x < nihBox.x - nihBox.width ||
            rc.x > nihBox.x + 2 * nihBox.width ||
            rc.y < nihBox.y - nihBox.height ||
            rc.y > nihBox.y + 2 * nihBox.height
          )
            continue;
          const o = ours[shippedIndex]!.get(rc.id);
          if (!o) continue;
          let inter = 0;
          for (const p of maskPixels(o.box, o.crop.width, o.crop.mask, img.width)) if (nihSet.has(p)) inter++;
          if (inter > bestOverlap) {
            bestOverlap = inter;
            cell = rc;
          }
        }
        if (cell && bestOverlap < 0.3 * nihSet.size) cell = null;
        const variants: PairRecord['variants'] = [];
        const vcrops: MaskedRgb[] = [];
        VARIANTS.forEach((g, vi) => {
          const o = cell ? ours[vi]!.get(cell.id) : null;
          if (!o) return;
          const set = maskPixels(o.box, o.crop.width, o.crop.mask, img.width);
          let inter = 0;
          for (const p of set) if (nihSet.has(p)) inter++;
          variants.push({
            growPerRadius: g,
            grow: cropGeometryFor(detection.stats.medianRadius, g).grow,
            box: o.box,
            area: set.size,
            iou: inter / (set.size + nihSet.size - inter),
            coverOfNih: inter / nihSet.size,
            spill: (set.size - inter) / set.size,
            mean: meanRgb(o.crop.rgb, o.crop.mask),
            probability: NaN,
          });
          vcrops.push(o.crop);
        });
        const rec: PairRecord = {
          field,
          nihFile: f,
          nihLabel,
          rotated: place.rotated,
          matchRms: Math.sqrt(place.ssd / 3),
          nihBox,
          nihArea: nihSet.size,
          nihMargins: margins(c),
          nihHolePixels: enclosedHolePixels(c),
          nihMean: meanRgb(c.rgb, c.mask),
          fieldMeanUnderNih: meanRgb(hyb, c.mask),
          cellId: cell?.id ?? null,
          pNih: NaN,
          pHybrid: NaN,
          pNihUpright: NaN,
          variants,
        };
        fieldRecords.push(rec);
        nihCrops.push(nih);
        nihUpright.push(c);
        hybrids.push(hybrid);
        vcrops.forEach((vc, vi) => variantCrops[vi]!.push(vc));
      }
    }
    const pN = predict(model, meta, nihCrops),
      pH = predict(model, meta, hybrids),
      pU = predict(model, meta, nihUpright);
    const pV = variantCrops.map((vc) => predict(model, meta, vc));
    let k = 0;
    fieldRecords.forEach((r, i) => {
      r.pNih = pN[i]!;
      r.pHybrid = pH[i]!;
      r.pNihUpright = pU[i]!;
      if (r.cellId !== null) {
        r.variants.forEach((v, vi) => {
          v.probability = pV[vi]![k]!;
        });
        k++;
      }
    });
    records.push(...fieldRecords);
    console.log(
      `${photo.patient} ${field}: ${fieldRecords.length} NIH crops placed (${fieldRecords.filter((r) => r.rotated).length} needed the EXIF rotation), ${fieldRecords.filter((r) => r.cellId !== null).length} matched to our cells, median match RMS ${finiteMedian(fieldRecords.map((r) => r.matchRms)).toFixed(1)}`,
    );
  }
  model.dispose();

  const matched = records.filter((r) => r.cellId !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const nihMarginMean = [0, 1, 2, 3].map((i) => mean(records.map((r) => r.nihMargins[i]!)));
  const colour = {
    nihMean: {
      r: mean(records.map((r) => r.nihMean.r)),
      g: mean(records.map((r) => r.nihMean.g)),
      b: mean(records.map((r) => r.nihMean.b)),
    },
    fieldUnderNihMean: {
      r: mean(records.map((r) => r.fieldMeanUnderNih.r)),
      g: mean(records.map((r) => r.fieldMeanUnderNih.g)),
      b: mean(records.map((r) => r.fieldMeanUnderNih.b)),
    },
    ourShippedMean: {
      r: mean(matched.map((r) => r.variants[shippedIndex]!.mean.r)),
      g: mean(matched.map((r) => r.variants[shippedIndex]!.mean.g)),
      b: mean(matched.map((r) => r.variants[shippedIndex]!.mean.b)),
    },
    medianPixelRms: finiteMedian(records.map((r) => r.matchRms)),
    meanAbsLogitDiffHybridVsNihUpright: mean(records.map((r) => Math.abs(logit(r.pHybrid) - logit(r.pNihUpright)))),
    meanAbsLogitDiffNihStoredVsUpright: mean(records.map((r) => Math.abs(logit(r.pNih) - logit(r.pNihUpright)))),
  };
  const variants = VARIANTS.map((g, vi) => summarise(records, vi, g));
  const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  console.log(
    `\n${records.length} NIH crops, ${matched.length} matched to our detected cells; ${records.filter((r) => r.rotated).length} were cut in the stored (unrotated) grid.`,
  );
  const nihWithHoles = records.filter((r) => r.nihHolePixels > 20).length;
  console.log(
    `enclosed black holes (> 20 px) inside the outline: NIH ${nihWithHoles}/${records.length} crops, ours ${ourCropsWithHoles}/${ourCrops} crops (all red cells of the six fields)`,
  );
  console.log(
    `NIH box margin around its outline (mean px, left/top/right/bottom): ${nihMarginMean.map((m) => m.toFixed(2)).join(' / ')}`,
  );
  console.log(
    `colour of kept pixels (mean RGB): NIH ${fmt(colour.nihMean.r, 1)}/${fmt(colour.nihMean.g, 1)}/${fmt(colour.nihMean.b, 1)}, our JPEG field under NIH's outline ${fmt(colour.fieldUnderNihMean.r, 1)}/${fmt(colour.fieldUnderNihMean.g, 1)}/${fmt(colour.fieldUnderNihMean.b, 1)}, our shipped crops ${fmt(colour.ourShippedMean.r, 1)}/${fmt(colour.ourShippedMean.g, 1)}/${fmt(colour.ourShippedMean.b, 1)}; per-pixel RMS NIH vs field ${fmt(colour.medianPixelRms, 2)}`,
  );
  console.log(
    `P(Parasitized) mean |Δlogit|: hybrid (NIH outline+box, our decoded pixels) vs NIH upright ${fmt(colour.meanAbsLogitDiffHybridVsNihUpright)}; NIH as cut (stored grid) vs turned upright ${fmt(colour.meanAbsLogitDiffNihStoredVsUpright)} (orientation alone)`,
  );
  const header = [
    'grow/radius',
    'grow px',
    'pairs',
    'area/NIH',
    'Δwidth',
    'Δheight',
    'IoU',
    'covers NIH',
    'spill',
    '|Δlogit|',
    'Δlogit',
    'same label',
    'mean P para crops',
    'mean P uninf crops',
  ];
  const rows = variants.map((v, vi) => [
    `${v.growPerRadius}${vi === shippedIndex ? ' *' : ''}`,
    fmt(v.meanGrowPx, 1),
    String(v.pairs),
    fmt(v.medianAreaRatio),
    fmt(v.medianWidthDiff, 0),
    fmt(v.medianHeightDiff, 0),
    fmt(v.meanIou, 3),
    fmt(v.meanCoverOfNih, 3),
    fmt(v.meanSpill, 3),
    fmt(v.meanAbsLogitDiff),
    fmt(v.meanLogitDiff),
    `${(100 * v.labelAgreement).toFixed(0)}%`,
    fmt(v.meanPParasitizedCrops, 3),
    fmt(v.meanPUninfectedCrops, 3),
  ]);
  const nihRow = [
    'NIH (stored grid)',
    '',
    String(records.length),
    '1.00',
    '0',
    '0',
    '1.000',
    '1.000',
    '0.000',
    fmt(mean(records.map((r) => Math.abs(logit(r.pNih) - logit(r.pNihUpright))))),
    fmt(mean(records.map((r) => logit(r.pNih) - logit(r.pNihUpright)))),
    `${(100 * mean(records.map((r) => (labelOf(r.pNih) === labelOf(r.pNihUpright) ? 1 : 0)))).toFixed(0)}%`,
    fmt(mean(records.filter((r) => r.nihLabel === 'Parasitized').map((r) => r.pNih)), 3),
    fmt(mean(records.filter((r) => r.nihLabel === 'Uninfected').map((r) => r.pNih)), 3),
  ];
  const upRow = [
    'NIH upright',
    '',
    String(records.length),
    '1.00',
    '0',
    '0',
    '1.000',
    '1.000',
    '0.000',
    '0.00',
    '0.00',
    '100%',
    fmt(mean(records.filter((r) => r.nihLabel === 'Parasitized').map((r) => r.pNihUpright)), 3),
    fmt(mean(records.filter((r) => r.nihLabel === 'Uninfected').map((r) => r.pNihUpright)), 3),
  ];
  const hybRow = [
    'hybrid',
    '',
    String(records.length),
    '1.00',
    '0',
    '0',
    '1.000',
    '1.000',
    '0.000',
    fmt(mean(records.map((r) => Math.abs(logit(r.pHybrid) - logit(r.pNihUpright))))),
    fmt(mean(records.map((r) => logit(r.pHybrid) - logit(r.pNihUpright)))),
    `${(100 * mean(records.map((r) => (labelOf(r.pHybrid) === labelOf(r.pNihUpright) ? 1 : 0)))).toFixed(0)}%`,
    fmt(mean(records.filter((r) => r.nihLabel === 'Parasitized').map((r) => r.pHybrid)), 3),
    fmt(mean(records.filter((r) => r.nihLabel === 'Uninfected').map((r) => r.pHybrid)), 3),
  ];
  const all = [header, nihRow, upRow, hybRow, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  console.log('');
  for (const r of all) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  const fields = [...new Set(records.map((r) => r.field))];
  const perField = fields.map((f) => {
    const rs = records.filter((r) => r.field === f);
    const s = VARIANTS.map((g, vi) => summarise(rs, vi, g));
    const best = s.reduce((a, b) => (b.meanIou > a.meanIou ? b : a));
    return {
      field: f,
      bestGrowPerRadius: best.growPerRadius,
      bestIou: best.meanIou,
      shippedIou: s[shippedIndex]!.meanIou,
    };
  });
  console.log(
    `best IoU per field: ${perField.map((p) => `${p.field} ${p.bestGrowPerRadius} (${p.bestIou.toFixed(3)})`).join(', ')}`,
  );
  console.log(
    "(* = shipped CROP_GROW_PER_RADIUS; Δ = ours − NIH; |Δlogit| = mean absolute difference of the model's logit vs on NIH's crop turned upright; same label = the app's label (threshold + inconclusive band) equals the one on NIH's crop)",
  );
  const outDir = path.join(root, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(
    path.join(outDir, 'crop-compare.json'),
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        model: { name: meta.name, createdAt: meta.createdAt },
        shippedGrowPerRadius: CROP_GROW_PER_RADIUS,
        nihCrops: records.length,
        matched: matched.length,
        nihMarginMean,
        holes: { nihWithHoles, ourCrops, ourCropsWithHoles },
        colour,
        variants,
        perField,
        records,
      },
      null,
      2,
    ),
  );
  console.log('wrote bench-results/crop-compare.json');
}

/** Median of the finite values (the upper middle one for an even count), NaN when none. */
function finiteMedian(xs: number[]): number {
  return median(xs.filter(Number.isFinite), 'upper');
}

main().catch((err: unknown) => {
  console.error(errorDetail(err));
  process.exit(1);
});
