import { describe, expect, it } from 'vitest';
import { addToTotals, emptyTotals, formatPercent, totalsFor } from './result-stats.js';

describe('result totals', () => {
  it('starts empty with no percentage', () => {
    expect(emptyTotals()).toEqual({ parasitized: 0, uninfected: 0, inconclusive: 0, errors: 0, classified: 0, percentParasitized: null });
    expect(formatPercent(null)).toBe('—');
  });
  it('counts labels and excludes errors from the percentage', () => {
    const t = totalsFor(['Parasitized', 'Uninfected', 'Uninfected', 'Inconclusive', 'Error', 'Error']);
    expect(t).toMatchObject({ parasitized: 1, uninfected: 2, inconclusive: 1, errors: 2, classified: 4 });
    expect(t.percentParasitized).toBeCloseTo(25);
    expect(formatPercent(t.percentParasitized)).toBe('25.0 %');
  });
  it('does not mutate the previous totals', () => {
    const a = emptyTotals();
    const b = addToTotals(a, 'Parasitized');
    expect(a.parasitized).toBe(0);
    expect(b.parasitized).toBe(1);
    expect(b.percentParasitized).toBe(100);
  });
});
