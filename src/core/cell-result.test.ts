import { describe, expect, it } from 'vitest';
import { confidenceOf, formatProbability } from './cell-result.js';

describe('cell result formatting', () => {
  it('formats probabilities as percentages without claiming certainty', () => {
    expect(formatProbability(0.5)).toBe('50.0 %');
    expect(formatProbability(0)).toBe('0.0 %');
    expect(formatProbability(0.00001)).toBe('< 0.1 %');
    expect(formatProbability(0.99999)).toBe('> 99.9 %');
  });
  it('confidence is the probability of the more likely class', () => {
    expect(confidenceOf(0.9)).toBeCloseTo(0.9);
    expect(confidenceOf(0.1)).toBeCloseTo(0.9);
  });
});
