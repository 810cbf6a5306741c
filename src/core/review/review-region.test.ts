import { describe, expect, it } from 'vitest';
import { reviewRegion, REVIEW_REGION_PER_CELL } from './review-region.js';

describe('reviewRegion', () => {
  it('centres a square of 2.6 cell diameters on the cell', () => {
    const r = reviewRegion({ x: 1000, y: 1000, box: { x: 950, y: 940, width: 100, height: 120 } }, 3000, 5000);
    expect(r).toEqual({ x: 1000 - 156, y: 1000 - 156, width: 312, height: 312 });
    expect(r.width).toBe(Math.round(REVIEW_REGION_PER_CELL * 120));
  });

  it('stays inside the image at its edges and in small images', () => {
    expect(reviewRegion({ x: 10, y: 4990, box: { x: 0, y: 4950, width: 100, height: 100 } }, 3000, 5000)).toEqual({
      x: 0,
      y: 4740,
      width: 260,
      height: 260,
    });
    // a single-cell image: the largest square that fits, centred on the cell
    expect(reviewRegion({ x: 50, y: 60, box: { x: 0, y: 0, width: 100, height: 120 } }, 100, 120)).toEqual({
      x: 0,
      y: 10,
      width: 100,
      height: 100,
    });
  });
});
