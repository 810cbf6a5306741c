/**
 * WebGL availability and renderer, probed once per realm. In the classifier worker
 * (classifier.worker.ts) `startWebGLProbe()` runs the probe in a nested worker
 * (webgl-probe.worker.ts) while tfjs is fetched and compiled: probing in the classifier worker itself
 * held the tfjs compile back by 190–380 ms on SwiftShader (a fresh browser context). On the page (the
 * fallback where there is no Worker or OffscreenCanvas) it probes on a DOM canvas. No tfjs here.
 * backend-runtime.ts `probeDevice()` reads `probeWebGLOnce()`: the probe worker's answer when it gave
 * a positive one (WebGL may work here where that worker has none), else a probe in this thread.
 */
import { WorkerBridge } from '../worker-bridge/worker-bridge.js';
import type { WebGLProbe, WebGLProbeApi } from './webgl-probe-api.js';
import { readWebGLRenderer } from './webgl-renderer.js';

export type { WebGLProbe } from './webgl-probe-api.js';

let probed: WebGLProbe | null = null;
let pending: Promise<WebGLProbe | null> | null = null;

/** Starts the probe worker once; resolves with its answer, or null (then this thread probes itself). */
export function startWebGLProbe(timeoutMs = 5000): Promise<WebGLProbe | null> {
  pending ??= (async () => {
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
      if ('unsupported' in d || !d.available) return null;
      probed ??= { available: true, renderer: typeof d.renderer === 'string' ? d.renderer : null };
      return probed;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      bridge.dispose();
    }
  })();
  return pending;
}

function probeHere(): WebGLProbe {
  try {
    const canvas =
      typeof document !== 'undefined'
        ? document.createElement('canvas')
        : typeof OffscreenCanvas === 'function'
          ? new OffscreenCanvas(1, 1)
          : null;
    return canvas ? readWebGLRenderer(canvas) : { available: false, renderer: null };
  } catch {
    return { available: false, renderer: null };
  }
}

/** `{ available, renderer }`: the probe worker's positive answer, else probed here on the first call. */
export function probeWebGLOnce(): WebGLProbe {
  probed ??= probeHere();
  return probed;
}
