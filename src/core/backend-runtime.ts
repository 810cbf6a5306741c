/**
 * Browser side of backend selection: registers WebGL and WASM (with self-hosted binaries), probes
 * the device, and switches tfjs backends safely. Decisions are made by the pure functions in
 * backend-select.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendName } from './classifier-types.js';
import { wasmThreadCount, type DeviceProbe } from './backend-select.js';

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

/** Unmasked WebGL renderer (e.g. "ANGLE (…SwiftShader…)"), or null if WebGL is unavailable. */
export function probeWebGL(): { available: boolean; renderer: string | null } {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return { available: false, renderer: null };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer };
  } catch {
    return { available: false, renderer: null };
  }
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

/** Makes `name` the active backend. Returns false (never throws) when it cannot initialise. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  try {
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
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT').catch(() => false),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT').catch(() => false),
  ]);
  let threadCount: number | null = null;
  try { threadCount = getThreadsCount(); } catch { threadCount = null; }
  return { simd: simd === true, threads: threads === true, threadCount };
}

/** The canvas the active WebGL backend draws into (to watch for context loss), if WebGL is active. */
export function activeWebGLContext(): WebGLRenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend = tf.backend() as MathBackendWebGL;
  return backend.gpgpu?.gl ?? null;
}
