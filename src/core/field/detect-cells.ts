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
 *  5. fragments, platelets and debris (area < 35 % of the median cell) rejected, as are slivers
 *     cut by the field-of-view edge.
 */
import type { DetectedCell, FieldDetection, RgbaImage } from './field-types.js';
import {
  distanceTransform,
  downscaleRgb,
  erode,
  dilate,
  labelComponents,
  otsuThreshold,
  boxBlur,
  type Mask,
} from './image-ops.js';
import { findMarkers, mergeShallowSplits, watershedFromMarkers } from './watershed.js';
import { traceRadialOutline } from './outline.js';
import { splitClumps } from './split-clumps.js';

export interface DetectOptions {
  /** Long side of the working image in pixels (the photo is area-averaged down to about this). */
  workingLongSide?: number;
  /** Regions smaller than this fraction of the median cell area are rejected. */
  minAreaFraction?: number;
  /** Saddle/peak ratio above which two watershed regions are merged. */
  mergeRatio?: number;
  /** Regions with at least this many pixels on the field-of-view edge are rejected. */
  maxEdgePixels?: number;
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

const EMPTY_STATS = { medianRadius: 0, fieldOfViewFound: false, rejected: 0 };

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

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

export function detectCells(img: RgbaImage, opts: DetectOptions = {}): DetectionResult {
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
  const bright = new Float32Array(n);
  for (let i = 0; i < n; i++) bright[i] = Math.max(r.data[i]!, g.data[i]!, b.data[i]!);
  const fov = fieldOfView(bright, w, h);
  const fovInner = erode({ width: w, height: h, data: fov.mask }, 2).data;
  /** On the image border or next to the field of view's edge (regions touching it are cut by it). */
  const onFovEdge = (i: number, x: number, y: number): boolean =>
    x === 0 || y === 0 || x === w - 1 || y === h - 1 || !fovInner[i - 1] || !fovInner[i + 1] || !fovInner[i - w] || !fovInner[i + w];
  let fovArea = 0;
  for (let i = 0; i < n; i++) fovArea += fovInner[i]!;
  if (fovArea < 0.01 * n) return emptyResult(fov.found);

  // 2. Stain feature and foreground.
  const stain = new Float32Array(n);
  for (let i = 0; i < n; i++) stain[i] = 255 * (1 - g.data[i]! / Math.max(1, r.data[i]!));
  const t = otsuThreshold(stain, fovInner);
  // Otsu needs two populations: stained cells clearly apart from the background.
  let fgMean = 0, fgN = 0, bgMean = 0, bgN = 0;
  for (let i = 0; i < n; i++) {
    if (!fovInner[i]) continue;
    if (stain[i]! > t) { fgMean += stain[i]!; fgN++; } else { bgMean += stain[i]!; bgN++; }
  }
  fgMean /= Math.max(1, fgN);
  bgMean /= Math.max(1, bgN);
  if (fgN < 0.02 * fovArea || fgMean - bgMean < 20) return emptyResult(fov.found);
  let fg: Mask = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) fg.data[i] = fovInner[i] && stain[i]! > t ? 1 : 0;
  // Uneven illumination (washed-out, defocused rim): re-threshold each pixel halfway between the
  // local background and local cell stain levels (normalised convolution over ~3 cell radii).
  for (let pass = 0; pass < (opts.adaptivePasses ?? 1); pass++) {
    const blurR = Math.max(4, Math.round(w / 35));
    const bgW = new Float32Array(n), bgV = new Float32Array(n), fgW = new Float32Array(n), fgV = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (!fovInner[i]) continue;
      if (fg.data[i]) { fgW[i] = 1; fgV[i] = stain[i]!; } else { bgW[i] = 1; bgV[i] = stain[i]!; }
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

  // Typical cell size from the connected components (median of per-component peak distance).
  let dist = distanceTransform(fg);
  const comps = labelComponents(fg);
  const compPeak = new Float32Array(comps.count + 1);
  for (let i = 0; i < n; i++) {
    const l = comps.labels[i]!;
    if (l && dist[i]! > compPeak[l]!) compPeak[l] = dist[i]!;
  }
  const peaks: number[] = [];
  for (let l = 1; l <= comps.count; l++) if (compPeak[l]! >= 3) peaks.push(compPeak[l]!);
  const radius = median(peaks);
  if (radius < 3) return emptyResult(fov.found);
  const cellArea = Math.PI * radius * radius;
  fillSmallHoles(fg, fovInner, 0.3 * cellArea);
  dist = distanceTransform(fg);

  // 3. Split touching cells.
  const { markers, count: markerCount } = findMarkers(
    dist, w, h, 0.4 * radius, Math.max(2, Math.round(0.25 * radius)), 0.7 * radius,
  );
  const flooded = watershedFromMarkers(fg, dist, markers);
  const merged = mergeShallowSplits(flooded, markerCount, dist, w, h, opts.mergeRatio ?? 0.9);
  // Honeycomb clumps: one distance peak for several cells; split by area.
  {
    const regionArea = new Int32Array(merged.count + 1);
    for (let i = 0; i < n; i++) regionArea[merged.labels[i]!]!++;
    const single: number[] = [];
    for (let l = 1; l <= merged.count; l++) if (regionArea[l]! >= 0.35 * cellArea) single.push(regionArea[l]!);
    const singleArea = median(single) || cellArea;
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
  }

  // 4. White blood cells: big components of very dark stain.
  let cellStain = 0, cellN = 0;
  for (let i = 0; i < n; i++) if (fg.data[i]) { cellStain += stain[i]!; cellN++; }
  cellStain /= Math.max(1, cellN);
  const darkT = cellStain + 0.9 * (cellStain - bgMean);
  let dark: Mask = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) dark.data[i] = fg.data[i] && stain[i]! > darkT ? 1 : 0;
  dark = dilate(erode(dark, 1), 1);
  const darkComps = labelComponents(dark);
  const isNucleus = new Uint8Array(darkComps.count + 1);
  for (let l = 1; l <= darkComps.count; l++) if (darkComps.areas[l]! > 0.9 * cellArea) isNucleus[l] = 1;

  // Region statistics.
  const stats: RegionStats[] = Array.from({ length: merged.count + 1 }, () => ({
    area: 0, sx: 0, sy: 0, minX: w, minY: h, maxX: -1, maxY: -1, edge: 0, dark: 0, stain: 0,
  }));
  const regionNucleus = new Int32Array(merged.count + 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = merged.labels[i]!;
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
      const dl = darkComps.labels[i]!;
      if (dl && isNucleus[dl]) {
        s.dark++;
        regionNucleus[l] = dl;
      }
      if (onFovEdge(i, x, y)) s.edge++;
    }
  }
  const areas: number[] = [];
  for (let l = 1; l <= merged.count; l++) if (stats[l]!.area >= 0.35 * cellArea) areas.push(stats[l]!.area);
  const medianArea = median(areas) || cellArea;
  const minArea = (opts.minAreaFraction ?? 0.35) * medianArea;

  // 5. Keep, reject, or assign to a white cell.
  const idOfRegion = new Int32Array(merged.count + 1);
  const cells: DetectedCell[] = [];
  const wbcOfNucleus = new Map<number, number>();
  let rejected = 0;
  const kindOf: ('red' | 'white')[] = [];
  for (let l = 1; l <= merged.count; l++) {
    const s = stats[l]!;
    if (s.area === 0) continue;
    if (s.dark > 0.6 * s.area && regionNucleus[l]) {
      const nucleus = regionNucleus[l]!;
      const existing = wbcOfNucleus.get(nucleus);
      if (existing !== undefined) {
        idOfRegion[l] = existing;
        continue;
      }
      const id = cells.length + 1;
      wbcOfNucleus.set(nucleus, id);
      idOfRegion[l] = id;
      kindOf[id] = 'white';
      cells.push({ id, kind: 'white', x: 0, y: 0, box: { x: 0, y: 0, width: 0, height: 0 }, area: 0, outline: [] });
      continue;
    }
    // Cells cut by the field-of-view edge are not countable (the annotators skip them too).
    const edgeCut = s.edge >= (opts.maxEdgePixels ?? 14);
    // Small, very dark objects: platelet clumps and stain debris.
    const darkDebris = s.stain / s.area > darkT && s.area < 0.6 * medianArea;
    if (s.area < minArea || edgeCut || darkDebris) {
      rejected++;
      continue;
    }
    const id = cells.length + 1;
    idOfRegion[l] = id;
    kindOf[id] = 'red';
    cells.push({ id, kind: 'red', x: 0, y: 0, box: { x: 0, y: 0, width: 0, height: 0 }, area: 0, outline: [] });
  }

  // Final label map (cell ids) and geometry in full-resolution coordinates.
  const labelData = new Int32Array(n);
  const acc = cells.map(() => ({ area: 0, sx: 0, sy: 0, minX: w, minY: h, maxX: -1, maxY: -1 }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const id = idOfRegion[merged.labels[i]!]!;
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
        fieldOfViewFound: fov.found,
        rejected,
        ms: now() - t0,
      },
    },
    labelMap: { width: w, height: h, scale, data: labelData },
  };
}
