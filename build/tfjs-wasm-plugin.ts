/**
 * Vite plugin: self-hosts the tfjs WASM backend binaries (plain, SIMD, threaded-SIMD) under
 * `<base>tfjs-wasm/`, so the app never fetches them from a CDN. They are copied from
 * node_modules at build time (emitted as build assets) and served from node_modules in dev.
 * The app calls `setWasmPaths('<base>tfjs-wasm/')`; tfjs picks the variant the browser supports.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export const TFJS_WASM_DIR = 'tfjs-wasm';

export function tfjsWasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "main" lives in dist/, next to the .wasm files.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

export function tfjsWasmFiles(): string[] {
  return readdirSync(tfjsWasmDistDir())
    .filter((f) => f.endsWith('.wasm'))
    .sort();
}

/**
 * The threaded WASM factory is stringified by tfjs and re-evaluated inside each worker, where the
 * closure variable `_scriptDir` of the Emscripten wrapper does not exist. The source guards it with
 * `typeof _scriptDir`, but a minifier that knows the variable is declared drops that guard (and
 * renames it), so workers crash with "e is not defined". Making it a global property keeps the guard.
 */
export function patchThreadedFactory(code: string): string {
  return code
    .replace('var _scriptDir =', 'globalThis.__tfjsWasmScriptDir =')
    .replace(/\b_scriptDir\b/g, 'globalThis.__tfjsWasmScriptDir');
}

/**
 * Only the factory patch: for the worker bundles (vite.config.ts `worker.plugins`), which Vite builds
 * apart from the app and without its plugins. The classifier worker runs tfjs and its WASM backend.
 */
export function tfjsWasmFactoryPatch(): Plugin {
  return {
    name: 'malaria:tfjs-wasm-factory-patch',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0] ?? '')) return null;
      return { code: patchThreadedFactory(code), map: null };
    },
  };
}

export function tfjsWasm(): Plugin {
  return {
    name: 'malaria:tfjs-wasm',
    transform: tfjsWasmFactoryPatch().transform,
    configureServer(server) {
      const files = new Set(tfjsWasmFiles());
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        const prefix = `${server.config.base}${TFJS_WASM_DIR}/`;
        const name = url.startsWith(prefix) ? url.slice(prefix.length) : '';
        if (!files.has(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(tfjsWasmDistDir(), name)));
      });
    },
    generateBundle() {
      for (const name of tfjsWasmFiles()) {
        this.emitFile({
          type: 'asset',
          fileName: `${TFJS_WASM_DIR}/${name}`,
          source: readFileSync(join(tfjsWasmDistDir(), name)),
        });
      }
    },
  };
}
