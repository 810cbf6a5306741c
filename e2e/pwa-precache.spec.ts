/**
 * Static checks of the production build (no browser): the precache manifest injected into dist/sw.js
 * holds everything the app needs offline, with content-hashed revisions, and the build contains no
 * way to reach another origin.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { HASHED_ASSET, checkPrecache, readPrecacheManifest, tfjsWasmBinaryNames } from '../build/precache-check.js';
import { PRECACHE_EXTENSIONS } from '../build/precache-extensions.js';
import { DIST, REPO_ROOT, startAppServer } from './pwa-helpers.js';

function distFiles(): string[] {
  return readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(DIST, join(d.parentPath, d.name)).replaceAll('\\', '/'));
}

test.describe('precache manifest of the production build', () => {
  test('contains every model shard, metadata.json and every tfjs WASM binary', () => {
    const entries = readPrecacheManifest(DIST);
    const urls = new Set(entries.map((e) => e.url));
    const model = JSON.parse(readFileSync(join(DIST, 'model', 'model.json'), 'utf8')) as {
      weightsManifest: Array<{ paths: string[] }>;
    };
    const shards = model.weightsManifest.flatMap((g) => g.paths);
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) expect(urls, `shard ${shard}`).toContain(`model/${shard}`);
    expect(urls).toContain('model/model.json');
    expect(urls).toContain('model/metadata.json');
    expect(urls).toContain('index.html');
    expect(urls).toContain('manifest.webmanifest');
    const wasm = tfjsWasmBinaryNames(REPO_ROOT);
    expect(wasm).toEqual([
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
    for (const name of wasm)
      expect(
        [...urls].some((u) => u.endsWith(name)),
        name,
      ).toBe(true);
    expect(checkPrecache(DIST, REPO_ROOT).problems).toEqual([]);
  });

  test('every entry is revisioned by content and nothing precachable was dropped', () => {
    const entries = readPrecacheManifest(DIST);
    for (const e of entries) {
      if (e.revision === null) expect(e.url).toMatch(HASHED_ASSET);
      else expect(e.revision).toMatch(/^[0-9a-f]{32}$/);
    }
    // The size limit sits above the largest file: every precachable file in dist is in the manifest.
    const precachable = distFiles().filter((f) => f !== 'sw.js' && PRECACHE_EXTENSIONS.includes(extname(f).slice(1)));
    expect(new Set(entries.map((e) => e.url))).toEqual(new Set(precachable));
  });
});

/**
 * Hosts that occur in bundled library code only inside error/log message text or as XML namespace
 * identifiers: never fetched (the offline and update specs fail on any foreign request at runtime).
 * A host not listed here (a CDN, tfhub, an analytics endpoint…) fails the build check below.
 */
const DOC_LINK_HOSTS = new Set([
  'www.w3.org', // SVG/XHTML namespace identifiers
  'bit.ly', // workbox error-message link (bit.ly/wb-precache)
  'github.com', // tfjs messages ("see …/README.md#using-bundlers")
  'emscripten.org', // tfjs-backend-wasm (Emscripten) pthread warning text
  'developer.mozilla.org', // tfjs message about custom fetch functions
  'arxiv.org', // tfjs op documentation comment
  'www.shadertoy.com', // tfjs-backend-webgl shader source comment
]);

function remoteHosts(text: string): string[] {
  return [...text.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((m) => (m[1] ?? '').toLowerCase());
}

test.describe('no third-party origin in the build', () => {
  test('index.html, the manifest and sw.js name no remote URL and import no script', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i); // no inline script (CSP forbids it)
    expect(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8')).not.toMatch(/https?:\/\//);
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    expect(sw).not.toMatch(/importScripts/);
    for (const host of remoteHosts(sw)) expect(DOC_LINK_HOSTS.has(host), host).toBe(true);
  });

  test('bundled code names no remote host except documentation links in library messages', () => {
    const textFiles = distFiles().filter((f) => /\.(?:js|mjs|css|json|webmanifest|html)$/.test(f));
    expect(textFiles.length).toBeGreaterThan(3);
    const unexpected = new Set<string>();
    for (const f of textFiles) {
      for (const host of remoteHosts(readFileSync(join(DIST, f), 'utf8'))) {
        if (!DOC_LINK_HOSTS.has(host)) unexpected.add(`${host} (in ${f})`);
      }
    }
    expect([...unexpected]).toEqual([]);
  });

  test('the Content-Security-Policy allows only the app’s own origin', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(csp, 'CSP meta tag').toBeTruthy();
    const directives = new Map(
      (csp ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map((d) => [d[0] as string, d.slice(1)]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).not.toContain("'unsafe-eval'");
    for (const [name, sources] of directives) {
      for (const s of sources)
        expect(s, `${name} ${s}`).toMatch(/^'[a-z-]+'$|^'sha256-[A-Za-z0-9+/]+=*'$|^(?:blob|data|mediastream):$/);
    }
  });
});

test('`npm start` (scripts/serve.mjs) sends the headers the PWA needs', async () => {
  const server = await startAppServer(DIST);
  try {
    const head = async (path: string) => (await fetch(new URL(path, server.url))).headers;
    const wasmFile = readPrecacheManifest(DIST).find((e) => e.url.endsWith('.wasm'))?.url ?? '';
    for (const path of ['', 'index.html', 'sw.js', 'manifest.webmanifest', 'model/model.json', wasmFile]) {
      const h = await head(path);
      expect(h.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(h.get('cross-origin-embedder-policy'), path).toBe('require-corp');
    }
    expect((await head('sw.js')).get('cache-control')).toMatch(/no-cache|no-store|max-age=0/);
    expect((await head('sw.js')).get('content-type')).toMatch(/^(?:text|application)\/javascript/);
    expect((await head('index.html')).get('cache-control')).toMatch(/no-cache|no-store|max-age=0/);
    expect((await head(wasmFile)).get('content-type')).toBe('application/wasm');
    expect((await head('manifest.webmanifest')).get('content-type')).toMatch(/^application\/manifest\+json/);
    expect((await head('model/model.json')).get('content-type')).toMatch(/^application\/json/);
    // Security headers on every response, exactly as listed in build/http-headers.json.
    const spec = JSON.parse(readFileSync(join(REPO_ROOT, 'build', 'http-headers.json'), 'utf8')) as {
      everyResponse: Record<string, string>;
    };
    for (const path of ['', 'index.html', 'sw.js', 'manifest.webmanifest', wasmFile, 'no-such-file']) {
      const h = await head(path);
      for (const [name, value] of Object.entries(spec.everyResponse))
        expect(h.get(name), `${path}: ${name}`).toBe(value);
    }
  } finally {
    await server.stop();
  }
});

test('public/_headers (static hosts) is in the build, is not precached, and the precache check still passes', () => {
  const headersFile = join(DIST, '_headers');
  const text = readFileSync(headersFile, 'utf8');
  expect(text).toContain("Content-Security-Policy: frame-ancestors 'none'");
  expect(text).toContain('Permissions-Policy: camera=(self)');
  const entries = readPrecacheManifest(DIST);
  expect(entries.map((e) => e.url)).not.toContain('_headers');
  expect(checkPrecache(DIST, REPO_ROOT).problems).toEqual([]);
});
