/**
 * Probes WebGL in its own thread: creates a WebGL context on an OffscreenCanvas, reads the unmasked
 * renderer (WEBGL_debug_renderer_info) and loses the context again. Started by the classifier worker
 * (a nested worker) so that the probe — 190–380 ms on SwiftShader in a fresh browser context —
 * runs while the classifier worker compiles tfjs, instead of before it (webgl-probe.ts,
 * docs/performance.md). Exposes `WebGLProbeApi` through the worker bridge: `probe()` answers
 * `{ available, renderer }`, or `{ unsupported: true }` without OffscreenCanvas WebGL.
 */
import { readWebGLRenderer } from './webgl-renderer.js';
import type { WebGLProbe, WebGLProbeApi } from './webgl-probe-api.js';
import { exposeWorkerApi } from '../worker-bridge/expose-worker.js';

function probe(): WebGLProbe | { unsupported: true } {
  if (typeof OffscreenCanvas !== 'function') return { unsupported: true };
  try {
    return readWebGLRenderer(new OffscreenCanvas(1, 1));
  } catch {
    return { unsupported: true };
  }
}

const api: WebGLProbeApi = { probe: async () => probe() };
exposeWorkerApi(api);
