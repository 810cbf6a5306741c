import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driftedMarks, findMarks, formatMetadataValue } from './docs-metadata.js';

const metadata: unknown = JSON.parse(readFileSync('public/model/metadata.json', 'utf8'));

/** Docs that quote the shipped model, with the least number of marked numbers each must carry. */
const QUOTING_DOCS: Record<string, number> = {
  'README.md': 5,
  'docs/sessions.md': 3,
  'docs/fields.md': 3,
  'docs/interface.md': 3,
  'training/README.md': 8,
};

describe('docs quote the shipped model from metadata.json', () => {
  for (const [file, least] of Object.entries(QUOTING_DOCS)) {
    it(`${file}: every marked number equals metadata.json`, () => {
      const text = readFileSync(file, 'utf8');
      expect(findMarks(text).length, `${file} has too few metadata marks`).toBeGreaterThanOrEqual(least);
      expect(driftedMarks(text, metadata)).toEqual([]);
    });
  }

  it('the checker catches a drifted number, a missing path and a bad format', () => {
    const md = [
      '<!--m:decision.threshold:f3-->0.215<!--/m-->',
      '<!--m:decision.threshold:f3-->0.210<!--/m-->',
      '<!--m:decision.nothing:f3-->1<!--/m-->',
    ].join(' ');
    const drift = driftedMarks(md, { decision: { threshold: 0.215 } });
    expect(drift).toHaveLength(2);
    expect(drift[0]).toMatch(/docs say "0.210"/);
    expect(drift[1]).toMatch(/decision.nothing: expected a number/);
    expect(formatMetadataValue(0.95587, 'pct2')).toBe('95.59%');
    expect(formatMetadataValue(3331, 'int')).toBe('3,331');
    expect(() => formatMetadataValue(1, 'weird')).toThrow(/unknown format/);
  });
});
