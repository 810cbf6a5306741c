import { describe, expect, it } from 'vitest';
import { modelShareEstimate } from './model-share.js';

describe('modelShareEstimate', () => {
  it('QA field: 4 Parasitized of 218 red cells, 10 need review', () => {
    const e = modelShareEstimate({ parasitized: 4, inconclusive: 10, redCells: 218 })!;
    expect(e.percent).toBeCloseTo(1.835, 3);
    // 95 % Wilson for 4/218, computed independently (Python, same formula): 0.7158–4.6220 %.
    expect(e.lowPercent).toBeCloseTo(0.716, 2);
    expect(e.highPercent).toBeCloseTo(4.622, 2);
    expect(e.ifAllReviewParasitizedPercent).toBeCloseTo(6.422, 3);
    expect(e).toMatchObject({ parasitized: 4, inconclusive: 10, redCells: 218 });
  });

  it('QA cells: 23 of 50', () => {
    const e = modelShareEstimate({ parasitized: 23, inconclusive: 0, redCells: 50 })!;
    expect(e.percent).toBe(46);
    expect(e.lowPercent).toBeCloseTo(32.97, 2);
    expect(e.highPercent).toBeCloseTo(59.601, 2);
    expect(e.ifAllReviewParasitizedPercent).toBe(46);
  });

  it('exact ends at 0 and all; null without red cells', () => {
    expect(modelShareEstimate({ parasitized: 0, inconclusive: 0, redCells: 10 })).toMatchObject({
      percent: 0,
      lowPercent: 0,
    });
    expect(modelShareEstimate({ parasitized: 5, inconclusive: 0, redCells: 5 })).toMatchObject({
      percent: 100,
      highPercent: 100,
    });
    expect(modelShareEstimate({ parasitized: 0, inconclusive: 0, redCells: 0 })).toBeNull();
  });
});
