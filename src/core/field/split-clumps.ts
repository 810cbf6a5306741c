/**
 * Splits clumps the distance-transform watershed cannot: tightly packed red cells (honeycomb) form
 * a solid blob with a single distance peak. A region of area ≈ k median cells is divided by k-means
 * on its pixel coordinates (k = round(area / median cell area)), seeded farthest-point from the
 * distance peak. For near-equal cells this approximates the cell boundaries (a Voronoi partition).
 */

export interface ClumpSplitOptions {
  /** Regions larger than this × median area are split. */
  minClumpRatio: number;
  iterations: number;
}

/**
 * Relabels `labels` in place; returns the new region count. `pixelsOf` lists each region's pixel
 * indices (index = region id).
 */
export function splitClumps(
  labels: Int32Array,
  count: number,
  width: number,
  dist: Float32Array,
  medianArea: number,
  opts: ClumpSplitOptions = { minClumpRatio: 1.55, iterations: 12 },
): number {
  const pixelsOf: number[][] = Array.from({ length: count + 1 }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l) pixelsOf[l]!.push(i);
  }
  let next = count;
  for (let l = 1; l <= count; l++) {
    const px = pixelsOf[l]!;
    if (px.length < opts.minClumpRatio * medianArea) continue;
    const k = Math.max(2, Math.round(px.length / medianArea));
    const xs = new Float32Array(px.length);
    const ys = new Float32Array(px.length);
    px.forEach((p, i) => {
      xs[i] = p % width;
      ys[i] = Math.floor(p / width);
    });
    // Seeds: the deepest pixel, then repeatedly the pixel maximising (distance to seeds) × depth.
    const cx: number[] = [];
    const cy: number[] = [];
    let first = 0;
    for (let i = 1; i < px.length; i++) if (dist[px[i]!]! > dist[px[first]!]!) first = i;
    cx.push(xs[first]!);
    cy.push(ys[first]!);
    const minD2 = new Float32Array(px.length).fill(Infinity);
    while (cx.length < k) {
      const sx = cx[cx.length - 1]!, sy = cy[cy.length - 1]!;
      let best = 0, bestScore = -1;
      for (let i = 0; i < px.length; i++) {
        const d2 = (xs[i]! - sx) ** 2 + (ys[i]! - sy) ** 2;
        if (d2 < minD2[i]!) minD2[i] = d2;
        const score = Math.sqrt(minD2[i]!) * dist[px[i]!]!;
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      cx.push(xs[best]!);
      cy.push(ys[best]!);
    }
    const assign = new Int32Array(px.length);
    for (let it = 0; it < opts.iterations; it++) {
      const sumX = new Float64Array(k), sumY = new Float64Array(k), num = new Float64Array(k);
      for (let i = 0; i < px.length; i++) {
        let best = 0, bestD = Infinity;
        for (let c = 0; c < k; c++) {
          const d2 = (xs[i]! - cx[c]!) ** 2 + (ys[i]! - cy[c]!) ** 2;
          if (d2 < bestD) {
            bestD = d2;
            best = c;
          }
        }
        assign[i] = best;
        sumX[best]! += xs[i]!;
        sumY[best]! += ys[i]!;
        num[best]! += 1;
      }
      for (let c = 0; c < k; c++) {
        if (num[c]! > 0) {
          cx[c] = sumX[c]! / num[c]!;
          cy[c] = sumY[c]! / num[c]!;
        }
      }
    }
    const ids = [l];
    for (let c = 1; c < k; c++) ids.push(++next);
    for (let i = 0; i < px.length; i++) labels[px[i]!] = ids[assign[i]!]!;
  }
  return next;
}
