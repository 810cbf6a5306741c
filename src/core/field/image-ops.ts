/**
 * Small typed-array image operations used by the field detector. Single-channel images are
 * row-major arrays of `width × height`. No DOM, no tfjs: runs in a worker or in Node.
 */
import { toPixelView, type FieldPixels, type PixelView } from './pixel-view.js';

export interface Channel {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Area-average downscale by an integer factor; returns per-pixel mean R, G, B channels. */
export function downscaleRgb(img: FieldPixels, factor: number): { r: Channel; g: Channel; b: Channel } {
  const v = toPixelView(img);
  const w = Math.floor(v.width / factor);
  const h = Math.floor(v.height / factor);
  const r = new Float32Array(w * h);
  const g = new Float32Array(w * h);
  const b = new Float32Array(w * h);
  const out: AreaAverage = { w, h, r, g, b };
  if (Math.abs(v.stepX) === 4) downscaleAlongRows(v, factor, out);
  else downscaleAlongColumns(v, factor, out);
  return {
    r: { width: w, height: h, data: r },
    g: { width: w, height: h, data: g },
    b: { width: w, height: h, data: b },
  };
}

/** The working image being filled: w × h per-channel means. */
interface AreaAverage {
  w: number;
  h: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
}

/*
 * Both loops compute, for every block and for dy = 0 … factor − 1 in order, out += (integer sum of
 * the block's row dy) × 1/factor², so the float results are the same bit for bit whichever way the
 * pixels are stored; they differ only in walking the stored bytes in memory order (an upright row
 * is a stored column under orientations 5–8).
 */

/** Upright rows are stored rows (orientations 1–4). */
function downscaleAlongRows(v: PixelView, factor: number, out: AreaAverage): void {
  const { data: src, stepX, stepY, red, green, blue } = v;
  const { w, h, r, g, b } = out;
  const inv = 1 / (factor * factor);
  for (let y = 0; y < h; y++) {
    for (let dy = 0; dy < factor; dy++) {
      let si = v.origin + (y * factor + dy) * stepY;
      let di = y * w;
      for (let x = 0; x < w; x++, di++) {
        let sr = 0,
          sg = 0,
          sb = 0;
        for (let dx = 0; dx < factor; dx++, si += stepX) {
          sr += src[si + red]!;
          sg += src[si + green]!;
          sb += src[si + blue]!;
        }
        r[di]! += sr * inv;
        g[di]! += sg * inv;
        b[di]! += sb * inv;
      }
    }
  }
}

/**
 * Upright columns are stored rows (orientations 5–8): a block column is `factor` stored rows, walked
 * side by side; along them, upright y (so dy within each block) ascends.
 */
function downscaleAlongColumns(v: PixelView, factor: number, out: AreaAverage): void {
  const { data: src, stepX, stepY, red, green, blue } = v;
  const { w, h, r, g, b } = out;
  const inv = 1 / (factor * factor);
  for (let x = 0; x < w; x++) {
    let at = v.origin + x * factor * stepX;
    for (let y = 0, di = x; y < h; y++, di += w) {
      // The float32 running sums of the row version, kept in registers (Math.fround is its store).
      let ar = 0,
        ag = 0,
        ab = 0;
      for (let dy = 0; dy < factor; dy++, at += stepY) {
        let sr = 0,
          sg = 0,
          sb = 0;
        for (let dx = 0, si = at; dx < factor; dx++, si += stepX) {
          sr += src[si + red]!;
          sg += src[si + green]!;
          sb += src[si + blue]!;
        }
        ar = Math.fround(ar + sr * inv);
        ag = Math.fround(ag + sg * inv);
        ab = Math.fround(ab + sb * inv);
      }
      r[di] = ar;
      g[di] = ag;
      b[di] = ab;
    }
  }
}

/** Otsu threshold of the values where `within` is set (256 bins over [lo, hi]). */
export function otsuThreshold(values: Float32Array, within: Uint8Array | null, lo = 0, hi = 255): number {
  const bins = 256;
  const hist = new Float64Array(bins);
  const span = hi - lo || 1;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (within && !within[i]) continue;
    const v = Math.min(bins - 1, Math.max(0, Math.floor(((values[i]! - lo) / span) * bins)));
    hist[v]! += 1;
    n++;
  }
  if (n === 0) return (lo + hi) / 2;
  let sumAll = 0;
  for (let i = 0; i < bins; i++) sumAll += i * hist[i]!;
  let sumB = 0,
    wB = 0,
    best = 0,
    bestT = 0;
  for (let t = 0; t < bins; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = n - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return lo + ((bestT + 1) / bins) * span;
}

/**
 * Connected components (8-connectivity) of a binary mask. Returns labels (0 = background,
 * 1..count) and each component's pixel count at index label.
 */
export function labelComponents(mask: Mask): { labels: Int32Array; count: number; areas: number[] } {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const areas: number[] = [0];
  const stack = new Int32Array(w * h);
  /** First pixel of the last row: pixels before it have a row below. */
  const last = (h - 1) * w;
  let count = 0;
  for (let start = 0; start < w * h; start++) {
    if (!data[start] || labels[start]) continue;
    count++;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = count;
    let area = 0;
    // The eight neighbours written out (no inner loops): the labels and areas depend only on the
    // scan order of `start`, not on the order pixels leave the stack.
    while (sp > 0) {
      const p = stack[--sp]!;
      area++;
      const px = p % w;
      const left = px > 0;
      const right = px < w - 1;
      if (p >= w) {
        const q = p - w;
        if (data[q] && !labels[q]) {
          labels[q] = count;
          stack[sp++] = q;
        }
        if (left && data[q - 1] && !labels[q - 1]) {
          labels[q - 1] = count;
          stack[sp++] = q - 1;
        }
        if (right && data[q + 1] && !labels[q + 1]) {
          labels[q + 1] = count;
          stack[sp++] = q + 1;
        }
      }
      if (left && data[p - 1] && !labels[p - 1]) {
        labels[p - 1] = count;
        stack[sp++] = p - 1;
      }
      if (right && data[p + 1] && !labels[p + 1]) {
        labels[p + 1] = count;
        stack[sp++] = p + 1;
      }
      if (p < last) {
        const q = p + w;
        if (data[q] && !labels[q]) {
          labels[q] = count;
          stack[sp++] = q;
        }
        if (left && data[q - 1] && !labels[q - 1]) {
          labels[q - 1] = count;
          stack[sp++] = q - 1;
        }
        if (right && data[q + 1] && !labels[q + 1]) {
          labels[q + 1] = count;
          stack[sp++] = q + 1;
        }
      }
    }
    areas.push(area);
  }
  return { labels, count, areas };
}

/** Binary erosion (radius 1, 3×3) repeated `times`. */
export function erode(mask: Mask, times = 1): Mask {
  let cur = mask.data;
  const { width: w, height: h } = mask;
  for (let t = 0; t < times; t++) {
    const out = new Uint8Array(w * h);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        out[i] =
          cur[i] &&
          cur[i - 1] &&
          cur[i + 1] &&
          cur[i - w] &&
          cur[i + w] &&
          cur[i - w - 1] &&
          cur[i - w + 1] &&
          cur[i + w - 1] &&
          cur[i + w + 1]
            ? 1
            : 0;
      }
    }
    cur = out;
  }
  return { width: w, height: h, data: cur };
}

/** Binary dilation (3×3) repeated `times`. */
export function dilate(mask: Mask, times = 1): Mask {
  let cur = mask.data;
  const { width: w, height: h } = mask;
  for (let t = 0; t < times; t++) {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (!cur[i]) continue;
        for (let dy = -1; dy <= 1; dy++) {
          const ny = y + dy;
          if (ny < 0 || ny >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx >= 0 && nx < w) out[ny * w + nx] = 1;
          }
        }
      }
    }
    cur = out;
  }
  return { width: w, height: h, data: cur };
}

/** 1-D squared-distance transform (Felzenszwalb & Huttenlocher). */
function edt1d(f: Float32Array, n: number, d: Float32Array, v: Int32Array, z: Float32Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let vk = v[k]!;
    let s = (f[q]! + q * q - (f[vk]! + vk * vk)) / (2 * q - 2 * vk);
    while (s <= z[k]!) {
      k--;
      vk = v[k]!;
      s = (f[q]! + q * q - (f[vk]! + vk * vk)) / (2 * q - 2 * vk);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const vk = v[k]!;
    d[q] = (q - vk) * (q - vk) + f[vk]!;
  }
}

/** Exact Euclidean distance of every foreground pixel to the nearest background pixel. */
export function distanceTransform(mask: Mask): Float32Array {
  const { width: w, height: h, data } = mask;
  const INF = 1e20;
  const out = new Float32Array(w * h);
  const n = Math.max(w, h);
  const f = new Float32Array(n);
  const d = new Float32Array(n);
  const v = new Int32Array(n);
  const z = new Float32Array(n + 1);
  // A line with every input 0 transforms to all 0 (each point is its own nearest zero), which `out`
  // already holds: such lines (outside the field of view, ≈ 40 % of a field's rows) are skipped.
  for (let x = 0; x < w; x++) {
    let any = false;
    for (let y = 0; y < h; y++) {
      if (data[y * w + x]) {
        f[y] = INF;
        any = true;
      } else f[y] = 0;
    }
    if (!any) continue;
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) out[y * w + x] = d[y]!;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let any = false;
    for (let x = 0; x < w; x++) {
      const fx = out[row + x]!;
      f[x] = fx;
      if (fx !== 0) any = true;
    }
    if (!any) continue;
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) out[row + x] = Math.sqrt(d[x]!);
  }
  return out;
}

/** Separable box blur with radius r (window 2r+1), edges clamped. */
export function boxBlur(ch: Channel, r: number): Channel {
  const { width: w, height: h } = ch;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const win = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += ch.data[row + Math.min(w - 1, Math.max(0, k))]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc / win;
      acc += ch.data[row + Math.min(w - 1, x + r + 1)]! - ch.data[row + Math.max(0, x - r)]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += tmp[Math.min(h - 1, Math.max(0, k)) * w + x]!;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = acc / win;
      acc += tmp[Math.min(h - 1, y + r + 1) * w + x]! - tmp[Math.max(0, y - r) * w + x]!;
    }
  }
  return { width: w, height: h, data: out };
}
