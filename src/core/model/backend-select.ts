/**
 * Pure decision logic for choosing the tfjs backend. The browser-facing code (probing WebGL,
 * timing warm-ups, calling tf.setBackend) lives in `backend-runtime.ts`; everything that can be
 * decided from plain values is here so it can be unit-tested.
 */
import type { BackendName } from './classifier-types.js';
import { median } from '../shared/median.js';

export const ALL_BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** Reads `?backend=webgl|wasm|cpu` from a query string; anything else means "choose automatically". */
export function parseBackendParam(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend')?.trim().toLowerCase();
  return value && (ALL_BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : null;
}

/** Renderer strings of WebGL implementations that run on the CPU (much slower than WASM for CNNs). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|lavapipe|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string | null | undefined): boolean {
  return !!renderer && SOFTWARE_RENDERER.test(renderer);
}

/** Order in which backends are tried, starting at `first`: WebGL → WASM → CPU. */
export function fallbackChain(first: BackendName): BackendName[] {
  const start = ALL_BACKENDS.indexOf(first);
  return ALL_BACKENDS.slice(start);
}

export interface DeviceProbe {
  /** Backend forced by the URL, if any. */
  forced: BackendName | null;
  /** A WebGL context could be created. */
  webglAvailable: boolean;
  /** Unmasked renderer string (WEBGL_debug_renderer_info) or null when unavailable. */
  webglRenderer: string | null;
  /** WebAssembly is available. */
  wasmAvailable: boolean;
}

export type BackendPlan =
  /** Try these in order, take the first that initialises. */
  | { kind: 'ordered'; order: BackendName[]; reason: string }
  /** Warm up each candidate, keep the fastest; if all fail, try `fallback` in order. */
  | { kind: 'race'; candidates: BackendName[]; fallback: BackendName[]; reason: string };

export function planBackend(probe: DeviceProbe): BackendPlan {
  if (probe.forced) {
    return { kind: 'ordered', order: fallbackChain(probe.forced), reason: `forced by ?backend=${probe.forced}` };
  }
  if (!probe.webglAvailable) {
    return {
      kind: 'ordered',
      order: probe.wasmAvailable ? ['wasm', 'cpu'] : ['cpu'],
      reason: 'WebGL is not available',
    };
  }
  if (isSoftwareRenderer(probe.webglRenderer)) {
    return {
      kind: 'ordered',
      order: probe.wasmAvailable ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'cpu'],
      reason: `software WebGL renderer (${probe.webglRenderer ?? 'unknown'}): WASM is faster`,
    };
  }
  if (!probe.wasmAvailable) {
    return { kind: 'ordered', order: ['webgl', 'cpu'], reason: 'WebAssembly is not available' };
  }
  return { kind: 'race', candidates: ['webgl', 'wasm'], fallback: ['cpu'], reason: 'hardware WebGL: timed warm-up' };
}

export interface BackendTiming {
  backend: BackendName;
  /** Median ms per warm-up batch; Infinity when the backend failed. */
  ms: number;
}

/** Picks the fastest backend that worked; ties go to the earlier candidate. Null if all failed. */
export function pickFastest(timings: readonly BackendTiming[]): BackendName | null {
  let best: BackendTiming | null = null;
  for (const t of timings) {
    if (!Number.isFinite(t.ms)) continue;
    if (!best || t.ms < best.ms) best = t;
  }
  return best ? best.backend : null;
}

/** Median of a list of timings (src/core/shared/median.ts); no timings: +∞ (never the fastest). */
export function medianTiming(values: readonly number[]): number {
  return values.length === 0 ? Number.POSITIVE_INFINITY : median(values);
}

/** Backend to move to after `current` lost its context or failed at runtime (null: none left). */
export function nextBackendAfterFailure(current: BackendName): BackendName | null {
  const chain = fallbackChain(current);
  return chain[1] ?? null;
}

/**
 * XNNPACK threads for the WASM backend: one per two logical cores, at most 4. tfjs-backend-wasm
 * 4.22 applies the same cap itself (`init_with_threads_count` limits the pool to
 * hardwareConcurrency / 2, assuming two hyper-threads per core), so asking for more is silently
 * ignored. On a 2-core device that means the model runs on the page's own thread while the decode
 * worker uses the other core. Measured there with a second XNNPACK thread (forced by reporting 4
 * cores): inference alone ~18 % faster on a quiet machine, but 1,000 cells through the UI 1.6×
 * slower (and inference alone 2× slower) while another process held a core: the pool's threads
 * wait for each other at every layer, and the decode worker needs that core during a batch anyway.
 */
export function wasmThreadCount(logicalCores: number): number {
  const cores = Number.isFinite(logicalCores) && logicalCores > 0 ? Math.floor(logicalCores) : 1;
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}
