/**
 * Cuts one detected cell out of the full-resolution upright field the way the NIH training crops
 * were cut: a tight box around the cell's outline with every pixel outside the outline set to the
 * model's background colour (black). The outline at full resolution is the working-resolution
 * region upsampled bilinearly (indicator ≥ 0.5), so edges are smooth rather than blocky.
 *
 * The detector's outline (a threshold on the stain feature at 1/4 resolution) sits slightly inside
 * the cell's pale rim, where NIH's outlines do not: measured against NIH's own crops of the same
 * cells (`npm run compare:crops`, docs/fields.md), the outline is grown by `CROP_GROW_PER_RADIUS`
 * × the field's median cell radius before masking, so the kept area and the box match NIH's, and
 * enclosed holes (an unfilled central pallor) are filled, as in every NIH crop.
 */
import type { Box, RgbaImage } from './field-types.js';
import { toPixelView, type FieldPixels } from './pixel-view.js';

export interface LabelMap {
  width: number;
  height: number;
  /** Full-resolution pixels per working pixel. */
  scale: number;
  data: Int32Array;
}

export interface CellCrop {
  /** Where the crop sits in the upright full-resolution image. */
  box: Box;
  image: RgbaImage;
}

export interface CropGeometry {
  /**
   * Full-resolution pixels by which the outline is moved outwards (> 0, dilation) or inwards
   * (< 0, erosion) before masking. Euclidean, so the outline keeps its shape.
   */
  grow: number;
}

/**
 * Outline growth as a fraction of the median red-cell radius, chosen as the value whose masks best
 * overlap NIH's (highest mean IoU, kept area ≈ NIH's) on the 98 NIH crops of the six fields
 * (`npm run compare:crops`). Relative to the radius so it follows the photo's magnification.
 */
export const CROP_GROW_PER_RADIUS = 0.06;

/** Crop geometry for a field whose median red-cell radius (full-resolution pixels) is given. */
export function cropGeometryFor(medianRadius: number, growPerRadius = CROP_GROW_PER_RADIUS): CropGeometry {
  return { grow: Number.isFinite(medianRadius) && medianRadius > 0 ? growPerRadius * medianRadius : 0 };
}

/**
 * Masked tight crop of cell `id`. `searchBox` is a box (full-res) known to contain the cell, e.g.
 * the detector's box; it is widened by one working pixel (plus any growth). Returns null when the
 * cell has no pixel.
 */
export function cropCell(
  pixels: FieldPixels,
  map: LabelMap,
  id: number,
  searchBox: Box,
  background: readonly [number, number, number] = [0, 0, 0],
  geometry: CropGeometry = { grow: 0 },
): CellCrop | null {
  const img = toPixelView(pixels);
  const s = map.scale;
  const grow = geometry.grow;
  const pad = s + Math.max(0, Math.ceil(grow)) + 1;
  const x0 = Math.max(0, Math.floor(searchBox.x - pad));
  const y0 = Math.max(0, Math.floor(searchBox.y - pad));
  const x1 = Math.min(img.width, Math.ceil(searchBox.x + searchBox.width + pad));
  const y1 = Math.min(img.height, Math.ceil(searchBox.y + searchBox.height + pad));
  const bw = x1 - x0;
  const bh = y1 - y0;
  if (bw <= 0 || bh <= 0) return null;
  // Indicator of the cell on the working grid around the box (1-pixel border of zeros).
  const gx0 = Math.floor(x0 / s) - 1;
  const gy0 = Math.floor(y0 / s) - 1;
  const gw = Math.ceil(x1 / s) - gx0 + 2;
  const gh = Math.ceil(y1 / s) - gy0 + 2;
  const ind = new Float32Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    const my = gy0 + gy;
    if (my < 0 || my >= map.height) continue;
    for (let gx = 0; gx < gw; gx++) {
      const mx = gx0 + gx;
      if (mx >= 0 && mx < map.width && map.data[my * map.width + mx] === id) ind[gy * gw + gx] = 1;
    }
  }
  let inside: Uint8Array = new Uint8Array(bw * bh);
  // The horizontal sample positions are the same on every row: computed once (same arithmetic).
  const colIx = new Int32Array(bw);
  const colFx = new Float64Array(bw);
  for (let x = 0; x < bw; x++) {
    const u = (x0 + x + 0.5) / s - 0.5 - gx0;
    const ix = Math.floor(u);
    colIx[x] = ix;
    colFx[x] = u - ix;
  }
  for (let y = 0; y < bh; y++) {
    // Bilinear coverage of the working-pixel indicator at this full-resolution pixel centre.
    const v = (y0 + y + 0.5) / s - 0.5 - gy0;
    const iy = Math.floor(v);
    const fy = v - iy;
    const rowA = iy * gw;
    const rowB = rowA + gw;
    for (let x = 0; x < bw; x++) {
      const ix = colIx[x]!;
      const a = ind[rowA + ix]!,
        b = ind[rowA + ix + 1]!,
        c = ind[rowB + ix]!,
        d = ind[rowB + ix + 1]!;
      // Four equal corners (most pixels): coverage 0 (outside) or within rounding of 1 (inside),
      // the same decision as the weighted sum, without it.
      if (a === b && a === c && a === d) {
        if (a) inside[y * bw + x] = 1;
        continue;
      }
      const fx = colFx[x]!;
      const top = a * (1 - fx) + b * fx;
      const bottom = c * (1 - fx) + d * fx;
      if (top * (1 - fy) + bottom * fy >= 0.5) inside[y * bw + x] = 1;
    }
  }
  if (grow > 0) {
    // Grow into background only, never into a neighbouring cell (NIH's watershed keeps touching
    // cells apart too): pixels whose nearest working pixel belongs to another cell stay outside.
    const grown = growMask(inside, bw, bh, grow);
    for (let y = 0; y < bh; y++) {
      const my = Math.min(map.height - 1, Math.floor((y0 + y) / s));
      for (let x = 0; x < bw; x++) {
        const i = y * bw + x;
        if (!grown[i] || inside[i]) continue;
        const l = map.data[my * map.width + Math.min(map.width - 1, Math.floor((x0 + x) / s))]!;
        if (l !== 0 && l !== id) grown[i] = 0;
      }
    }
    inside = grown;
  } else if (grow < 0) {
    inside = growMask(inside, bw, bh, grow);
  }
  fillEnclosedHoles(inside, bw, bh);
  let minX = bw,
    minY = bh,
    maxX = -1,
    maxY = -1;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      if (!inside[y * bw + x]) continue;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return null;
  // The tight box of the (grown) outline, in image coordinates; NIH's crops have no margin either.
  const bx0 = x0 + minX;
  const by0 = y0 + minY;
  const bx1 = x0 + maxX + 1;
  const by1 = y0 + maxY + 1;
  const cw = bx1 - bx0;
  const ch = by1 - by0;
  const out = new Uint8ClampedArray(cw * ch * 4);
  const { data: src, stepX, stepY, red, green, blue } = img;
  for (let y = 0; y < ch; y++) {
    const ly = by0 + y - y0;
    const row = img.origin + (by0 + y) * stepY + bx0 * stepX;
    for (let x = 0; x < cw; x++) {
      const lx = bx0 + x - x0;
      const o = (y * cw + x) * 4;
      if (inside[ly * bw + lx]) {
        const i = row + x * stepX;
        out[o] = src[i + red]!;
        out[o + 1] = src[i + green]!;
        out[o + 2] = src[i + blue]!;
      } else {
        out[o] = background[0];
        out[o + 1] = background[1];
        out[o + 2] = background[2];
      }
      out[o + 3] = 255;
    }
  }
  return { box: { x: bx0, y: by0, width: cw, height: ch }, image: { width: cw, height: ch, data: out } };
}

/**
 * Fills background enclosed by the mask (not 4-connected to the array border): a central pallor
 * the detector left open would otherwise be a black hole in the crop; NIH crops have none
 * (0 of 587 sampled Uninfected crops).
 */
export function fillEnclosedHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = backgroundReachableFromBorder(mask, width, height);
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/** 1 where a background (mask 0) pixel is 4-connected to the array border; enclosed holes stay 0. */
export function backgroundReachableFromBorder(mask: Uint8Array, width: number, height: number): Uint8Array {
  const outside = new Uint8Array(mask.length);
  // A pixel is pushed once, when first marked (a typed stack: no array growth or boxing).
  const stack = new Int32Array(mask.length);
  let sp = 0;
  const reach = (i: number) => {
    if (outside[i] || mask[i]) return;
    outside[i] = 1;
    stack[sp++] = i;
  };
  for (let x = 0; x < width; x++) {
    reach(x);
    reach((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    reach(y * width);
    reach(y * width + width - 1);
  }
  while (sp > 0) {
    const i = stack[--sp]!;
    const x = i % width;
    if (x > 0) reach(i - 1);
    if (x < width - 1) reach(i + 1);
    if (i >= width) reach(i - width);
    if (i < (height - 1) * width) reach(i + width);
  }
  return outside;
}

/**
 * Euclidean dilation (grow > 0) or erosion (grow < 0) of a binary mask by |grow| pixels: a pixel
 * changes when a pixel of the other value lies within |grow|. The nearest such pixel is always on
 * the boundary, so a disc is stamped around boundary pixels only (cheap for cell-sized masks).
 * Pixels beyond the array are not treated as outside.
 */
export function growMask(mask: Uint8Array, width: number, height: number, grow: number): Uint8Array {
  const out = mask.slice();
  const r = Math.abs(grow);
  if (r === 0) return out;
  const R = Math.floor(r);
  // The disc as one run of columns per row offset: |dx| ≤ half[dy + R] (the centre, in the run,
  // already holds `from`). Stamping runs sets the same pixels as stamping the disc's offsets.
  const half = new Int32Array(2 * R + 1);
  for (let dy = -R; dy <= R; dy++) {
    let a = -1;
    for (let dx = 0; dx <= R; dx++) if (dx * dx + dy * dy <= r * r) a = dx;
    half[dy + R] = a;
  }
  // Dilation: inside pixels next to outside stamp inside; erosion: outside next to inside stamp outside.
  const from = grow > 0 ? 1 : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] !== from) continue;
      const boundary =
        (x > 0 && mask[i - 1] !== from) ||
        (x < width - 1 && mask[i + 1] !== from) ||
        (y > 0 && mask[i - width] !== from) ||
        (y < height - 1 && mask[i + width] !== from);
      if (!boundary) continue;
      for (let dy = -R; dy <= R; dy++) {
        const ny = y + dy;
        const a = half[dy + R]!;
        if (ny < 0 || ny >= height || a < 0) continue;
        const row = ny * width;
        const end = row + Math.min(width - 1, x + a);
        for (let k = row + Math.max(0, x - a); k <= end; k++) out[k] = from;
      }
    }
  }
  return out;
}
