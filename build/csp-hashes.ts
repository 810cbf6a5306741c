/**
 * Adds the sha256 hash of every inline `<style>` in an HTML page to the style-src directive of its
 * Content-Security-Policy meta tag, so the page can keep a few critical inline styles without
 * allowing 'unsafe-inline' (a policy that already allows 'unsafe-inline' is left as it is). Inline
 * scripts are not supported at all: the build fails on one.
 */
import { createHash } from 'node:crypto';

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)("[^>]*>)/i;

export function inlineStyleHashes(html: string): string[] {
  const hashes: string[] = [];
  const re = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    hashes.push(
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '', 'utf8')
        .digest('base64')}'`,
    );
  }
  return hashes;
}

export function hasInlineScript(html: string): boolean {
  return /<script\b(?![^>]*\bsrc=)[^>]*>\s*\S/i.test(html);
}

/** Returns the page with its CSP's style-src extended by the hashes of its inline styles. */
export function addInlineStyleHashes(html: string): string {
  const match = CSP_META.exec(html);
  if (!match) throw new Error('index.html has no Content-Security-Policy meta tag');
  const hashes = inlineStyleHashes(html);
  if (hashes.length === 0) return html;
  const directives = (match[2] ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  const i = directives.findIndex((d) => d.startsWith('style-src '));
  // A hash would switch 'unsafe-inline' off (CSP level 2+), so leave such a policy alone.
  if (i >= 0 && directives[i]?.includes("'unsafe-inline'")) return html;
  if (i < 0) directives.push(`style-src 'self' ${hashes.join(' ')}`);
  else directives[i] = `${directives[i]} ${hashes.join(' ')}`;
  return html.replace(CSP_META, `$1${directives.join('; ')}$3`);
}
