import { describe, expect, it } from 'vitest';
import { confidenceOf, formatProbability } from './cell-result.js';

describe('cell result formatting', () => {
  it('formats probabilities as percentages without claiming certainty', () => {
    expect(formatProbability(0.5)).toBe('50.0 %');
    expect(formatProbability(0)).toBe('0.0 %');
    expect(formatProbability(0.00001)).toBe('< 0.1 %');
    expect(formatProbability(0.99999)).toBe('> 99.9 %');
  });
  it('confidence is the probability of the shown label; none for Inconclusive', () => {
    expect(confidenceOf('Parasitized', 0.9)).toBeCloseTo(0.9);
    expect(confidenceOf('Parasitized', 0.3)).toBeCloseTo(0.3);
    expect(confidenceOf('Uninfected', 0.1)).toBeCloseTo(0.9);
    expect(confidenceOf('Inconclusive', 0.2)).toBeNull();
    expect(confidenceOf('Error', 0.2)).toBeNull();
  });
});
