/**
 * Docs that quote the shipped model's numbers mark each number with the metadata.json path it comes
 * from, so a test (docs-metadata.test.ts) fails when a retrained model changes it and the docs do not:
 *
 *   <!--m:metrics.test.accuracy:pct2-->95.59%<!--/m-->
 *
 * Formats: pct0/pct1/pct2 (× 100, decimals, "%"), f2/f3/f4 (decimals), int (en-US grouping), raw.
 */
import { errorMessage } from '../src/core/shared/error-message.js';

export const METADATA_MARK = /<!--m:([A-Za-z0-9_.]+):([a-z0-9]+)-->([^<]*)<!--\/m-->/g;

export interface MetadataMark {
  path: string;
  format: string;
  text: string;
}

export function findMarks(markdown: string): MetadataMark[] {
  return [...markdown.matchAll(METADATA_MARK)].map((m) => ({ path: m[1]!, format: m[2]!, text: m[3]! }));
}

export function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The text a mark must show for a metadata value; throws on an unknown format or a non-number. */
export function formatMetadataValue(value: unknown, format: string): string {
  if (format === 'raw') return String(value);
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  const pct = /^pct(\d)$/.exec(format);
  if (pct) return `${(value * 100).toFixed(Number(pct[1]))}%`;
  const fixed = /^f(\d)$/.exec(format);
  if (fixed) return value.toFixed(Number(fixed[1]));
  if (format === 'int') return Math.round(value).toLocaleString('en-US');
  throw new Error(`unknown format "${format}"`);
}

/** Every mark whose text differs from metadata.json, as "path: docs say X, metadata gives Y". */
export function driftedMarks(markdown: string, metadata: unknown): string[] {
  const out: string[] = [];
  for (const m of findMarks(markdown)) {
    let expected: string;
    try {
      expected = formatMetadataValue(valueAt(metadata, m.path), m.format);
    } catch (err) {
      out.push(`${m.path}: ${errorMessage(err)}`);
      continue;
    }
    if (m.text !== expected) out.push(`${m.path}: docs say "${m.text}", metadata.json gives "${expected}"`);
  }
  return out;
}
