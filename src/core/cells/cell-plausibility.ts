/**
 * Plausibility gate for single-cell images (pure; no DOM, no model). An image may become a "cell"
 * (counted, classified) only if it looks like an NIH-style single red-cell crop: a Giemsa-stained
 * red cell, masked onto a dark/black background, filling most of a small image. Everything else is
 * either a whole field (routed to field analysis) or rejected with a reason.
 *
 * Every threshold below was set by measurement on all 23,738 NIH crops of the training/development
 * set (`npm run eval:cell-gate`, docs/cell-gate.md, docs/cell-gate.json): ≥ 99.9 % of them pass.
 *
 * The pixels are sampled on a grid of at most GRID × GRID points (nearest pixel, block centres), so
 * the cost does not grow with the image: ≈ 0.08 ms for an NIH crop (Node 20, V8; see docs/cell-gate.md).
 */
import { looksLikeField, MIN_FIELD_SIDE } from '../field/looks-like-field.js';
import { ImageRejectedError } from '../decode/image-format.js';

export type CellGateKind = 'field' | 'not-a-cell';

export type CellGateResult = { ok: true } | { ok: false; reason: string; kind: CellGateKind };

/** Longest side of the sampling grid. */
export const GRID = 64;

/**
 * Thresholds, each with the range measured on all 23,738 NIH crops (min–max; `npm run
 * eval:cell-gate`, docs/cell-gate.md) and a margin beyond it: 99.99 % of the crops pass.
 */
export const CELL_GATE = {
  /** Shortest side a cell crop may have (NIH min 40 px). */
  minSide: 24,
  /** Longest side a cell crop may have (NIH max 394 px). */
  maxSide: 600,
  /** Long side ÷ short side (NIH max 2.60). */
  maxAspect: 3,
  /** A pixel with max(R,G,B) ≤ this is background (NIH background is 0; JPEG/camera black ≤ ~25). */
  dark: 40,
  /** Share of the image that is background (NIH 0.147–0.708). */
  minBackground: 0.08,
  maxBackground: 0.8,
  /** Share of the non-background pixels in the largest blob (NIH ≥ 0.965 but for 1 crop of two cells, 0.573). */
  minMainShare: 0.85,
  /** Separate blobs of ≥ 2 % of the image (NIH ≤ 2). */
  maxComponents: 3,
  /** Blob area ÷ its bounding box (an ellipse: 0.785; NIH 0.296–0.853, 0.1 % below 0.430: masks are often ragged). */
  minFill: 0.3,
  maxFill: 0.93,
  /** Blob area ÷ its convex hull (NIH 0.575–0.973, 0.1 % below 0.667). */
  minSolidity: 0.5,
  /** Blob bounding box ÷ image, per side (NIH ≥ 0.639, 0.1 % below 0.847: crops are tight). */
  minSpan: 0.6,
  /** Background enclosed by the blob (not reachable from the image border) ÷ blob area (NIH ≤ 0.002). */
  maxHoles: 0.01,
  /** Mean luminance of the blob (NIH 100.1–191.1). */
  minLuminance: 80,
  maxLuminance: 215,
  /** Share of blob pixels that are blown out, min(R,G,B) ≥ 250 (NIH: 0). */
  maxWhite: 0.05,
  /** Giemsa hue: mean G ÷ mean R (NIH 0.319–1.183) and mean B ÷ mean R (NIH 0.600–1.567) of the blob. */
  minGreenRatio: 0.25,
  maxGreenRatio: 1.35,
  minBlueRatio: 0.45,
  maxBlueRatio: 1.9,
  /**
   * Share of the blob that is very dark stain, G < 0.35 R (a platelet clump or stain debris is dark
   * purple almost all over; a red cell is pink with at most a parasite's worth of dark stain). All
   * NIH crops: 99.9 % ≤ 0.180, 1 above 0.45 (a heavily infected Parasitized cell, 0.635); Uninfected
   * max 0.094. The app's crops of the six smear fields: red cells ≤ 0.12; artefacts (platelets,
   * debris, fragments) 14 of 29 above 0.45 (docs/cell-gate.md, "Platelets and debris").
   */
  maxDarkShare: 0.45,
  /**
   * Stained runs per blob row (looksLikeField's stain test) above which a small image is a whole
   * field (NIH ≤ 4.70, 99.9 % ≤ 3.47; the six smear fields scaled to 300–600 px: 5.56–7.20).
   */
  maxStainRunsPerRow: 5,
} as const;

export interface CellFeatures {
  width: number;
  height: number;
  aspect: number;
  /** Sampling grid. */
  gridWidth: number;
  gridHeight: number;
  background: number;
  components: number;
  mainShare: number;
  mainArea: number;
  fill: number;
  solidity: number;
  spanX: number;
  spanY: number;
  holes: number;
  meanR: number;
  meanG: number;
  meanB: number;
  chroma: number;
  luminance: number;
  white: number;
  /** Share of the blob's samples with G < DARK_GREEN_RATIO × R (very dark purple stain). */
  darkShare: number;
  stainRunsPerRow: number;
}

/** G ÷ R below which a pixel is very dark stain (platelets, chromatin, debris). */
export const DARK_GREEN_RATIO = 0.35;

/** Pixel data in ImageData layout (RGBA, row-major). */
export type RgbaData = ArrayLike<number>;

/**
 * Area of the convex hull of a blob given by its row extents: row y (0…rows−1) covers pixels
 * [x0[y], x1[y]] (x0 < 0: empty row). The hull is taken over the pixels' corners, so a filled
 * rectangle has exactly its pixel count as area. Andrew's monotone chain over the corner points,
 * which come out already sorted by (y, x): no sort.
 */
export function rowHullArea(x0: Int32Array, x1: Int32Array, rows: number): number {
  // Per corner level L (0…rows): the leftmost and rightmost corner of rows L − 1 and L.
  const px = scratchHull(4 * (rows + 1));
  let m = 0;
  for (let L = 0; L <= rows; L++) {
    let lo = Infinity,
      hi = -Infinity;
    if (L > 0 && x0[L - 1]! >= 0) {
      lo = x0[L - 1]!;
      hi = x1[L - 1]! + 1;
    }
    if (L < rows && x0[L]! >= 0) {
      lo = Math.min(lo, x0[L]!);
      hi = Math.max(hi, x1[L]! + 1);
    }
    if (lo === Infinity) continue;
    px[m++] = lo;
    px[m++] = L;
    if (hi !== lo) {
      px[m++] = hi;
      px[m++] = L;
    }
  }
  const count = m / 2;
  if (count < 3) return 0;
  const hull = scratchChain(count * 2 + 2);
  let k = 0;
  const crossAt = (a: number, b: number, c: number) =>
    (px[2 * b]! - px[2 * a]!) * (px[2 * c + 1]! - px[2 * a + 1]!) -
    (px[2 * b + 1]! - px[2 * a + 1]!) * (px[2 * c]! - px[2 * a]!);
  for (let i = 0; i < count; i++) {
    while (k >= 2 && crossAt(hull[k - 2]!, hull[k - 1]!, i) <= 0) k--;
    hull[k++] = i;
  }
  for (let i = count - 2, t = k + 1; i >= 0; i--) {
    while (k >= t && crossAt(hull[k - 2]!, hull[k - 1]!, i) <= 0) k--;
    hull[k++] = i;
  }
  k--; // the last point repeats the first
  let area = 0;
  for (let j = 0; j < k; j++) {
    const a = hull[j]!,
      b = hull[(j + 1) % k]!;
    area += px[2 * a]! * px[2 * b + 1]! - px[2 * b]! * px[2 * a + 1]!;
  }
  return Math.abs(area) / 2;
}

// Scratch buffers, reused between calls (the gate runs once per image, many times per batch).
let hullPoints = new Float64Array(0);
let hullChain = new Int32Array(0);
function scratchHull(n: number): Float64Array {
  if (hullPoints.length < n) hullPoints = new Float64Array(n);
  return hullPoints;
}
function scratchChain(n: number): Int32Array {
  if (hullChain.length < n) hullChain = new Int32Array(n);
  return hullChain;
}
const MAX_CELLS = GRID * GRID;
const fgMask = new Uint8Array(MAX_CELLS);
const outside = new Uint8Array(MAX_CELLS);
const labels = new Int32Array(MAX_CELLS);
const stack = new Int32Array(MAX_CELLS);
const rowX0 = new Int32Array(GRID);
const rowX1 = new Int32Array(GRID);
const colOffset = new Int32Array(GRID);
const rowOffset = new Int32Array(GRID);

/** looksLikeField's stain test: clearly pink/purple (G well below R), not dark. */
function stained(r: number, g: number): boolean {
  return r > 60 && g < 0.7 * r;
}

/** Measures the gate's statistics on a sampling grid (≤ GRID × GRID) of the image. */
export function measureCell(data: RgbaData, width: number, height: number): CellFeatures {
  const long = Math.max(width, height);
  const step = Math.max(1, Math.ceil(long / GRID));
  const gw = Math.ceil(width / step);
  const gh = Math.ceil(height / step);
  const n = gw * gh;
  const off = Math.floor(step / 2);
  const dark = CELL_GATE.dark;
  for (let gx = 0; gx < gw; gx++) colOffset[gx] = Math.min(width - 1, gx * step + off) * 4;
  for (let gy = 0; gy < gh; gy++) rowOffset[gy] = Math.min(height - 1, gy * step + off) * width * 4;
  let bg = 0;
  for (let gy = 0, k = 0; gy < gh; gy++) {
    const ro = rowOffset[gy]!;
    for (let gx = 0; gx < gw; gx++, k++) {
      const o = ro + colOffset[gx]!;
      const isFg = data[o]! > dark || data[o + 1]! > dark || data[o + 2]! > dark;
      fgMask[k] = isFg ? 1 : 0;
      labels[k] = 0;
      outside[k] = 0;
      if (!isFg) bg++;
    }
  }
  // Connected foreground blobs (4-neighbour), labelled 1…; the largest is the cell.
  let main = 0,
    mainArea = 0,
    fgTotal = 0,
    significant = 0,
    nextId = 1;
  const minSignificant = Math.max(2, 0.02 * n);
  for (let s = 0; s < n; s++) {
    if (!fgMask[s] || labels[s]) continue;
    const id = nextId++;
    let top = 0,
      area = 0;
    stack[top++] = s;
    labels[s] = id;
    while (top) {
      const k = stack[--top]!;
      area++;
      const x = k % gw;
      if (x > 0 && fgMask[k - 1] && !labels[k - 1]) {
        labels[k - 1] = id;
        stack[top++] = k - 1;
      }
      if (x < gw - 1 && fgMask[k + 1] && !labels[k + 1]) {
        labels[k + 1] = id;
        stack[top++] = k + 1;
      }
      if (k >= gw && fgMask[k - gw] && !labels[k - gw]) {
        labels[k - gw] = id;
        stack[top++] = k - gw;
      }
      if (k < n - gw && fgMask[k + gw] && !labels[k + gw]) {
        labels[k + gw] = id;
        stack[top++] = k + gw;
      }
    }
    fgTotal += area;
    if (area >= minSignificant) significant++;
    if (area > mainArea) {
      mainArea = area;
      main = id;
    }
  }

  // Background reachable from the border (the rest is enclosed by blobs: holes).
  let top = 0;
  const seed = (k: number) => {
    if (!fgMask[k] && !outside[k]) {
      outside[k] = 1;
      stack[top++] = k;
    }
  };
  for (let x = 0; x < gw; x++) {
    seed(x);
    seed((gh - 1) * gw + x);
  }
  for (let y = 0; y < gh; y++) {
    seed(y * gw);
    seed(y * gw + gw - 1);
  }
  let reached = 0;
  while (top) {
    const k = stack[--top]!;
    reached++;
    const x = k % gw;
    if (x > 0) seed(k - 1);
    if (x < gw - 1) seed(k + 1);
    if (k >= gw) seed(k - gw);
    if (k < n - gw) seed(k + gw);
  }
  const enclosed = bg - reached;

  // The main blob: bounding box, row extents (for the hull), colour, stain runs.
  let bx0 = gw,
    bx1 = -1,
    by0 = gh,
    by1 = -1;
  let sr = 0,
    sg = 0,
    sb = 0,
    chromaSum = 0,
    lumSum = 0,
    white = 0,
    darkStain = 0,
    runs = 0,
    rows = 0;
  for (let gy = 0; gy < gh; gy++) {
    let rx0 = -1,
      rx1 = -1,
      prev = false;
    const ro = rowOffset[gy]!;
    for (let gx = 0, k = gy * gw; gx < gw; gx++, k++) {
      if (!main || labels[k] !== main) {
        prev = false;
        continue;
      }
      if (rx0 < 0) rx0 = gx;
      rx1 = gx;
      const o = ro + colOffset[gx]!;
      const r = data[o]!,
        g = data[o + 1]!,
        b = data[o + 2]!;
      sr += r;
      sg += g;
      sb += b;
      const mx = r > g ? (r > b ? r : b) : g > b ? g : b;
      const mn = r < g ? (r < b ? r : b) : g < b ? g : b;
      chromaSum += mx - mn;
      lumSum += 0.299 * r + 0.587 * g + 0.114 * b;
      if (mn >= 250) white++;
      if (g < DARK_GREEN_RATIO * r) darkStain++;
      const st = stained(r, g);
      if (st && !prev) runs++;
      prev = st;
    }
    rowX0[gy] = rx0;
    rowX1[gy] = rx1;
    if (rx0 < 0) continue;
    rows++;
    if (rx0 < bx0) bx0 = rx0;
    if (rx1 > bx1) bx1 = rx1;
    if (gy < by0) by0 = gy;
    by1 = gy;
  }
  const bw = bx1 - bx0 + 1,
    bh = by1 - by0 + 1;
  const hull = mainArea ? rowHullArea(rowX0, rowX1, gh) : 0;
  const a = Math.max(1, mainArea);
  return {
    width,
    height,
    aspect: Math.max(width, height) / Math.max(1, Math.min(width, height)),
    gridWidth: gw,
    gridHeight: gh,
    background: bg / n,
    components: significant,
    mainShare: fgTotal ? mainArea / fgTotal : 0,
    mainArea: mainArea / n,
    fill: mainArea ? mainArea / (bw * bh) : 0,
    solidity: hull > 0 ? mainArea / hull : 0,
    spanX: mainArea ? bw / gw : 0,
    spanY: mainArea ? bh / gh : 0,
    holes: enclosed / a,
    meanR: sr / a,
    meanG: sg / a,
    meanB: sb / a,
    chroma: chromaSum / a,
    luminance: lumSum / a,
    white: white / a,
    darkShare: darkStain / a,
    stainRunsPerRow: rows ? runs / rows : 0,
  };
}

const pct = (v: number) => `${Math.round(v * 100)} %`;
const NOT_A_CELL = (reason: string): CellGateResult => ({ ok: false, kind: 'not-a-cell', reason });

/** The size part of the gate: needs only the dimensions. */
export function checkCellSize(width: number, height: number): CellGateResult {
  const long = Math.max(width, height),
    short = Math.min(width, height);
  if (long >= MIN_FIELD_SIDE)
    return { ok: false, kind: 'field', reason: `a whole-field photo (${width}×${height}), not a single-cell crop` };
  if (short < CELL_GATE.minSide)
    return NOT_A_CELL(`too small (${width}×${height} px; a cell crop is at least ${CELL_GATE.minSide} px a side)`);
  if (long / short > CELL_GATE.maxAspect)
    return NOT_A_CELL(`too long and thin (${width}×${height} px) for one red cell`);
  return { ok: true };
}

/** Whole-field check for images larger than a cell crop (looksLikeField on a ≤ 200 px sample). */
function fieldByContent(data: RgbaData, width: number, height: number): boolean {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / 200));
  const tw = Math.ceil(width / step),
    th = Math.ceil(height / step);
  const thumb = new Uint8ClampedArray(tw * th * 4);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const o = (Math.min(height - 1, y * step) * width + Math.min(width - 1, x * step)) * 4;
      const t = (y * tw + x) * 4;
      thumb[t] = data[o]!;
      thumb[t + 1] = data[o + 1]!;
      thumb[t + 2] = data[o + 2]!;
      thumb[t + 3] = 255;
    }
  }
  return looksLikeField(width, height, { width: tw, height: th, data: thumb }).isField;
}

/** Decides from the features whether this is a single red-cell image. */
export function judgeCell(f: CellFeatures): CellGateResult {
  const G = CELL_GATE;
  if (f.mainShare === 0 || f.mainArea < 0.02) return NOT_A_CELL('no cell: the image is (almost) all dark');
  if (f.background < G.minBackground) {
    return NOT_A_CELL('no dark background around a cell (a cell crop shows one cell masked on black)');
  }
  if (f.stainRunsPerRow > G.maxStainRunsPerRow && f.mainArea > 0.2) {
    return { ok: false, kind: 'field', reason: 'many stained cells: a whole field, not one cell' };
  }
  if (f.background > G.maxBackground) return NOT_A_CELL(`the object fills only ${pct(1 - f.background)} of the image`);
  if (f.mainShare < G.minMainShare || f.components > G.maxComponents) {
    return NOT_A_CELL(`${Math.max(2, f.components)} separate objects, not one cell`);
  }
  if (f.holes > G.maxHoles) return NOT_A_CELL('the object has dark holes (text or a pattern), not a red cell');
  if (f.spanX < G.minSpan || f.spanY < G.minSpan)
    return NOT_A_CELL('the object is small in the image; a cell crop is tight around one cell');
  if (f.fill < G.minFill || f.solidity < G.minSolidity) {
    return NOT_A_CELL(
      `the object's shape is not a red cell's (fill ${f.fill.toFixed(2)}, solidity ${f.solidity.toFixed(2)})`,
    );
  }
  if (f.fill > G.maxFill) return NOT_A_CELL('the object is a rectangle, not a round cell');
  if (f.white > G.maxWhite) return NOT_A_CELL('the object is blown out (white)');
  if (f.luminance < G.minLuminance || f.luminance > G.maxLuminance) {
    return NOT_A_CELL(
      `brightness ${Math.round(f.luminance)} is outside the range of stained cells (${G.minLuminance}–${G.maxLuminance})`,
    );
  }
  const gr = f.meanG / Math.max(1, f.meanR),
    br = f.meanB / Math.max(1, f.meanR);
  if (gr < G.minGreenRatio || gr > G.maxGreenRatio || br < G.minBlueRatio || br > G.maxBlueRatio) {
    return NOT_A_CELL(
      `colour (mean RGB ${Math.round(f.meanR)}, ${Math.round(f.meanG)}, ${Math.round(f.meanB)}) is not a Giemsa-stained cell's`,
    );
  }
  if (f.darkShare > G.maxDarkShare) {
    return NOT_A_CELL(
      `very dark stain over ${pct(f.darkShare)} of the object: a platelet clump or stain debris, not a red cell`,
    );
  }
  return { ok: true };
}

/**
 * The gate: is this decoded image (RGBA, ImageData layout) a plausible single red-cell crop?
 * `{ ok: false, kind: 'field' }` means "analyse it as a whole field instead".
 */
export function checkCellPlausibility(data: RgbaData, width: number, height: number): CellGateResult {
  if (!(width > 0 && height > 0) || data.length < width * height * 4) return NOT_A_CELL('no pixels');
  const size = checkCellSize(width, height);
  if (!size.ok) return size;
  if (Math.max(width, height) > CELL_GATE.maxSide) {
    if (fieldByContent(data, width, height))
      return { ok: false, kind: 'field', reason: `a whole-field photo (${width}×${height}), not a single-cell crop` };
    return NOT_A_CELL(
      `too large for a single-cell crop (${width}×${height} px; at most ${CELL_GATE.maxSide} px a side)`,
    );
  }
  return judgeCell(measureCell(data, width, height));
}

const FIELD_MESSAGE =
  /^This looks like a whole field, not a single red-cell image: (.*)\. Analyse it in the Field tab\.$/s;
const NOT_A_CELL_MESSAGE = /^Not a single red-cell image: (.*)\.$/s;

/** The message shown for a rejected image. */
export function cellGateMessage(result: Exclude<CellGateResult, { ok: true }>): string {
  return result.kind === 'field'
    ? `This looks like a whole field, not a single red-cell image: ${result.reason}. Analyse it in the Field tab.`
    : `Not a single red-cell image: ${result.reason}.`;
}

/**
 * The gate's result back from its message (the inverse of `cellGateMessage`), or null for any other
 * message. The decode worker's replies carry only a message; this lets the page tell "not a red
 * cell" (an outcome of its own) from a file that could not be read (an error).
 */
export function parseCellGateMessage(message: string): Exclude<CellGateResult, { ok: true }> | null {
  const field = FIELD_MESSAGE.exec(message);
  if (field) return { ok: false, kind: 'field', reason: field[1]! };
  const notACell = NOT_A_CELL_MESSAGE.exec(message);
  return notACell ? { ok: false, kind: 'not-a-cell', reason: notACell[1]! } : null;
}

/** An image that failed the gate; its message is shown as is (an ImageRejectedError, like bad files). */
export class NotACellError extends ImageRejectedError {
  override name = 'NotACellError';
  readonly result: Exclude<CellGateResult, { ok: true }>;
  constructor(result: Exclude<CellGateResult, { ok: true }>) {
    super(cellGateMessage(result));
    this.result = result;
  }
}

/** Throws NotACellError unless the image passes the gate. */
export function assertPlausibleCell(data: RgbaData, width: number, height: number): void {
  const r = checkCellPlausibility(data, width, height);
  if (!r.ok) throw new NotACellError(r);
}
