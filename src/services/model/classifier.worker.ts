/**
 * The classifier worker: tfjs, its backends (WASM with threaded SIMD, WebGL on an OffscreenCanvas,
 * CPU), the model load, warm-up, classification and the review's where maps all run here, so the
 * page's main thread only does UI (docs/performance.md: at 4× CPU the load alone blocked the page
 * for ≈ 500 ms: JSON parse, weights, batch-norm fold, model build, backend init, warm-up).
 * The page reaches it through the worker bridge (classifier-client.ts); the API
 * (classifier-worker-api.ts) wraps `loadClassifier` (classifier.ts) as it is.
 *
 * This entry is small on purpose: it answers "ready" at once, starts fetching tfjs and the model
 * code, and probes WebGL on an OffscreenCanvas (tens of ms, up to ≈ 0.4 s on a cold SwiftShader)
 * while they download; backend-runtime's probeDevice then reads the answer (webgl-probe.ts).
 */
import { exposeWorkerApi } from '../worker-bridge/expose-worker.js';
import { classifierWorkerApi } from './classifier-worker-api.js';
import { probeWebGLOnce } from './webgl-probe.js';

const runtime = import('./classifier.js');
runtime.catch(() => undefined); // reported by load(), the first call that needs it

exposeWorkerApi(classifierWorkerApi(async (options) => (await runtime).loadClassifier(options)));
probeWebGLOnce();
