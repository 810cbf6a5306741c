/**
 * WebGL availability and renderer, probed in a worker (src/services/model/webgl-probe.worker.ts) as soon
 * as the app starts, in parallel with loading tfjs and the model, so that the main thread does not
 * block on creating a WebGL context (≈ 0.5 s on SwiftShader). No tfjs here: this module is in the
 * app's first chunk. backend-runtime.ts `probeWebGL()` uses the result when it is there and probes
 * on the page otherwise (no worker / OffscreenCanvas WebGL, worker failure or timeout). The worker is
 * reached through the worker bridge (src/services/worker-bridge/) and terminated once it answered.
 */
import { WorkerBridge } from '../worker-bridge/worker-bridge.js';
import type { WebGLProbe, WebGLProbeApi } from './webgl-probe-api.js';

let result: WebGLProbe | null = null;
let pending: Promise<WebGLProbe | null> | null = null;

/** The worker's answer, once it has arrived (null before, or when the worker could not tell). */
export function webglProbeResult(): WebGLProbe | null {
  return result;
}

/** Starts the probe once; resolves with its result, or null (then the page probes itself). */
export function startWebGLProbe(timeoutMs = 5000): Promise<WebGLProbe | null> {
  pending ??= (async () => {
    // No worker, or no answer in time: null, and the page probes itself later.
    const bridge = new WorkerBridge<WebGLProbeApi, null>({
      start: () => new Worker(new URL('./webgl-probe.worker.ts', import.meta.url), { type: 'module' }),
      page: () => null,
      supported: () => typeof Worker === 'function' && typeof OffscreenCanvas === 'function',
      idleMs: Infinity,
    });
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const d = await bridge.call<WebGLProbe | { unsupported: true }>(
        { worker: (api) => api.probe(), page: async () => ({ unsupported: true as const }) },
        { signal: timeout.signal },
      );
      // Only a positive answer is trusted: WebGL may work on the page where a worker has none.
      if ('unsupported' in d || !d.available) return null;
      result = { available: d.available === true, renderer: typeof d.renderer === 'string' ? d.renderer : null };
      return result;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      bridge.dispose();
    }
  })();
  return pending;
}
