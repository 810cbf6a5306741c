/**
 * WebGL availability and renderer, probed once per realm. In the classifier worker
 * (classifier.worker.ts) it runs on an OffscreenCanvas while tfjs downloads; on the page (the
 * fallback where there is no Worker or OffscreenCanvas) on a DOM canvas. Creating the context costs
 * ≈ 0.5 s on SwiftShader: this is why the probe used to have its own worker, which the classifier
 * worker made unnecessary (docs/performance.md). No tfjs here, so the worker can probe before tfjs
 * has arrived.
 */
import { readWebGLRenderer } from './webgl-renderer.js';

export interface WebGLProbe {
  available: boolean;
  renderer: string | null;
}

let probed: WebGLProbe | null = null;

function probe(): WebGLProbe {
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

/** `{ available, renderer }`: probed on the first call, remembered after. */
export function probeWebGLOnce(): WebGLProbe {
  probed ??= probe();
  return probed;
}
