/**
 * The classifier worker's API (`ClassifierWorkerApi`, classifier-protocol.ts) around a
 * `LoadedClassifier`: loads it once per worker, runs every call on it, frees the bitmap copies that
 * arrived, settles batches where the pixels are, and moves results (where maps, model inputs) back
 * without copying. classifier.worker.ts exposes it with the real `loadClassifier`; the unit tests
 * (classifier-client.test.ts) with a fake one, over a MessageChannel.
 */
import { transfer } from '../worker-bridge/expose-worker.js';
import { classifyBatchSettled } from '../../core/cells/classify-cells.js';
import type { CellPixels } from '../../core/model/classifier-types.js';
import {
  classificationsToWire,
  viewTransferables,
  type ClassifierSnapshot,
  type ClassifierWorkerApi,
  type WirePixels,
} from './classifier-protocol.js';
import type { LoadClassifierOptions, LoadedClassifier } from './classifier.js';

export function snapshotOf(c: LoadedClassifier): ClassifierSnapshot {
  return { metadata: c.metadata, backend: c.backend, diagnostics: c.diagnostics };
}

/** Runs `work` on the pixels that arrived, then frees the bitmaps among them (copies owned here). */
async function withPixels<R>(
  sources: readonly WirePixels[],
  work: (s: readonly CellPixels[]) => Promise<R>,
): Promise<R> {
  try {
    return await work(sources);
  } finally {
    for (const s of sources) if (typeof ImageBitmap !== 'undefined' && s instanceof ImageBitmap) s.close();
  }
}

export function classifierWorkerApi(
  loadClassifier: (options: LoadClassifierOptions) => Promise<LoadedClassifier>,
): ClassifierWorkerApi {
  let loading: Promise<LoadedClassifier> | null = null;
  let classifier: LoadedClassifier | null = null;
  const need = (): LoadedClassifier => {
    if (!classifier) throw new Error('the model is not loaded in the classifier worker');
    return classifier;
  };
  return {
    async load(options, events) {
      loading ??= loadClassifier({ ...options, onProgress: (p) => void events.progress(p) });
      let c: LoadedClassifier;
      try {
        c = await loading;
      } catch (err) {
        loading = null;
        throw err;
      }
      if (classifier !== c) {
        classifier = c;
        c.onBackendChange((change) => void events.backendChange(change, c.diagnostics));
      }
      return snapshotOf(c);
    },
    classifyBatch: (sources) => withPixels(sources, (s) => need().classifyBatch(s)),
    classifyBatchSettled: (sources) =>
      withPixels(sources, async (s) => classificationsToWire(await classifyBatchSettled(need(), s))),
    async whereMaps(sources) {
      const maps = await withPixels(sources, (s) => need().whereMaps(s));
      return transfer(maps, viewTransferables(maps.map((m) => m.values)));
    },
    async preprocessedInput(source) {
      const input = await withPixels([source], ([s]) => need().preprocessedInput(s as CellPixels));
      return transfer(input, viewTransferables([input]));
    },
    loseWebGLContextForTesting: () => need().loseWebGLContextForTesting(),
    tensorCount: () => (classifier ? classifier.tensorCount() : Promise.resolve(0)),
  };
}
