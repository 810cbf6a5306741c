/**
 * Splitting touching red cells: markers at the peaks of the distance transform, a marker-based
 * watershed flood on −distance, then merging of regions whose shared ridge is nearly as high as
 * their lower peak (one elongated cell, not two cells). Works on the working-resolution mask.
 */
import type { Mask } from './image-ops.js';

export interface WatershedResult {
  /** 0 = background, 1..count = region id. */
  labels: Int32Array;
  count: number;
}

/**
 * Local maxima of `dist` within a (2r+1)² window and ≥ minPeak; maxima closer than `mergeRadius`
 * are grouped into one marker. Returns a marker image (0 = none).
 */
export function findMarkers(
  dist: Float32Array,
  width: number,
  height: number,
  minPeak: number,
  window: number,
  mergeRadius: number,
): { markers: Int32Array; count: number } {
  const peaks: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = dist[i]!;
      if (d < minPeak) continue;
      let isMax = true;
      for (let dy = -window; dy <= window && isMax; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -window; dx <= window; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const nd = dist[ny * width + nx]!;
          // Strictly greater wins; ties broken by index so plateaus give one peak per window.
          if (nd > d || (nd === d && ny * width + nx < i)) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) peaks.push(i);
    }
  }
  // Greedy grouping: strongest peaks first absorb weaker peaks within mergeRadius.
  peaks.sort((a, b) => dist[b]! - dist[a]!);
  const markers = new Int32Array(width * height);
  const kept: { x: number; y: number }[] = [];
  const r2 = mergeRadius * mergeRadius;
  for (const p of peaks) {
    const px = p % width;
    const py = (p - px) / width;
    if (kept.some((k) => (k.x - px) ** 2 + (k.y - py) ** 2 < r2)) continue;
    kept.push({ x: px, y: py });
    markers[p] = kept.length;
  }
  return { markers, count: kept.length };
}

/**
 * Marker-controlled watershed on −dist inside `mask` (priority flood with a bucket queue keyed
 * by quantised distance, highest first). Unreached mask pixels stay 0.
 */
export function watershedFromMarkers(
  mask: Mask,
  dist: Float32Array,
  markers: Int32Array,
  levelsPerPixel = 4,
): Int32Array {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(markers);
  let maxD = 0;
  for (let i = 0; i < dist.length; i++) if (dist[i]! > maxD) maxD = dist[i]!;
  const levels = Math.ceil(maxD * levelsPerPixel) + 2;
  const buckets: number[][] = Array.from({ length: levels }, () => []);
  const queued = new Uint8Array(w * h);
  const keyOf = (i: number) => Math.max(0, Math.min(levels - 1, Math.floor((maxD - dist[i]!) * levelsPerPixel)));
  const pushNeighbours = (p: number) => {
    const px = p % w;
    const py = (p - px) / w;
    if (px > 0) visit(p - 1);
    if (px < w - 1) visit(p + 1);
    if (py > 0) visit(p - w);
    if (py < h - 1) visit(p + w);
  };
  const visit = (q: number) => {
    if (!data[q] || labels[q] || queued[q]) return;
    queued[q] = 1;
    const k = keyOf(q);
    buckets[k]!.push(q);
    if (k < level) level = k;
  };
  let level = 0;
  for (let i = 0; i < w * h; i++) if (labels[i]) pushNeighbours(i);
  level = 0;
  while (level < levels) {
    const bucket = buckets[level]!;
    const p = bucket.pop();
    if (p === undefined) {
      level++;
      continue;
    }
    // Take the label of a labelled 4-neighbour (the one with the largest distance).
    const px = p % w;
    const py = (p - px) / w;
    let best = 0,
      bestD = -1;
    const consider = (q: number) => {
      const l = labels[q]!;
      if (l && dist[q]! > bestD) {
        best = l;
        bestD = dist[q]!;
      }
    };
    if (px > 0) consider(p - 1);
    if (px < w - 1) consider(p + 1);
    if (py > 0) consider(p - w);
    if (py < h - 1) consider(p + w);
    labels[p] = best;
    // A neighbour pushed to an earlier bucket moves `level` back (see visit).
    pushNeighbours(p);
  }
  return labels;
}

/**
 * Merges adjacent regions whose saddle (highest min-distance across their shared border) is at
 * least `ratio` × the lower of the two peaks. Returns relabelled regions 1..count.
 */
export function mergeShallowSplits(
  labels: Int32Array,
  count: number,
  dist: Float32Array,
  width: number,
  height: number,
  ratio: number,
): WatershedResult {
  const peak = new Float32Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l && dist[i]! > peak[l]!) peak[l] = dist[i]!;
  }
  const saddles = new Map<number, number>();
  const key = (a: number, b: number) => (a < b ? a * (count + 1) + b : b * (count + 1) + a);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = labels[i]!;
      if (!a) continue;
      // The right, then the lower neighbour (the same order of updates as before: the edges'
      // order, and so the merges, follow the Map's insertion order).
      for (let side = 0; side < 2; side++) {
        if (side === 0 ? x >= width - 1 : y >= height - 1) continue;
        const j = side === 0 ? i + 1 : i + width;
        const b = labels[j]!;
        if (!b || b === a) continue;
        const s = Math.min(dist[i]!, dist[j]!);
        const k = key(a, b);
        if ((saddles.get(k) ?? -1) < s) saddles.set(k, s);
      }
    }
  }
  const parent = Int32Array.from({ length: count + 1 }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const edges = [...saddles.entries()].map(([k, s]) => ({ a: Math.floor(k / (count + 1)), b: k % (count + 1), s }));
  edges.sort((e1, e2) => e2.s - e1.s);
  const rootPeak = Float32Array.from(peak);
  for (const e of edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) continue;
    if (e.s >= ratio * Math.min(rootPeak[ra]!, rootPeak[rb]!)) {
      parent[rb] = ra;
      rootPeak[ra] = Math.max(rootPeak[ra]!, rootPeak[rb]!);
    }
  }
  const remap = new Int32Array(count + 1);
  let next = 0;
  for (let l = 1; l <= count; l++) {
    const r = find(l);
    if (!remap[r]) remap[r] = ++next;
    remap[l] = remap[r]!;
  }
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = remap[labels[i]!]!;
  return { labels: out, count: next };
}
