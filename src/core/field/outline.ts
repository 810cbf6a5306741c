/**
 * Outline polygons for display, export and point-in-cell tests. Cells are star-shaped around their
 * centroid, so rays cast from the centroid to the region's last pixel describe the outline well.
 */

/**
 * Casts `rays` rays from (cx, cy) (working pixels) through the label map and returns the polygon
 * [x0, y0, …] of the farthest pixel edge with label `id` along each ray, in working pixels.
 */
export function traceRadialOutline(
  labels: Int32Array,
  width: number,
  height: number,
  id: number,
  cx: number,
  cy: number,
  rays: number,
): number[] {
  const out: number[] = [];
  const maxR = Math.max(width, height);
  for (let k = 0; k < rays; k++) {
    const a = (2 * Math.PI * k) / rays;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    let last = 0;
    let misses = 0;
    for (let t = 0; t < maxR; t += 0.5) {
      const x = Math.floor(cx + 0.5 + dx * t);
      const y = Math.floor(cy + 0.5 + dy * t);
      if (x < 0 || y < 0 || x >= width || y >= height) break;
      if (labels[y * width + x] === id) {
        last = t;
        misses = 0;
      } else if (++misses > 4) {
        break;
      }
    }
    // +0.5: the pixel's outer edge; +0.5 again maps the working pixel centre to its grid position.
    out.push(cx + 0.5 + dx * (last + 0.5), cy + 0.5 + dy * (last + 0.5));
  }
  return out;
}

/** Even-odd point-in-polygon test for a flat [x0, y0, x1, y1, …] polygon. */
export function pointInPolygon(x: number, y: number, poly: readonly number[]): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i]!,
      yi = poly[2 * i + 1]!;
    const xj = poly[2 * j]!,
      yj = poly[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
