/**
 * The worker side of the bridge (worker-bridge.ts): `exposeWorkerApi(api)` in a `*.worker.ts`
 * entry exposes `api` with comlink and then says it is ready, so the page knows the worker's
 * script loaded and ran (a worker that fails to load never says so: the page then runs the same
 * API itself). Importing this module also installs the error transfer (worker-errors.ts).
 */
import { expose, type Endpoint } from 'comlink';
import './worker-errors.js';

/** The message a worker posts once its API is exposed (comlink ignores messages without an id). */
export const WORKER_READY = 'worker-bridge:ready';

export function isReadyMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === WORKER_READY;
}

/** Exposes `api` on `endpoint` (the worker's global scope by default) and announces it. */
export function exposeWorkerApi<T extends object>(
  api: T,
  endpoint: Endpoint = globalThis as unknown as Endpoint,
): void {
  expose(api, endpoint);
  endpoint.postMessage({ type: WORKER_READY });
}

export { transfer } from 'comlink';
