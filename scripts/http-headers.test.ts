/**
 * public/_headers (what static hosts such as Netlify and Cloudflare Pages send) must say exactly
 * what `npm start` sends: the list in build/http-headers.json.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

interface HttpHeaders {
  everyResponse: Record<string, string>;
  noCache: string[];
  immutable: string[];
}

/** Netlify/Cloudflare `_headers`: a path line, then indented `Name: value` lines; # comments. */
export function parseHeadersFile(text: string): Map<string, Record<string, string>> {
  const blocks = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      current = {};
      blocks.set(line.trim(), current);
      continue;
    }
    if (!current) throw new Error(`header outside a path block: ${line}`);
    const i = line.indexOf(':');
    current[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return blocks;
}

describe('public/_headers', () => {
  const spec = JSON.parse(readFileSync(join(ROOT, 'build/http-headers.json'), 'utf8')) as HttpHeaders;
  const blocks = parseHeadersFile(readFileSync(join(ROOT, 'public/_headers'), 'utf8'));

  it('sends the same headers as npm start on every response', () => {
    expect(blocks.get('/*')).toEqual(spec.everyResponse);
  });

  it('frame-ancestors none, no referrer, camera for this origin only, nosniff', () => {
    const h = spec.everyResponse;
    expect(h['Content-Security-Policy']).toBe("frame-ancestors 'none'");
    expect(h['Referrer-Policy']).toBe('no-referrer');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    const policy = new Map(
      (h['Permissions-Policy'] ?? '').split(',').map((d) => d.trim().split('=') as [string, string]),
    );
    expect(policy.get('camera')).toBe('(self)');
    for (const [feature, allow] of policy) if (feature !== 'camera') expect(allow, feature).toBe('()');
    expect(policy.get('microphone')).toBe('()');
    expect(policy.get('geolocation')).toBe('()');
  });

  it('no-cache on the shell and the service worker, immutable hashed assets', () => {
    for (const p of spec.noCache) expect(blocks.get(p)?.['Cache-Control'], p).toBe('no-cache');
    for (const p of spec.immutable) expect(blocks.get(p)?.['Cache-Control'], p).toMatch(/immutable/);
  });
});
