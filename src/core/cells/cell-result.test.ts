import { describe, expect, it } from 'vitest';
import { confidenceOf } from './cell-result.js';

describe('cell result', () => {
  it('confidence is the probability of the shown label; none for Inconclusive', () => {
    expect(confidenceOf('Parasitized', 0.9)).toBeCloseTo(0.9);
    expect(confidenceOf('Parasitized', 0.3)).toBeCloseTo(0.3);
    expect(confidenceOf('Uninfected', 0.1)).toBeCloseTo(0.9);
    expect(confidenceOf('Inconclusive', 0.2)).toBeNull();
    expect(confidenceOf('Error', 0.2)).toBeNull();
  });
});
