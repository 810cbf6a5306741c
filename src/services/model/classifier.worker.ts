/**
 * The classifier worker: tfjs, its backends (WASM with threaded SIMD, WebGL on an OffscreenCanvas,
 * CPU), the model load, warm-up, classification and the review's where maps all run here, so the
 * page's main thread only does UI (docs/performance.md: at 4× CPU the load alone blocked the page
 * for ≈ 500 ms: JSON parse, weights, batch-norm fold, model build, backend init, warm-up).
 * The page reaches it through the worker bridge (classifier-client.ts); the API
 * (classifier-worker-api.ts) wraps `loadClassifier` (classifier.ts) as it is.
 *
 * This entry is small on purpose: it answers "ready" at once and starts fetching tfjs and the model
 * code, while the WebGL probe runs in a nested worker (webgl-probe.ts: in this thread it held the
 * tfjs compile back by 190–380 ms on SwiftShader); the model load waits for both.
 */
import { exposeWorkerApi } from '../worker-bridge/expose-worker.js';
import { classifierWorkerApi } from './classifier-worker-api.js';
import { startWebGLProbe } from './webgl-probe.js';

const runtime = import('./classifier.js');
runtime.catch(() => undefined); // reported by load(), the first call that needs it
const probing = startWebGLProbe();

exposeWorkerApi(
  classifierWorkerApi(async (options) => {
    const [{ loadClassifier }] = await Promise.all([runtime, probing]);
    return loadClassifier(options);
  }),
);
