import { describe, expect, it } from 'vitest';
import { countPieces, kMeansPartition, refineEllipses, splitClumps } from './split-clumps.js';

/**
 * A round cell touching an upright oval one, as one region (a honeycomb clump): the partition that
 * follows the cells is known pixel by pixel.
 */
function discBesideOval(): { labels: Int32Array; truth: Int8Array; dist: Float32Array; width: number; area: number } {
  const width = 200,
    height = 140;
  const labels = new Int32Array(width * height);
  const truth = new Int8Array(width * height).fill(-1);
  const dist = new Float32Array(width * height);
  const inDisc = (x: number, y: number) => (x - 60) ** 2 + (y - 70) ** 2 <= 34 ** 2;
  const inOval = (x: number, y: number) => ((x - 110) / 18) ** 2 + ((y - 70) / 58) ** 2 <= 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = inDisc(x, y),
        b = inOval(x, y);
      if (!a && !b) continue;
      labels[i] = 1;
      // Scored only where the cells do not overlap.
      truth[i] = a && b ? -1 : a ? 0 : 1;
      dist[i] = a ? 34 - Math.hypot(x - 60, y - 70) : 18 * (1 - Math.hypot((x - 110) / 18, (y - 70) / 58));
    }
  }
  const area = labels.reduce((s, v) => s + v, 0);
  return { labels, truth, dist, width, area };
}

/** Share of scored pixels whose part agrees with the truth, under the better of the two label matchings. */
function agreement(labels: Int32Array, truth: Int8Array): number {
  const ids = [...new Set(labels.filter((l) => l > 0))];
  expect(ids.length).toBe(2);
  let same = 0,
    scored = 0;
  for (let i = 0; i < labels.length; i++) {
    if (truth[i]! < 0) continue;
    scored++;
    if ((labels[i] === ids[0]) === (truth[i] === 0)) same++;
  }
  return Math.max(same, scored - same) / scored;
}

describe('splitClumps', () => {
  it('splits a round cell from an oval neighbour along the cells, where k-means cuts into the oval', () => {
    const plain = discBesideOval();
    splitClumps(plain.labels, 1, plain.width, plain.dist, plain.area / 2, { ellipseIterations: 0 });
    const refined = discBesideOval();
    splitClumps(refined.labels, 1, refined.width, refined.dist, refined.area / 2);
    const kMeansAgreement = agreement(plain.labels, plain.truth);
    const refinedAgreement = agreement(refined.labels, refined.truth);
    expect(kMeansAgreement).toBeLessThan(0.95);
    expect(refinedAgreement).toBeGreaterThan(0.98);
  });

  it('leaves regions smaller than the clump size alone', () => {
    const r = discBesideOval();
    const before = r.labels.slice();
    expect(splitClumps(r.labels, 1, r.width, r.dist, r.area)).toBe(1);
    expect(r.labels).toEqual(before);
  });

  it('ellipse refinement keeps the k-means partition of two equal discs and never empties a part', () => {
    const xs: number[] = [],
      ys: number[] = [];
    for (let y = 0; y < 60; y++)
      for (let x = 0; x < 120; x++)
        if ((x - 30) ** 2 + (y - 30) ** 2 <= 900 || (x - 88) ** 2 + (y - 30) ** 2 <= 900) {
          xs.push(x);
          ys.push(y);
        }
    const px = { xs: Float32Array.from(xs), ys: Float32Array.from(ys) };
    const assign = kMeansPartition(px, [20, 100], [30, 30], 12);
    const before = assign.slice();
    const iterations = refineEllipses(px, assign, 2, 20, 100);
    expect(iterations).toBeLessThanOrEqual(2);
    // The boundary stays at the waist between the discs (x ≈ 59), as k-means put it.
    for (let i = 0; i < xs.length; i++) if (Math.abs(xs[i]! - 59) > 2) expect(assign[i]).toBe(before[i]);
    const counts = [0, 0];
    for (const a of assign) counts[a]!++;
    expect(Math.min(...counts)).toBeGreaterThan(2000);
  });
});

describe('countPieces', () => {
  it('counts 4-connected pieces per part', () => {
    // 4 × 3 grid, region = every pixel; part 0 in two separate columns, part 1 between them.
    const width = 4;
    const idx = Array.from({ length: 12 }, (_, i) => i);
    const part = Int32Array.from(idx.map((i) => (i % width === 0 || i % width === 3 ? 0 : 1)));
    expect(countPieces(idx, part, width)).toBe(3);
    // Pixels at the end of one row and the start of the next are not neighbours.
    expect(countPieces([3, 4], Int32Array.from([0, 0]), width)).toBe(2);
    expect(countPieces(idx, new Int32Array(12), width)).toBe(1);
  });
});
