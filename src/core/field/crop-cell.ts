/**
 * Cuts one detected cell out of the full-resolution upright field the way the NIH training crops
 * were cut: a tight box around the cell's outline with every pixel outside the outline set to the
 * model's background colour (black). The outline at full resolution is the working-resolution
 * region upsampled bilinearly (indicator ≥ 0.5), so edges are smooth rather than blocky.
 */
import type { Box, RgbaImage } from './field-types.js';

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

/**
 * Masked tight crop of cell `id`. `searchBox` is a box (full-res) known to contain the cell, e.g.
 * the detector's box; it is widened by one working pixel. Returns null when the cell has no pixel.
 */
export function cropCell(
  img: RgbaImage,
  map: LabelMap,
  id: number,
  searchBox: Box,
  background: readonly [number, number, number] = [0, 0, 0],
): CellCrop | null {
  const s = map.scale;
  const x0 = Math.max(0, Math.floor(searchBox.x - s));
  const y0 = Math.max(0, Math.floor(searchBox.y - s));
  const x1 = Math.min(img.width, Math.ceil(searchBox.x + searchBox.width + s));
  const y1 = Math.min(img.height, Math.ceil(searchBox.y + searchBox.height + s));
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
  const inside = new Uint8Array(bw * bh);
  let minX = bw, minY = bh, maxX = -1, maxY = -1;
  for (let y = 0; y < bh; y++) {
    // Bilinear coverage of the working-pixel indicator at this full-resolution pixel centre.
    const v = (y0 + y + 0.5) / s - 0.5 - gy0;
    const iy = Math.floor(v);
    const fy = v - iy;
    const rowA = iy * gw;
    const rowB = rowA + gw;
    for (let x = 0; x < bw; x++) {
      const u = (x0 + x + 0.5) / s - 0.5 - gx0;
      const ix = Math.floor(u);
      const fx = u - ix;
      const top = ind[rowA + ix]! * (1 - fx) + ind[rowA + ix + 1]! * fx;
      const bottom = ind[rowB + ix]! * (1 - fx) + ind[rowB + ix + 1]! * fx;
      if (top * (1 - fy) + bottom * fy >= 0.5) {
        inside[y * bw + x] = 1;
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  const cw = maxX - minX + 1;
  const ch = maxY - minY + 1;
  const out = new Uint8ClampedArray(cw * ch * 4);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const o = (y * cw + x) * 4;
      if (inside[(y + minY) * bw + x + minX]) {
        const i = ((y0 + minY + y) * img.width + x0 + minX + x) * 4;
        out[o] = img.data[i]!;
        out[o + 1] = img.data[i + 1]!;
        out[o + 2] = img.data[i + 2]!;
      } else {
        out[o] = background[0];
        out[o + 1] = background[1];
        out[o + 2] = background[2];
      }
      out[o + 3] = 255;
    }
  }
  return { box: { x: x0 + minX, y: y0 + minY, width: cw, height: ch }, image: { width: cw, height: ch, data: out } };
}
