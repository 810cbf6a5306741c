import { defineConfig } from 'vite';
import { offlinePwa } from './build/pwa-plugin.js';
import { tfjsWasm } from './build/tfjs-wasm-plugin.js';

/**
 * Cross-origin isolation (COOP + COEP) lets the browser give the page SharedArrayBuffer, which the
 * multi-threaded tfjs WASM backend needs. Same headers as scripts/serve.mjs (`npm start`).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  // offlinePwa last: after the bundle (and the WASM binaries) are written it builds sw.js, injects the
  // precache manifest and fails the build if anything needed offline is missing (docs/pwa.md).
  plugins: [tfjsWasm(), offlinePwa()],
  server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { headers: CROSS_ORIGIN_ISOLATION_HEADERS, port: 4173 },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
});
