/**
 * WebGL availability and renderer, probed in a worker (src/services/model/webgl-probe.worker.ts) as soon
 * as the app starts, in parallel with loading tfjs and the model, so that the main thread does not
 * block on creating a WebGL context (≈ 0.5 s on SwiftShader). No tfjs here: this module is in the
 * app's first chunk. backend-runtime.ts `probeWebGL()` uses the result when it is there and probes
 * on the page otherwise (no worker / OffscreenCanvas WebGL, worker failure or timeout).
 */
export interface WebGLProbe {
  available: boolean;
  renderer: string | null;
}

let result: WebGLProbe | null = null;
let pending: Promise<WebGLProbe | null> | null = null;

/** The worker's answer, once it has arrived (null before, or when the worker could not tell). */
export function webglProbeResult(): WebGLProbe | null {
  return result;
}

/** Starts the probe once; resolves with its result, or null (then the page probes itself). */
export function startWebGLProbe(timeoutMs = 5000): Promise<WebGLProbe | null> {
  if (pending) return pending;
  pending = new Promise<WebGLProbe | null>((resolve) => {
    if (typeof Worker !== 'function' || typeof OffscreenCanvas !== 'function') { resolve(null); return; }
    let worker: Worker;
    try {
      worker = new Worker(new URL('./webgl-probe.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve(null);
      return;
    }
    const done = (r: WebGLProbe | null) => { clearTimeout(timer); worker.terminate(); resolve(r); };
    const timer = setTimeout(() => done(null), timeoutMs);
    worker.onmessage = (e: MessageEvent<WebGLProbe | { unsupported: true }>) => {
      const d = e.data;
      // Only a positive answer is trusted: WebGL may work on the page where a worker has none.
      if ('unsupported' in d || !d.available) { done(null); return; }
      result = { available: d.available === true, renderer: typeof d.renderer === 'string' ? d.renderer : null };
      done(result);
    };
    worker.onerror = () => done(null);
  });
  return pending;
}
