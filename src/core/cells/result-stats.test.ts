import { describe, expect, it } from 'vitest';
import { formatPercent } from './result-stats.js';
import { addOutcome, countOutcomes, parasitaemiaPercent, ZERO_OUTCOME_COUNTS } from './cell-counts.js';

describe('outcome counts (Cells view totals)', () => {
  it('starts empty with no percentage', () => {
    expect({ ...ZERO_OUTCOME_COUNTS }).toEqual({
      redCells: 0, parasitized: 0, uninfected: 0, inconclusive: 0, whiteBloodCells: 0, confidentParasitized: 0, errors: 0,
    });
    expect(parasitaemiaPercent(ZERO_OUTCOME_COUNTS)).toBeNull();
    expect(formatPercent(null)).toBe('—');
  });
  it('counts labels and excludes errors from the percentage', () => {
    const t = countOutcomes(['Parasitized', 'Uninfected', 'Uninfected', 'Inconclusive', 'Error', 'Error']);
    expect(t).toMatchObject({ parasitized: 1, uninfected: 2, inconclusive: 1, errors: 2, redCells: 4 });
    expect(parasitaemiaPercent(t)).toBeCloseTo(25);
    expect(formatPercent(parasitaemiaPercent(t))).toBe('25.0 %');
  });
  it('does not mutate the previous counts', () => {
    const a = { ...ZERO_OUTCOME_COUNTS };
    const b = addOutcome(a, 'Parasitized');
    expect(a.parasitized).toBe(0);
    expect(b.parasitized).toBe(1);
    expect(parasitaemiaPercent(b)).toBe(100);
  });
});
