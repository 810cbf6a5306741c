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
 * tfjs-backend-wasm imports both of its Emscripten glues statically (`dist/backend_wasm.js`): the
 * threaded-SIMD one (32.4 KB minified + its pthread worker source 0.9 KB) and the plain/SIMD one
 * (22.6 KB), and picks one in `init()`. A device runs one of them: this app is cross-origin
 * isolated (COOP + COEP), so Chromium takes the threaded-SIMD glue and the plain one was 22.6 KB
 * fetched and parsed for nothing before the app was ready; a browser without SharedArrayBuffer or
 * SIMD (or a host that drops the isolation headers) takes the plain one. This rewrite makes both
 * glues dynamic imports inside `init()`, behind the package's own choice
 * (`threadsSupported && simdSupported && wasmPath == null`, read before the factory is called), so
 * each becomes its own chunk, fetched only where it runs (both are precached for offline).
 * The text is matched exactly (tfjs 4.22.0 is pinned): any change in the package fails the build
 * instead of silently bundling both again. scripts/tfjs-trim.test.ts checks the rewrite on
 * the installed package; e2e/app-classify.spec.ts checks which glue each kind of page loads.
 */
export const LAZY_GLUE_MODULE = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;

const GLUE_IMPORTS = `import * as wasmFactoryThreadedSimd_import from '../wasm-out/tfjs-backend-wasm-threaded-simd.js';
// @ts-ignore
import { wasmWorkerContents } from '../wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
import * as wasmFactory_import from '../wasm-out/tfjs-backend-wasm.js';
`;
const GLUE_BINDINGS = `const wasmFactoryThreadedSimd = (wasmFactoryThreadedSimd_import.default ||
    wasmFactoryThreadedSimd_import);
const wasmFactory = (wasmFactory_import.default || wasmFactory_import);
`;
const INIT_FEATURES = `export async function init() {
    const [simdSupported, threadsSupported] = await Promise.all([
        env().getAsync('WASM_HAS_SIMD_SUPPORT'),
        env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
    ]);
`;
/** The package's own condition for the threaded glue, as written in init(). */
export const THREADED_CONDITION = 'if (threadsSupported && simdSupported && wasmPath == null) {';

export function lazyWasmGlue(code: string): string {
  for (const [what, text] of [
    ['the glue imports', GLUE_IMPORTS],
    ['the glue bindings', GLUE_BINDINGS],
    ['init()', INIT_FEATURES],
    ['the threaded-glue condition', THREADED_CONDITION],
  ] as const) {
    const n = code.split(text).length - 1;
    if (n !== 1) {
      throw new Error(
        `tfjs-backend-wasm's backend_wasm.js changed: ${what} found ${n} times (build/tfjs-wasm-plugin.ts)`,
      );
    }
  }
  return code
    .replace(GLUE_IMPORTS, '')
    .replace(GLUE_BINDINGS, 'let wasmFactoryThreadedSimd;\nlet wasmWorkerContents;\nlet wasmFactory;\n')
    .replace(
      INIT_FEATURES,
      `${INIT_FEATURES}    ${THREADED_CONDITION}
        const [glue, worker] = await Promise.all([
            import('../wasm-out/tfjs-backend-wasm-threaded-simd.js'),
            import('../wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')
        ]);
        wasmFactoryThreadedSimd = glue.default || glue;
        wasmWorkerContents = worker.wasmWorkerContents || (worker.default && worker.default.wasmWorkerContents);
    }
    else {
        const glue = await import('../wasm-out/tfjs-backend-wasm.js');
        wasmFactory = glue.default || glue;
    }
`,
    );
}

/**
 * The rewrites of tfjs-backend-wasm's code (the threaded-factory patch above and the glues loaded on
 * demand, lazyWasmGlue): for the app and for the worker bundles (vite.config.ts `worker.plugins`),
 * which Vite builds apart from the app and without its plugins. The classifier worker runs tfjs and
 * its WASM backend.
 */
export function tfjsWasmFactoryPatch(): Plugin {
  return {
    name: 'malaria:tfjs-wasm-factory-patch',
    transform(code, id) {
      const file = id.split('?')[0] ?? '';
      if (LAZY_GLUE_MODULE.test(file)) return { code: lazyWasmGlue(code), map: null };
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(file)) return null;
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
