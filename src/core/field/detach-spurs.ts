/**
 * Platelets and stain debris that touch a red cell through a thin bridge of stained pixels end up
 * inside that cell's region (the foreground mask joins them, and the watershed has no reason to cut
 * a bridge that holds no distance peak). Their dark stain then sits in the cell's crop, where the
 * model reads it as parasite chromatin: on C12 124212 (a healthy patient) one such cell was called
 * Parasitized at P 0.994 (docs/fields.md, "Artefacts").
 *
 * Each red-cell region is opened (eroded, then dilated) with a disc of `openRadius`: what the
 * opening removes and is not part of the opened body is a spur. A spur is cut off the cell and
 * becomes a region of its own (then an artefact, detect-cells.ts step 5) only when it reaches far
 * beyond the cell's body (≥ `farDistance`) with very dark stain (≥ `minDarkPixels` pixels darker than
 * the platelet/nucleus level) out there — a parasite on the cell's rim (appliqué form) lies on the
 * body's outline, not beyond it, and pale rim bumps hold no dark stain. Working-resolution pixels.
 */
import { growMask } from './crop-cell.js';
import { distanceTransform, labelComponents, type Mask } from './image-ops.js';

export interface SpurOptions {
  /** Disc radius of the opening (bridges narrower than twice this are cut). */
  openRadius: number;
  /** A spur is cut off only where its dark stain lies at least this far from the cell's body. */
  farDistance: number;
  /** Stain above which a pixel is "very dark" (platelet, nucleus, debris level). */
  darkThreshold: number;
  /** Dark pixels beyond `farDistance` a spur needs before it is cut off. */
  minDarkPixels: number;
}

/**
 * Cuts dark spurs off the regions listed in `candidates` (labels of `labels`, a w-wide map): each
 * spur gets a new label (count + 1, …). Returns the new label count.
 */
export function detachDarkSpurs(
  labels: Int32Array,
  count: number,
  width: number,
  stain: Float32Array,
  candidates: ReadonlySet<number>,
  opts: SpurOptions,
): number {
  const height = labels.length / width;
  const box = new Map<number, { x0: number; y0: number; x1: number; y1: number }>();
  // Membership as a typed array: a Set lookup per pixel of the grid cost ≈ 5–8 ms per field.
  const isCandidate = new Uint8Array(count + 1);
  for (const l of candidates) if (l >= 0 && l <= count) isCandidate[l] = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l = labels[y * width + x]!;
      if (!isCandidate[l]) continue;
      const b = box.get(l);
      if (!b) box.set(l, { x0: x, y0: y, x1: x, y1: y });
      else {
        if (x < b.x0) b.x0 = x;
        if (x > b.x1) b.x1 = x;
        if (y < b.y0) b.y0 = y;
        if (y > b.y1) b.y1 = y;
      }
    }
  }
  const pad = Math.ceil(opts.openRadius) + 1;
  let next = count;
  for (const [l, b] of box) {
    const ox = b.x0 - pad;
    const oy = b.y0 - pad;
    const w = b.x1 - b.x0 + 1 + 2 * pad;
    const h = b.y1 - b.y0 + 1 + 2 * pad;
    const region = new Uint8Array(w * h);
    for (let y = b.y0; y <= b.y1; y++)
      for (let x = b.x0; x <= b.x1; x++) if (labels[y * width + x] === l) region[(y - oy) * w + (x - ox)] = 1;
    const opened = growMask(growMask(region, w, h, -opts.openRadius), w, h, opts.openRadius);
    // The body: the opened region's largest component (within the region).
    const openedComps = labelComponents({ width: w, height: h, data: opened });
    if (openedComps.count === 0) continue;
    let bodyLabel = 1;
    for (let k = 2; k <= openedComps.count; k++)
      if (openedComps.areas[k]! > openedComps.areas[bodyLabel]!) bodyLabel = k;
    const notBody: Mask = { width: w, height: h, data: new Uint8Array(w * h) };
    const rest: Mask = { width: w, height: h, data: new Uint8Array(w * h) };
    for (let i = 0; i < w * h; i++) {
      const inBody = region[i] && openedComps.labels[i] === bodyLabel;
      notBody.data[i] = inBody ? 0 : 1;
      rest.data[i] = region[i] && !inBody ? 1 : 0;
    }
    const fromBody = distanceTransform(notBody);
    const spurs = labelComponents(rest);
    const farDark = new Int32Array(spurs.count + 1);
    for (let i = 0; i < w * h; i++) {
      const k = spurs.labels[i]!;
      if (!k || fromBody[i]! < opts.farDistance) continue;
      const gi = (oy + Math.floor(i / w)) * width + ox + (i % w);
      if (stain[gi]! > opts.darkThreshold) farDark[k]!++;
    }
    const newLabel = new Int32Array(spurs.count + 1);
    for (let k = 1; k <= spurs.count; k++) if (farDark[k]! >= opts.minDarkPixels) newLabel[k] = ++next;
    for (let i = 0; i < w * h; i++) {
      const k = spurs.labels[i]!;
      if (k && newLabel[k]) labels[(oy + Math.floor(i / w)) * width + ox + (i % w)] = newLabel[k]!;
    }
  }
  return next;
}
