/**
 * Reads the precache manifest that workbox-build injected into the built service worker and checks
 * that everything the app needs offline is in it. Used by the build (build/pwa-plugin.ts fails the
 * build on any problem) and by the e2e tests. Node only; no Vite import so tests can load it cheaply.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/** Where tfjs-backend-wasm keeps its binaries; every variant the app may pick must be precached. */
export const TFJS_WASM_DIST = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

/** Names of all tfjs WASM binaries (plain, SIMD, threaded SIMD) shipped by the installed package. */
export function tfjsWasmBinaryNames(root: string): string[] {
  const dir = join(root, TFJS_WASM_DIST);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wasm'))
    .sort();
}

/**
 * Extracts the JSON array workbox-build put in place of `self.__WB_MANIFEST`. The array is the
 * first `[{` … `]` whose objects carry a `"url"` key; strings are skipped while matching brackets.
 */
export function extractPrecacheManifest(swSource: string): PrecacheEntry[] {
  const start = findManifestStart(swSource);
  if (start < 0) throw new Error('sw.js: no injected precache manifest found (self.__WB_MANIFEST not replaced?)');
  let depth = 0;
  let inString = false;
  for (let i = start; i < swSource.length; i++) {
    const ch = swSource[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return parseEntries(swSource.slice(start, i + 1));
    }
  }
  throw new Error('sw.js: unterminated precache manifest');
}

function findManifestStart(src: string): number {
  const re = /\[\{"(?:url|revision)":/g;
  const m = re.exec(src);
  return m ? m.index : -1;
}

function parseEntries(json: string): PrecacheEntry[] {
  const raw: unknown = JSON.parse(json);
  if (!Array.isArray(raw)) throw new Error('sw.js: precache manifest is not an array');
  return raw.map((e: unknown) => {
    const o = e as { url?: unknown; revision?: unknown };
    if (typeof o.url !== 'string') throw new Error('sw.js: precache entry without url');
    return { url: o.url, revision: typeof o.revision === 'string' ? o.revision : null };
  });
}

export function readPrecacheManifest(outDir: string): PrecacheEntry[] {
  return extractPrecacheManifest(readFileSync(join(outDir, 'sw.js'), 'utf8'));
}

/** Files whose names carry a content hash (Vite's `assets/name-HASH.ext`) need no extra revision. */
export const HASHED_ASSET = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export interface PrecacheCheck {
  /** Paths (relative to outDir, forward slashes) that must be precached. */
  required: string[];
  /** Human-readable problems; empty means the build is good. */
  problems: string[];
  entries: PrecacheEntry[];
}

/** Local (same-origin, relative) URLs a built index.html loads: scripts, stylesheets, icons, manifest. */
export function localUrlsInHtml(html: string): string[] {
  const urls: string[] = [];
  const re = /<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const u = m[1];
    if (u !== undefined) urls.push(u);
  }
  return urls;
}

function normalise(url: string): string {
  return posix.normalize(url.replace(/^\.?\//, '')).replace(/^\/+/, '');
}

/**
 * Everything the app needs offline: the shell (index.html and what it links), every script chunk
 * in assets/ (views, tfjs and its backends are loaded with dynamic import(): index.html does not
 * name them), the manifest and its icons, model.json + every weight shard it lists +
 * metadata.json, and every tfjs WASM binary.
 */
export function requiredPrecachePaths(outDir: string): { required: string[]; problems: string[] } {
  const required = new Set<string>(['index.html', 'manifest.webmanifest', 'model/model.json', 'model/metadata.json']);
  const problems: string[] = [];
  const htmlPath = join(outDir, 'index.html');
  if (existsSync(htmlPath)) {
    for (const u of localUrlsInHtml(readFileSync(htmlPath, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(u)) problems.push(`index.html references a remote URL: ${u}`);
      else required.add(normalise(u));
    }
  }
  const assetsDir = join(outDir, 'assets');
  if (existsSync(assetsDir)) {
    for (const f of readdirSync(assetsDir)) if (/\.(m?js|css)$/.test(f)) required.add(`assets/${f}`);
  }
  const manifestPath = join(outDir, 'manifest.webmanifest');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { icons?: Array<{ src: string }> };
    for (const icon of manifest.icons ?? []) required.add(normalise(icon.src));
  }
  const modelPath = join(outDir, 'model', 'model.json');
  if (existsSync(modelPath)) {
    const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { weightsManifest?: Array<{ paths: string[] }> };
    const groups = model.weightsManifest ?? [];
    if (groups.length === 0) problems.push('model/model.json lists no weightsManifest');
    for (const g of groups) for (const p of g.paths) required.add(normalise(posix.join('model', p)));
  }
  return { required: [...required], problems };
}

export function checkPrecache(outDir: string, root: string): PrecacheCheck {
  const entries = readPrecacheManifest(outDir);
  const urls = new Set(entries.map((e) => normalise(e.url)));
  const { required, problems } = requiredPrecachePaths(outDir);
  for (const r of required) {
    if (!existsSync(join(outDir, r))) problems.push(`missing from the build output: ${r}`);
    else if (!urls.has(r)) problems.push(`missing from the precache manifest: ${r}`);
  }
  const wasmNames = tfjsWasmBinaryNames(root);
  if (wasmNames.length < 3)
    problems.push(`expected 3 tfjs WASM variants in ${TFJS_WASM_DIST}, found ${wasmNames.length}`);
  for (const name of wasmNames) {
    const hit = [...urls].find((u) => u === name || u.endsWith(`/${name}`));
    if (!hit) problems.push(`tfjs WASM binary not precached: ${name}`);
    else required.push(hit);
  }
  for (const e of entries) {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(e.url)) problems.push(`precache entry is not same-origin: ${e.url}`);
    if (e.revision === null && !HASHED_ASSET.test(normalise(e.url))) {
      problems.push(`precache entry has neither a content hash in its name nor a revision: ${e.url}`);
    }
  }
  return { required, problems, entries };
}
