/**
 * Whole-field red-cell detector (pure TypeScript on typed arrays; runs in the field worker and in
 * Node for the evaluation). Pipeline, at a working resolution of about 1/4 of a 16 MP photo:
 *  1. field of view = largest bright component (the eyepiece disc on black), holes filled;
 *  2. stain feature = 1 − G/R (illumination-invariant: Giemsa-stained cells absorb green);
 *     Otsu threshold inside the field of view, 3×3 opening, small holes (central pallor) filled;
 *  3. touching cells split by a marker-controlled watershed on the distance transform, shallow
 *     splits merged back (elongated single cells);
 *  4. white blood cells = a very dark stained component at least about one red cell in area
 *     covering most of its region (the nucleus), counted separately;
 *  5. fragments, platelets and debris (area < 35 % of the median cell, or small and very dark) kept
 *     as artefacts (kind 'artefact': outlined and shown, never classified or counted as red cells,
 *     and in the label map, so no red cell's crop grows into them); slivers cut by the field-of-view
 *     edge dropped (they are cells, just not countable).
 */
import type { DetectedCell, DetectedKind, FieldDetection } from './field-types.js';
import type { Size } from './orientation.js';
import type { FieldPixels } from './pixel-view.js';
import {
  distanceTransform,
  downscaleRgb,
  erode,
  dilate,
  labelComponents,
  otsuThreshold,
  boxBlur,
  type Channel,
  type Mask,
} from './image-ops.js';
import { findMarkers, mergeShallowSplits, watershedFromMarkers } from './watershed.js';
import { traceRadialOutline } from './outline.js';
import { splitClumps } from './split-clumps.js';
import { detachDarkSpurs } from './detach-spurs.js';
import { median } from '../shared/median.js';

export interface DetectOptions {
  /** Long side of the working image in pixels (the photo is area-averaged down to about this). */
  workingLongSide?: number;
  /** Regions smaller than this fraction of the median cell area are artefacts, not red cells. */
  minAreaFraction?: number;
  /** Saddle/peak ratio above which two watershed regions are merged. */
  mergeRatio?: number;
  /** Regions with at least this many pixels on the field-of-view edge are rejected. */
  maxEdgePixels?: number;
  /**
   * Cut dark spurs (a platelet or debris joined to a red cell by a thin bridge) off red-cell regions
   * (detach-spurs.ts); false only to measure what it changes.
   */
  detachSpurs?: boolean;
  /** Passes of the locally adaptive threshold (0 = global Otsu only). */
  adaptivePasses?: number;
  /** Clock for timing (performance.now in browsers). */
  now?: () => number;
}

/** Detection plus the working-resolution label map (cell id per pixel; 0 = none) for cropping. */
export interface DetectionResult {
  detection: FieldDetection;
  labelMap: { width: number; height: number; scale: number; data: Int32Array };
}

/** Dark-spur cut (detach-spurs.ts), in units of the typical cell radius / area; see docs/fields.md. */
const SPUR_OPEN_PER_RADIUS = 0.25;
const SPUR_FAR_PER_RADIUS = 0.25;
const SPUR_MIN_DARK_PER_CELL_AREA = 0.01;
/**
 * Artefacts (step 5), measured on the six annotated fields (docs/fields.md, "Artefacts"): every
 * platelet and debris object there is stained ≥ 1.19 × as strongly as a red cell (stain above
 * background, relative to the red cells'), every faint speck ≤ 0.97 ×; faint objects are kept only
 * as big as a cell fragment (≥ 0.1 × the median cell area; the faint specks are ≤ 0.09 ×).
 * Objects smaller than MIN_ARTEFACT_PER_CELL_AREA × a typical cell are not looked at.
 */
const ARTEFACT_MIN_RELATIVE_STAIN = 1.1;
const PALE_FRAGMENT_MIN_AREA = 0.1;
const MIN_ARTEFACT_PER_CELL_AREA = 0.005;

const EMPTY_STATS = { medianRadius: 0, fieldOfViewFound: false, rejected: 0, artefacts: 0 };

/** Fills background components of `mask` (inside `within`) that are smaller than maxArea. */
function fillSmallHoles(mask: Mask, within: Uint8Array, maxArea: number): void {
  const inv: Mask = { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) };
  for (let i = 0; i < inv.data.length; i++) inv.data[i] = within[i] && !mask.data[i] ? 1 : 0;
  const { labels, areas } = labelComponents(inv);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l && areas[l]! < maxArea) mask.data[i] = 1;
  }
}

/** The bright eyepiece disc: largest component of bright pixels, holes filled. */
function fieldOfView(bright: Float32Array, width: number, height: number): { mask: Uint8Array; found: boolean } {
  const t = Math.max(40, Math.min(120, otsuThreshold(bright, null)));
  const m: Mask = { width, height, data: new Uint8Array(width * height) };
  for (let i = 0; i < bright.length; i++) m.data[i] = bright[i]! > t ? 1 : 0;
  const { labels, count, areas } = labelComponents(m);
  let best = 0;
  for (let l = 1; l <= count; l++) if (areas[l]! > (areas[best] ?? 0)) best = l;
  const out = new Uint8Array(width * height);
  if (!best) return { mask: out, found: false };
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === best ? 1 : 0;
  // Holes: non-disc components that do not touch the image border.
  const inv: Mask = { width, height, data: new Uint8Array(width * height) };
  for (let i = 0; i < out.length; i++) inv.data[i] = out[i] ? 0 : 1;
  const holes = labelComponents(inv);
  const touches = new Uint8Array(holes.count + 1);
  for (let x = 0; x < width; x++) {
    touches[holes.labels[x]!] = 1;
    touches[holes.labels[(height - 1) * width + x]!] = 1;
  }
  for (let y = 0; y < height; y++) {
    touches[holes.labels[y * width]!] = 1;
    touches[holes.labels[y * width + width - 1]!] = 1;
  }
  for (let i = 0; i < out.length; i++) {
    const h = holes.labels[i]!;
    if (h && !touches[h]) out[i] = 1;
  }
  const found = areas[best]! > 0.05 * width * height;
  return { mask: out, found };
}

interface RegionStats {
  area: number;
  sx: number;
  sy: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  edge: number;
  dark: number;
  stain: number;
}

/** Median for detection: the upper middle value for an even count, 0 for none (pinned by eval:fields). */
function detectionMedian(values: readonly number[]): number {
  return values.length ? median(values, 'upper') : 0;
}

/** The working-resolution grid every step shares. */
interface WorkingGrid {
  w: number;
  h: number;
  n: number;
  /** Field of view, eroded by 2 px. */
  fovInner: Uint8Array;
  /** On the image border or next to the field of view's edge (regions touching it are cut by it). */
  onFovEdge: (i: number, x: number, y: number) => boolean;
}

/** Step 1: the field of view (largest bright component) on the working grid. */
function fieldOfViewGrid(r: Channel, g: Channel, b: Channel, w: number, h: number) {
  const n = w * h;
  const bright = new Float32Array(n);
  for (let i = 0; i < n; i++) bright[i] = Math.max(r.data[i]!, g.data[i]!, b.data[i]!);
  const fov = fieldOfView(bright, w, h);
  const fovInner = erode({ width: w, height: h, data: fov.mask }, 2).data;
  const onFovEdge = (i: number, x: number, y: number): boolean =>
    x === 0 ||
    y === 0 ||
    x === w - 1 ||
    y === h - 1 ||
    !fovInner[i - 1] ||
    !fovInner[i + 1] ||
    !fovInner[i - w] ||
    !fovInner[i + w];
  let fovArea = 0;
  for (let i = 0; i < n; i++) fovArea += fovInner[i]!;
  const grid: WorkingGrid = { w, h, n, fovInner, onFovEdge };
  return { grid, found: fov.found, fovArea };
}

interface Foreground {
  stain: Float32Array;
  fg: Mask;
  fgMean: number;
  bgMean: number;
}

/**
 * Step 2: the stain feature (1 − G/R) and the stained foreground: Otsu inside the field of view,
 * re-thresholded locally against uneven illumination, opened. Null when no stained cells stand out.
 */
function stainedForeground(
  r: Channel,
  g: Channel,
  grid: WorkingGrid,
  fovArea: number,
  adaptivePasses: number,
): Foreground | null {
  const { w, h, n, fovInner } = grid;
  const stain = new Float32Array(n);
  for (let i = 0; i < n; i++) stain[i] = 255 * (1 - g.data[i]! / Math.max(1, r.data[i]!));
  const t = otsuThreshold(stain, fovInner);
  // Otsu needs two populations: stained cells clearly apart from the background.
  let fgMean = 0,
    fgN = 0,
    bgMean = 0,
    bgN = 0;
  for (let i = 0; i < n; i++) {
    if (!fovInner[i]) continue;
    if (stain[i]! > t) {
      fgMean += stain[i]!;
      fgN++;
    } else {
      bgMean += stain[i]!;
      bgN++;
    }
  }
  fgMean /= Math.max(1, fgN);
  bgMean /= Math.max(1, bgN);
  if (fgN < 0.02 * fovArea || fgMean - bgMean < 20) return null;
  let fg: Mask = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) fg.data[i] = fovInner[i] && stain[i]! > t ? 1 : 0;
  // Uneven illumination (washed-out, defocused rim): re-threshold each pixel halfway between the
  // local background and local cell stain levels (normalised convolution over ~3 cell radii).
  for (let pass = 0; pass < adaptivePasses; pass++) {
    const blurR = Math.max(4, Math.round(w / 35));
    const bgW = new Float32Array(n),
      bgV = new Float32Array(n),
      fgW = new Float32Array(n),
      fgV = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (!fovInner[i]) continue;
      if (fg.data[i]) {
        fgW[i] = 1;
        fgV[i] = stain[i]!;
      } else {
        bgW[i] = 1;
        bgV[i] = stain[i]!;
      }
    }
    const bw = boxBlur({ width: w, height: h, data: bgW }, blurR).data;
    const bv = boxBlur({ width: w, height: h, data: bgV }, blurR).data;
    const fw = boxBlur({ width: w, height: h, data: fgW }, blurR).data;
    const fv = boxBlur({ width: w, height: h, data: fgV }, blurR).data;
    for (let i = 0; i < n; i++) {
      if (!fovInner[i]) continue;
      const lb = bw[i]! > 0.05 ? bv[i]! / bw[i]! : bgMean;
      const lf = fw[i]! > 0.05 ? fv[i]! / fw[i]! : fgMean;
      // Never accept a contrast below a third of the global one (pure background stays background).
      const mid = lb + 0.5 * Math.max(lf - lb, (fgMean - bgMean) / 3);
      fg.data[i] = stain[i]! > mid ? 1 : 0;
    }
  }
  fg = dilate(erode(fg, 1), 1);
  for (let i = 0; i < n; i++) if (!fovInner[i]) fg.data[i] = 0;
  return { stain, fg, fgMean, bgMean };
}

/** Typical cell radius: the median of the connected components' peak distances (≥ 3 px). */
function typicalRadius(fg: Mask, n: number): number {
  const dist = distanceTransform(fg);
  const comps = labelComponents(fg);
  const compPeak = new Float32Array(comps.count + 1);
  for (let i = 0; i < n; i++) {
    const l = comps.labels[i]!;
    if (l && dist[i]! > compPeak[l]!) compPeak[l] = dist[i]!;
  }
  const peaks: number[] = [];
  for (let l = 1; l <= comps.count; l++) if (compPeak[l]! >= 3) peaks.push(compPeak[l]!);
  return detectionMedian(peaks);
}

/**
 * Step 3: touching cells split (marker-controlled watershed, shallow splits merged back), then
 * honeycomb clumps and clumps cut by the field-of-view edge split by area.
 */
function splitTouchingCells(
  fg: Mask,
  dist: Float32Array,
  grid: WorkingGrid,
  radius: number,
  cellArea: number,
  opts: DetectOptions,
) {
  const { w, h, n, onFovEdge } = grid;
  const { markers, count: markerCount } = findMarkers(
    dist,
    w,
    h,
    0.4 * radius,
    Math.max(2, Math.round(0.25 * radius)),
    0.7 * radius,
  );
  const flooded = watershedFromMarkers(fg, dist, markers);
  const merged = mergeShallowSplits(flooded, markerCount, dist, w, h, opts.mergeRatio ?? 0.9);
  // Honeycomb clumps: one distance peak for several cells; split by area.
  const regionArea = new Int32Array(merged.count + 1);
  for (let i = 0; i < n; i++) regionArea[merged.labels[i]!]!++;
  const single: number[] = [];
  for (let l = 1; l <= merged.count; l++) if (regionArea[l]! >= 0.35 * cellArea) single.push(regionArea[l]!);
  const singleArea = detectionMedian(single) || cellArea;
  merged.count = splitClumps(merged.labels, merged.count, w, dist, singleArea);
  // A whole cell merged with a neighbour cut by the field-of-view edge would be rejected with it
  // as edge-cut: split such regions (≥ 1.25 cells touching the edge) too; the part cut by the
  // edge is then rejected on its own and the whole cell kept.
  const edgeArea = new Int32Array(merged.count + 1);
  const edgePx = new Int32Array(merged.count + 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = merged.labels[i]!;
      if (!l) continue;
      edgeArea[l]!++;
      if (onFovEdge(i, x, y)) edgePx[l]!++;
    }
  }
  const edgeClumps = new Int32Array(n);
  let anyEdgeClump = false;
  for (let i = 0; i < n; i++) {
    const l = merged.labels[i]!;
    if (l && edgePx[l]! >= (opts.maxEdgePixels ?? 14) && edgeArea[l]! >= 1.25 * singleArea) {
      edgeClumps[i] = l;
      anyEdgeClump = true;
    }
  }
  if (anyEdgeClump) {
    merged.count = splitClumps(edgeClumps, merged.count, w, dist, singleArea, { minClumpRatio: 1.25 });
    for (let i = 0; i < n; i++) if (edgeClumps[i]) merged.labels[i] = edgeClumps[i]!;
  }
  return merged;
}

/**
 * Step 3b: every foreground component no watershed region reached, of `minArea` ≤ area < `maxArea`
 * pixels, as a new region. Larger unflooded components (a pale cell whose open central pallor
 * leaves no distance peak) stay undetected, as before: they are cells, not artefacts.
 */
function addUnfloodedObjects(fg: Mask, labels: Int32Array, count: number, minArea: number, maxArea: number): number {
  const rest: Mask = { width: fg.width, height: fg.height, data: new Uint8Array(labels.length) };
  for (let i = 0; i < labels.length; i++) rest.data[i] = fg.data[i] && !labels[i] ? 1 : 0;
  const comps = labelComponents(rest);
  const newLabel = new Int32Array(comps.count + 1);
  let next = count;
  for (let k = 1; k <= comps.count; k++)
    if (comps.areas[k]! >= minArea && comps.areas[k]! < maxArea) newLabel[k] = ++next;
  for (let i = 0; i < labels.length; i++) {
    const k = comps.labels[i]!;
    if (k && newLabel[k]) labels[i] = newLabel[k]!;
  }
  return next;
}

/** Step 4: white-cell nuclei, i.e. big components of very dark stain (and the darkness threshold). */
function whiteCellNuclei(foreground: Foreground, grid: WorkingGrid, cellArea: number) {
  const { w, h, n } = grid;
  const { fg, stain, bgMean } = foreground;
  let cellStain = 0,
    cellN = 0;
  for (let i = 0; i < n; i++)
    if (fg.data[i]) {
      cellStain += stain[i]!;
      cellN++;
    }
  cellStain /= Math.max(1, cellN);
  const darkT = cellStain + 0.9 * (cellStain - bgMean);
  let dark: Mask = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) dark.data[i] = fg.data[i] && stain[i]! > darkT ? 1 : 0;
  dark = dilate(erode(dark, 1), 1);
  const darkComps = labelComponents(dark);
  const isNucleus = new Uint8Array(darkComps.count + 1);
  for (let l = 1; l <= darkComps.count; l++) if (darkComps.areas[l]! > 0.9 * cellArea) isNucleus[l] = 1;
  return { darkT, cellStain, darkLabels: darkComps.labels, isNucleus };
}

/** Per-region area, stain, bounding box, field-of-view edge pixels and nucleus pixels. */
function regionStatistics(
  labels: Int32Array,
  count: number,
  stain: Float32Array,
  nuclei: ReturnType<typeof whiteCellNuclei>,
  grid: WorkingGrid,
) {
  const { w, h, onFovEdge } = grid;
  const stats: RegionStats[] = Array.from({ length: count + 1 }, () => ({
    area: 0,
    sx: 0,
    sy: 0,
    minX: w,
    minY: h,
    maxX: -1,
    maxY: -1,
    edge: 0,
    dark: 0,
    stain: 0,
  }));
  const regionNucleus = new Int32Array(count + 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = labels[i]!;
      if (!l) continue;
      const s = stats[l]!;
      s.area++;
      s.stain += stain[i]!;
      s.sx += x;
      s.sy += y;
      if (x < s.minX) s.minX = x;
      if (y < s.minY) s.minY = y;
      if (x > s.maxX) s.maxX = x;
      if (y > s.maxY) s.maxY = y;
      const dl = nuclei.darkLabels[i]!;
      if (dl && nuclei.isNucleus[dl]) {
        s.dark++;
        regionNucleus[l] = dl;
      }
      if (onFovEdge(i, x, y)) s.edge++;
    }
  }
  return { stats, regionNucleus };
}

/**
 * Step 5: each region kept as a red cell, kept as an artefact (fragment, platelet, dark debris),
 * dropped (cut by the field-of-view edge), or assigned to a white cell (regions sharing a nucleus are
 * one white cell). Cells get ids 1, 2, … in region order.
 */
function keepRejectOrWhite(
  count: number,
  regions: ReturnType<typeof regionStatistics>,
  stainLevels: { dark: number; cell: number; background: number },
  medianArea: number,
  opts: DetectOptions,
) {
  const darkT = stainLevels.dark;
  const { stats, regionNucleus } = regions;
  const minArea = (opts.minAreaFraction ?? 0.35) * medianArea;
  const idOfRegion = new Int32Array(count + 1);
  const cells: DetectedCell[] = [];
  const wbcOfNucleus = new Map<number, number>();
  let rejected = 0;
  let artefacts = 0;
  const add = (l: number, kind: DetectedKind): number => {
    const id = cells.length + 1;
    idOfRegion[l] = id;
    cells.push({ id, kind, x: 0, y: 0, box: { x: 0, y: 0, width: 0, height: 0 }, area: 0, outline: [] });
    return id;
  };
  for (let l = 1; l <= count; l++) {
    const s = stats[l]!;
    if (s.area === 0) continue;
    if (s.dark > 0.6 * s.area && regionNucleus[l]) {
      const nucleus = regionNucleus[l]!;
      const existing = wbcOfNucleus.get(nucleus);
      if (existing !== undefined) {
        idOfRegion[l] = existing;
        continue;
      }
      wbcOfNucleus.set(nucleus, add(l, 'white'));
      continue;
    }
    // Small, very dark objects: platelet clumps and stain debris.
    const meanStain = s.stain / s.area;
    const darkDebris = meanStain > darkT && s.area < 0.6 * medianArea;
    const notRed = s.area < minArea || darkDebris;
    // Cells cut by the field-of-view edge are not countable (the annotators skip them too), and a
    // small object touching the edge is a sliver of one (or the disc's rim): dropped.
    if (s.edge >= (opts.maxEdgePixels ?? 14) || (notRed && s.edge > 0)) {
      rejected++;
      continue;
    }
    if (notRed) {
      // Stained at least like a red cell (platelets, debris, precipitate), or a pale piece big
      // enough to be a fragment of a cell: an artefact. Fainter specks are not objects: dropped.
      const relativeStain =
        (meanStain - stainLevels.background) / Math.max(1e-6, stainLevels.cell - stainLevels.background);
      if (relativeStain >= ARTEFACT_MIN_RELATIVE_STAIN || s.area >= PALE_FRAGMENT_MIN_AREA * medianArea) {
        artefacts++;
        add(l, 'artefact');
      } else rejected++;
      continue;
    }
    add(l, 'red');
  }
  return { cells, idOfRegion, rejected, artefacts };
}

/**
 * The final label map (cell ids) and each cell's centroid, area, box and outline in full-resolution
 * coordinates (filled into `cells`).
 */
function placeCells(
  cells: DetectedCell[],
  idOfRegion: Int32Array,
  labels: Int32Array,
  grid: WorkingGrid,
  scale: number,
  img: Size,
): Int32Array {
  const { w, h, n } = grid;
  const labelData = new Int32Array(n);
  const acc = cells.map(() => ({ area: 0, sx: 0, sy: 0, minX: w, minY: h, maxX: -1, maxY: -1 }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const id = idOfRegion[labels[i]!]!;
      if (!id) continue;
      labelData[i] = id;
      const a = acc[id - 1]!;
      a.area++;
      a.sx += x;
      a.sy += y;
      if (x < a.minX) a.minX = x;
      if (y < a.minY) a.minY = y;
      if (x > a.maxX) a.maxX = x;
      if (y > a.maxY) a.maxY = y;
    }
  }
  for (const cell of cells) {
    const a = acc[cell.id - 1]!;
    const cx = a.sx / a.area;
    const cy = a.sy / a.area;
    cell.x = (cx + 0.5) * scale;
    cell.y = (cy + 0.5) * scale;
    cell.area = a.area * scale * scale;
    const x0 = a.minX * scale;
    const y0 = a.minY * scale;
    cell.box = {
      x: x0,
      y: y0,
      width: Math.min(img.width, (a.maxX + 1) * scale) - x0,
      height: Math.min(img.height, (a.maxY + 1) * scale) - y0,
    };
    cell.outline = traceRadialOutline(labelData, w, h, cell.id, cx, cy, 48).map((v) => v * scale);
  }
  return labelData;
}

export function detectCells(img: FieldPixels, opts: DetectOptions = {}): DetectionResult {
  const now = opts.now ?? (() => Date.now());
  const t0 = now();
  const longSide = Math.max(img.width, img.height);
  const scale = Math.max(1, Math.round(longSide / (opts.workingLongSide ?? 1400)));
  const { r, g, b } = downscaleRgb(img, scale);
  const w = r.width;
  const h = r.height;
  const n = w * h;
  const emptyResult = (fovFound: boolean): DetectionResult => ({
    detection: {
      width: img.width,
      height: img.height,
      cells: [],
      stats: { ...EMPTY_STATS, fieldOfViewFound: fovFound, scale, workingWidth: w, workingHeight: h, ms: now() - t0 },
    },
    labelMap: { width: w, height: h, scale, data: new Int32Array(n) },
  });
  if (w < 8 || h < 8) return emptyResult(false);

  // 1. Field of view.
  const { grid, found: fovFound, fovArea } = fieldOfViewGrid(r, g, b, w, h);
  if (fovArea < 0.01 * n) return emptyResult(fovFound);

  // 2. Stain feature and foreground; the typical cell size.
  const foreground = stainedForeground(r, g, grid, fovArea, opts.adaptivePasses ?? 1);
  if (!foreground) return emptyResult(fovFound);
  const { fg, stain } = foreground;
  const radius = typicalRadius(fg, n);
  if (radius < 3) return emptyResult(fovFound);
  const cellArea = Math.PI * radius * radius;
  fillSmallHoles(fg, grid.fovInner, 0.3 * cellArea);
  const dist = distanceTransform(fg);

  // 3. Split touching cells.
  const merged = splitTouchingCells(fg, dist, grid, radius, cellArea, opts);

  // 3b. Stained objects too small to hold a watershed marker (a distance peak ≥ 0.4 radius) are
  // never flooded: free platelets, debris, precipitate. Each becomes a region of its own (an
  // artefact in step 5) when it covers at least MIN_ARTEFACT_PER_CELL_AREA of a typical cell.
  merged.count = addUnfloodedObjects(
    fg,
    merged.labels,
    merged.count,
    MIN_ARTEFACT_PER_CELL_AREA * cellArea,
    (opts.minAreaFraction ?? 0.35) * cellArea,
  );

  // 4. White blood cells: big components of very dark stain. Dark spurs (a platelet on a bridge)
  // cut off the other regions, so they become artefacts and stay out of the cell's crop.
  const nuclei = whiteCellNuclei(foreground, grid, cellArea);
  if (opts.detachSpurs ?? true) {
    const candidates = new Set<number>();
    for (let l = 1; l <= merged.count; l++) candidates.add(l);
    for (let i = 0; i < n; i++) {
      const dl = nuclei.darkLabels[i]!;
      if (dl && nuclei.isNucleus[dl]) candidates.delete(merged.labels[i]!);
    }
    merged.count = detachDarkSpurs(merged.labels, merged.count, w, stain, candidates, {
      openRadius: SPUR_OPEN_PER_RADIUS * radius,
      farDistance: SPUR_FAR_PER_RADIUS * radius,
      darkThreshold: nuclei.darkT,
      minDarkPixels: Math.max(3, Math.round(SPUR_MIN_DARK_PER_CELL_AREA * cellArea)),
    });
  }
  const regions = regionStatistics(merged.labels, merged.count, stain, nuclei, grid);
  const areas: number[] = [];
  for (let l = 1; l <= merged.count; l++)
    if (regions.stats[l]!.area >= 0.35 * cellArea) areas.push(regions.stats[l]!.area);
  const medianArea = detectionMedian(areas) || cellArea;

  // 5. Red cell, artefact, dropped (edge-cut) or white cell; then the geometry at full resolution.
  const { cells, idOfRegion, rejected, artefacts } = keepRejectOrWhite(
    merged.count,
    regions,
    { dark: nuclei.darkT, cell: nuclei.cellStain, background: foreground.bgMean },
    medianArea,
    opts,
  );
  const labelData = placeCells(cells, idOfRegion, merged.labels, grid, scale, img);
  return {
    detection: {
      width: img.width,
      height: img.height,
      cells,
      stats: {
        scale,
        workingWidth: w,
        workingHeight: h,
        medianRadius: Math.sqrt(medianArea / Math.PI) * scale,
        fieldOfViewFound: fovFound,
        rejected,
        artefacts,
        ms: now() - t0,
      },
    },
    labelMap: { width: w, height: h, scale, data: labelData },
  };
}
