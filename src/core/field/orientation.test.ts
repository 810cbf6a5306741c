import { describe, expect, it } from 'vitest';
import { storedToUpright, uprightSize, uprightToStored } from './orientation.js';
import { parseGroundTruth } from '../../../scripts/field-eval/ground-truth.js';

describe('EXIF orientation mapping', () => {
  const stored = { width: 5312, height: 2988 };

  it('maps orientation 8 as the data README states: (x, y) → (y, W − 1 − x)', () => {
    expect(storedToUpright(3486.3, 902.85, stored, 8)).toEqual({ x: 902.85, y: 5312 - 1 - 3486.3 });
    expect(storedToUpright(0, 0, stored, 8)).toEqual({ x: 0, y: 5311 });
    expect(storedToUpright(5311, 2987, stored, 8)).toEqual({ x: 2987, y: 0 });
    expect(uprightSize(stored, 8)).toEqual({ width: 2988, height: 5312 });
  });

  it('keeps every mapped corner inside the upright image and round-trips for all 8 orientations', () => {
    for (let o = 1; o <= 8; o++) {
      const up = uprightSize(stored, o);
      for (const [x, y] of [
        [0, 0],
        [5311, 0],
        [0, 2987],
        [5311, 2987],
        [1234.5, 777.25],
      ] as const) {
        const p = storedToUpright(x, y, stored, o);
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(up.width - 1);
        expect(p.y).toBeLessThanOrEqual(up.height - 1);
        const back = uprightToStored(p.x, p.y, stored, o);
        expect(back.x).toBeCloseTo(x, 6);
        expect(back.y).toBeCloseTo(y, 6);
      }
    }
  });

  it('parses NIH point annotations into upright coordinates', () => {
    const text =
      '2,5312,2988\n1-1,White_Blood_Cell,No_Comment,Point,1,3486.3,902.85\n1-2,Parasitized,No_Comment,Point,1,10,20\n';
    const gt = parseGroundTruth(text, 8);
    expect(gt.points).toEqual([
      { label: 'White_Blood_Cell', x: 902.85, y: 5311 - 3486.3 },
      { label: 'Parasitized', x: 20, y: 5301 },
    ]);
    expect(() => parseGroundTruth('3,5312,2988\n1-1,Uninfected,c,Point,1,1,1', 8)).toThrow(/header says 3/);
  });
});
