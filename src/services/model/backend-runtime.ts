/**
 * Browser side of backend selection: registers WASM (with self-hosted binaries), loads the WebGL
 * and CPU backends only when they are about to be tried, probes the device, and switches tfjs
 * backends safely. Decisions are made by the pure functions in backend-select.ts.
 *
 * Only `@tensorflow/tfjs-core` + the backends are imported, not the `@tensorflow/tfjs` umbrella
 * (which also bundles the converter, tfjs-data, WebGL and CPU): the first load stays small
 * (docs/performance.md). `@tensorflow/tfjs-backend-webgl` and `@tensorflow/tfjs-backend-cpu` are
 * separate chunks, imported by `activateBackend` — where WASM is chosen without a race (software
 * WebGL, no WebGL, `?backend=wasm`) neither is ever fetched. All chunks are precached for offline.
 */
import * as tf from '@tensorflow/tfjs-core';
// The WASM backend's base module registers the backend without its 160-odd kernels; the ones the
// app runs are registered by wasm-kernels.ts. Nothing else of what the umbrella registers is
// loaded: not all gradients (the classifier registers the few Grad-CAM needs, head-gradients.ts)
// and not the chained tensor methods (`t.reshape(…)`, which pull in every op; the app, tfjs-core
// and the backends call ops as functions).
import { setWasmPaths, setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm/dist/base';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendName } from '../../core/model/classifier-types.js';
import { wasmThreadCount, type DeviceProbe } from '../../core/model/backend-select.js';
import { probeWebGLOnce } from './webgl-probe.js';
import { registerWasmKernels } from './wasm-kernels.js';

// Before the WASM backend first starts: tfjs sets a backend's kernels up when it is activated.
registerWasmKernels();

let wasmConfigured = false;

/** Points the WASM backend at the binaries the build copies to `<base>/tfjs-wasm/`. Call once, early. */
export function configureWasmPaths(baseUrl: string): string {
  const prefix = new URL('tfjs-wasm/', baseUrl).href;
  if (!wasmConfigured) {
    setWasmPaths(prefix);
    // One XNNPACK thread per two logical cores (tfjs caps it there anyway); see wasmThreadCount.
    setThreadsCount(wasmThreadCount(typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1));
    wasmConfigured = true;
  }
  return prefix;
}

/**
 * Unmasked WebGL renderer (e.g. "ANGLE (…SwiftShader…)"), or null if WebGL is unavailable: the
 * answer of the probe worker the classifier worker started while tfjs compiled, else probed in this
 * thread (OffscreenCanvas in a worker, a DOM canvas on the page; webgl-probe.ts).
 */
export function probeWebGL(): { available: boolean; renderer: string | null } {
  return probeWebGLOnce();
}

export function probeDevice(forced: BackendName | null): DeviceProbe {
  const webgl = probeWebGL();
  return {
    forced,
    webglAvailable: webgl.available,
    webglRenderer: webgl.renderer,
    wasmAvailable: typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function',
  };
}

/** Backends whose code is loaded on demand; WASM is registered by its static import above. */
const LAZY_BACKENDS: Partial<Record<BackendName, () => Promise<unknown>>> = {
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};
const lazyLoads = new Map<BackendName, Promise<unknown>>();

/** Imports (once) the module that registers `name`, unless it is registered already. */
async function ensureRegistered(name: BackendName): Promise<void> {
  const load = LAZY_BACKENDS[name];
  if (!load || tf.findBackendFactory(name)) return;
  let p = lazyLoads.get(name);
  if (!p) {
    p = load();
    p.catch(() => lazyLoads.delete(name));
    lazyLoads.set(name, p);
  }
  await p;
}

/** Live tensors in the tfjs engine (diagnostics, leak checks); 0 before any backend is active. */
export function numTensors(): number {
  // tf.memory() would initialise the highest-priority backend on its own when none is active yet.
  if (!tf.getBackend()) return 0;
  try {
    return tf.memory().numTensors;
  } catch {
    return 0;
  } // a backend still initialising
}

/** Makes `name` the active backend. Returns false (never throws) when it cannot initialise. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  try {
    await ensureRegistered(name);
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

export interface WasmFeatures {
  simd: boolean;
  threads: boolean;
  threadCount: number | null;
}

export async function wasmFeatures(): Promise<WasmFeatures> {
  const [simd, threads] = await Promise.all([
    tf
      .env()
      .getAsync('WASM_HAS_SIMD_SUPPORT')
      .catch(() => false),
    tf
      .env()
      .getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
      .catch(() => false),
  ]);
  let threadCount: number | null;
  try {
    threadCount = getThreadsCount();
  } catch {
    threadCount = null;
  }
  return { simd: simd === true, threads: threads === true, threadCount };
}

/** The canvas the active WebGL backend draws into (to watch for context loss), if WebGL is active. */
export function activeWebGLContext(): WebGLRenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend = tf.backend() as MathBackendWebGL;
  return backend.gpgpu?.gl ?? null;
}
