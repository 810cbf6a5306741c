/**
 * The build's rewrites of tfjs (docs/performance.md, step 7) stay correct: each removes only what
 * the app never runs, and fails loudly when the package it rewrites changes.
 *
 * - build/tfjs-wasm-plugin.ts `lazyWasmGlue`: the WASM backend's two Emscripten glues become
 *   dynamic imports behind the package's own choice, so a device fetches only the one it runs.
 * - build/tfjs-io-trim-plugin.ts: tfjs-core without the `indexeddb://` / `localstorage://` model
 *   handlers, which only model URLs and model store functions the app never uses reach.
 * - build/tfjs-core-entry.ts: `tf.image` with resizeBilinear and flipLeftRight only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAZY_GLUE_MODULE, THREADED_CONDITION, lazyWasmGlue } from '../build/tfjs-wasm-plugin.js';
import { STORAGE_HANDLER_TEXTS, trimmedModule, withoutStorageHandlers } from '../build/tfjs-io-trim-plugin.js';
import { ROOT } from './import-graph.js';

const WASM_DIST = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const CORE_DIST = join(ROOT, 'node_modules/@tensorflow/tfjs-core/dist');

const walk = (dir: string, ext: RegExp): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, ext) : ext.test(n) ? [p] : [];
  });

/** The app's own code as it ships (src/ and the contract), tests and test kits left out. */
const appSources = (): { file: string; text: string }[] =>
  [...walk(join(ROOT, 'src'), /\.ts$/), ...walk(join(ROOT, 'packages/contract/src'), /\.ts$/)]
    .filter((f) => !/\.test\.ts$|test-kit\.ts$/.test(f))
    .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

describe('WASM glues loaded on demand (lazyWasmGlue)', () => {
  const file = join(WASM_DIST, 'backend_wasm.js');
  const original = readFileSync(file, 'utf8');
  const out = lazyWasmGlue(original);

  it('applies to the module the package imports', () => {
    expect(LAZY_GLUE_MODULE.test(file)).toBe(true);
    const base = readFileSync(join(WASM_DIST, 'base.js'), 'utf8');
    expect(base).toMatch(/from '\.\/backend_wasm'/);
  });

  it('leaves no static import of either glue or the pthread worker source', () => {
    expect(original).toMatch(/^import .* from '\.\.\/wasm-out\//m);
    expect(out).not.toMatch(/^import .*wasm-out/m);
    expect(out).not.toMatch(/_import\b/);
  });

  it('imports the threaded glue (and its worker source) only behind the package condition, the plain one otherwise', () => {
    const init = out.slice(out.indexOf('export async function init()'));
    const cond = init.indexOf(THREADED_CONDITION);
    const threaded = init.indexOf("import('../wasm-out/tfjs-backend-wasm-threaded-simd.js')");
    const worker = init.indexOf("import('../wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')");
    const orElse = init.indexOf('else {', cond);
    const plain = init.indexOf("import('../wasm-out/tfjs-backend-wasm.js')");
    const factoryCall = init.indexOf('return new Promise(');
    expect(cond).toBeGreaterThan(0);
    expect([threaded, worker].every((i) => i > cond && i < orElse)).toBe(true);
    expect(plain).toBeGreaterThan(orElse);
    // Both are awaited before the factory runs, and the factory is chosen by the same condition.
    expect(factoryCall).toBeGreaterThan(plain);
    expect(init.indexOf(THREADED_CONDITION, factoryCall)).toBeGreaterThan(factoryCall);
    // Every glue file the package ships is one of the two branches (a third glue would be new).
    const glues = readdirSync(join(WASM_DIST, '../wasm-out')).filter(
      (n) => n.endsWith('.js') && readFileSync(join(WASM_DIST, '../wasm-out', n)).length > 0,
    );
    expect(glues.sort()).toEqual(
      [
        'tfjs-backend-wasm-simd.js', // the glue of the SIMD build, not imported by the package (the plain glue runs both)
        'tfjs-backend-wasm-threaded-simd.js',
        'tfjs-backend-wasm-threaded-simd.worker.js',
        'tfjs-backend-wasm.js',
      ].sort(),
    );
    expect(original).not.toMatch(/wasm-out\/tfjs-backend-wasm-simd\.js/);
  });

  it('fails on a changed package instead of bundling both glues again', () => {
    expect(() => lazyWasmGlue(original.replace('wasmFactory_import.default', 'wasmFactory_import.x'))).toThrow(
      /backend_wasm\.js changed/,
    );
    expect(() => lazyWasmGlue(original.replace(THREADED_CONDITION, 'if (threadsSupported) {'))).toThrow(
      /threaded-glue condition/,
    );
  });
});

describe('tfjs-core without its browser-storage model handlers', () => {
  const storageModule = /from '(?:\.\.\/io\/|\.\/)(indexed_db|local_storage)'|import '\.\/(indexed_db|local_storage)'/;

  it('rewrites exactly the two tfjs-core modules that import the storage handlers', () => {
    const importers = walk(CORE_DIST, /\.js$/)
      .filter((f) => !/_test\.js$|jasmine_util\.js$/.test(f) && !/tf-core[^/]*\.js$/.test(f))
      .filter((f) => storageModule.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CORE_DIST, f).replace(/\\/g, '/'))
      .sort();
    expect(importers).toEqual(Object.keys(STORAGE_HANDLER_TEXTS).sort());
    for (const m of importers) {
      expect(trimmedModule(join(CORE_DIST, m))).toBe(m);
      const out = withoutStorageHandlers(m, readFileSync(join(CORE_DIST, m), 'utf8'));
      expect(out).not.toMatch(storageModule);
      expect(out).not.toMatch(/BrowserIndexedDB|BrowserLocalStorage/);
    }
    // platform_browser keeps registering the platform itself.
    const platform = withoutStorageHandlers(
      'platforms/platform_browser.js',
      readFileSync(join(CORE_DIST, 'platforms/platform_browser.js'), 'utf8'),
    );
    expect(platform).toMatch(/env\(\)\.setPlatform\('browser', new PlatformBrowser\(\)\);/);
  });

  it('fails on a changed package', () => {
    const io = readFileSync(join(CORE_DIST, 'io/io.js'), 'utf8');
    expect(() => withoutStorageHandlers('io/io.js', io.replace("import './local_storage';", ''))).toThrow(/changed/);
  });

  it("is safe: the app's code uses no storage model URL and no model store function", () => {
    const uses = appSources().flatMap(({ file, text }) =>
      [
        ...text.matchAll(
          /indexeddb:\/\/|localstorage:\/\/|\b(?:listModels|copyModel|moveModel|removeModel|getLoadHandlers|getSaveHandlers|browserIndexedDB|browserLocalStorage|loadLayersModel|loadGraphModel)\b/gi,
        ),
      ].map((m) => `${file}: ${m[0]}`),
    );
    expect(uses).toEqual([]);
  });
});

describe("the app's tf.image (build/tfjs-core-entry.ts)", () => {
  const entry = readFileSync(join(ROOT, 'build/tfjs-core-entry.ts'), 'utf8');
  const kept = (/export const image = \{([^}]*)\}/.exec(entry)?.[1] ?? '').split(',').map((s) => s.trim());

  it('keeps resizeBilinear and flipLeftRight, the ops the contract and Grad-CAM run', () => {
    expect(kept).toEqual(['resizeBilinear', 'flipLeftRight']);
  });

  it("holds every image op the app's code calls", () => {
    const sources = appSources();
    const used = new Set(sources.flatMap(({ text }) => [...text.matchAll(/\btf\.image\.(\w+)/g)].map((m) => m[1])));
    expect([...used].sort()).toEqual(['flipLeftRight', 'resizeBilinear']);
    for (const name of used) expect(kept).toContain(name);
    // No other way in: `image` destructured from tfjs or imported by name.
    const other = sources
      .filter(({ text }) => /\{[^}]*\bimage\b[^}]*\}\s*(?:=\s*tf\b|from '@tensorflow\/tfjs-core')/.test(text))
      .map(({ file }) => file);
    expect(other).toEqual([]);
  });
});
