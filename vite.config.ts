import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { offlinePwa } from './build/pwa-plugin.js';
import { tfjsWasm, tfjsWasmFactoryPatch } from './build/tfjs-wasm-plugin.js';
import { tfjsIoTrim } from './build/tfjs-io-trim-plugin.js';
import httpHeaders from './build/http-headers.json' with { type: 'json' };

/**
 * Cross-origin isolation (COOP + COEP) lets the browser give the page SharedArrayBuffer, which the
 * multi-threaded tfjs WASM backend needs; plus the security headers (frame-ancestors 'none',
 * Referrer-Policy, Permissions-Policy, nosniff). Same headers as scripts/serve.mjs (`npm start`)
 * and public/_headers: build/http-headers.json.
 */
export const APP_HEADERS: Record<string, string> = httpHeaders.everyResponse;

export default defineConfig({
  base: './',
  // offlinePwa last: after the bundle (and the WASM binaries) are written it builds sw.js, injects the
  // precache manifest and fails the build if anything needed offline is missing (docs/pwa.md).
  plugins: [tfjsWasm(), tfjsIoTrim(), offlinePwa()],
  resolve: {
    // tfjs-core without its optimizer registrations (build/tfjs-core-entry.ts; docs/performance.md).
    alias: [
      {
        find: /^@tensorflow\/tfjs-core$/,
        replacement: fileURLToPath(new URL('./build/tfjs-core-entry.ts', import.meta.url)),
      },
    ],
  },
  server: { headers: APP_HEADERS },
  preview: { headers: APP_HEADERS, port: 4173 },
  // Workers are ES modules (all are started with `type: 'module'`), so the classifier worker's small
  // entry can start, answer and probe WebGL while it imports tfjs as separate chunks. The worker
  // bundles get the WASM glue rewrites (threaded-factory patch, glues loaded on demand) and the
  // io trim too: the classifier worker runs tfjs-backend-wasm.
  // Vite strips comments from the app's chunks but not from worker bundles: tfjs' 740 licence
  // headers were ≈ 480 kB of the classifier worker's 1.09 MB (the licences stay in node_modules).
  worker: {
    format: 'es',
    plugins: () => [tfjsWasmFactoryPatch(), tfjsIoTrim()],
    rolldownOptions: { output: { comments: { legal: false, annotation: false, jsdoc: false } } },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
});
