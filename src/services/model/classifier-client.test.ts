/**
 * The classifier client and the worker's API over a MessageChannel (comlink, the real worker bridge
 * and error transfer), with a fake LoadedClassifier in the "worker": what the page sees of a load,
 * of batches (transferred pixels, per-cell outcomes settled in the worker), of backend changes, of a
 * crash and of the page fallback. The real tfjs worker is covered by the e2e specs.
 */
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ModelMetadata } from '@malaria/contract';
import { exposeWorkerApi } from '../worker-bridge/expose-worker.js';
import { WorkerBridge, type WorkerEndpoint } from '../worker-bridge/worker-bridge.js';
import { classifyBatchSettled } from '../../core/cells/classify-cells.js';
import { rgbPixels } from '../../core/decode/rgb-pixels.js';
import type { BackendName, CellPixels, CellPrediction, RgbPixels } from '../../core/model/classifier-types.js';
import type { BackendChange, ClassifierDiagnostics, LoadedClassifier, LoadProgress } from './classifier.js';
import { connectClassifier, type ClassifierModule } from './classifier-client.js';
import { classifierWorkerApi } from './classifier-worker-api.js';
import type { ClassifierWorkerApi } from './classifier-protocol.js';

const idOf = (s: CellPixels) => (s as RgbPixels).data[0]!;
const cell = (i: number): RgbPixels => rgbPixels(new Float32Array([i, 0, 0, i, 0, 0]), 2, 1);

/** A classifier whose P(Parasitized) is the cell's first value / 100; cell 13 breaks the model. */
function fakeClassifier(thread: 'worker' | 'page', backend: BackendName = 'wasm') {
  const listeners = new Set<(c: BackendChange) => void>();
  const diagnostics = {
    backend,
    backendReason: 'test',
    thread,
    history: [{ backend, reason: 'test', at: 'then' }],
  } as unknown as ClassifierDiagnostics;
  const seen: number[][] = [];
  const predict = (s: CellPixels): CellPrediction => {
    if (idOf(s) === 13) throw new Error('cell 13 broke the model');
    return { probability: idOf(s) / 100, label: 'Uninfected' };
  };
  const c: LoadedClassifier & { current: BackendName; change(to: BackendName): void; disposed: boolean } = {
    metadata: { name: 'fake-model' } as ModelMetadata,
    current: backend,
    get backend() {
      return this.current;
    },
    diagnostics,
    disposed: false,
    classifyBatch: async (sources) => {
      seen.push(sources.map(idOf));
      return sources.map(predict);
    },
    classify: async (s) => {
      seen.push([idOf(s)]);
      return predict(s);
    },
    whereMaps: async (sources) => sources.map((s) => ({ width: 1, height: 1, values: new Uint8Array([idOf(s)]) })),
    preprocessedInput: async (s) => (s as RgbPixels).data.map((v) => v * 2),
    onBackendChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    loseWebGLContextForTesting: async () => {
      c.change('wasm');
      return true;
    },
    tensorCount: async () => 7,
    dispose: () => {
      c.disposed = true;
    },
    change(to) {
      const change = { backend: to, reason: `moved to ${to}`, at: 'now' };
      c.current = to;
      diagnostics.backend = to;
      diagnostics.history.push(change);
      for (const l of listeners) l(change);
    },
  };
  return { classifier: c, seen };
}

interface FakeWorker extends WorkerEndpoint, Pick<EventTarget, 'dispatchEvent'> {
  terminate: Mock<() => void>;
}
const open: MessagePort[] = [];
function fakeWorker(api: ClassifierWorkerApi): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  exposeWorkerApi(api, port2 as unknown as WorkerEndpoint);
  const endpoint = port1 as unknown as FakeWorker;
  endpoint.terminate = vi.fn<() => void>(() => {
    port1.close();
    port2.close();
  });
  return endpoint;
}

/** A bridge whose "workers" each load a fresh fake classifier; the page side loads another one. */
function setup(options: { startThrows?: boolean; loadFails?: boolean } = {}) {
  const inWorker: ReturnType<typeof fakeClassifier>[] = [];
  const workers: FakeWorker[] = [];
  const progress: LoadProgress[] = [];
  const onPage = fakeClassifier('page');
  const page: ClassifierModule = { loadClassifier: async () => onPage.classifier };
  const bridge = new WorkerBridge<ClassifierWorkerApi, ClassifierModule>({
    start: () => {
      if (options.startThrows) throw new Error('no Worker here');
      const w = fakeWorker(
        classifierWorkerApi(async (o) => {
          o.onProgress?.({ phase: 'weights', fraction: 0.5, message: 'Downloading model… 50 %' });
          if (options.loadFails) throw new Error('could not load model/metadata.json: HTTP 404');
          const f = fakeClassifier('worker');
          inWorker.push(f);
          return f.classifier;
        }),
      );
      workers.push(w);
      return w;
    },
    page: () => page,
    idleMs: Infinity,
  });
  const load = () =>
    connectClassifier(bridge, { baseUrl: 'http://x/', forcedBackend: null, onProgress: (p) => progress.push(p) });
  return { bridge, load, inWorker, workers, progress, onPage };
}

afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

describe('classifier client (worker side through the bridge)', () => {
  it('loads in the worker with progress, and classifies with the pixels moved there', async () => {
    const s = setup();
    const c = await s.load();
    // Progress comes on its own channel (a comlink proxy), so it may land after the load's answer.
    await vi.waitFor(() =>
      expect(s.progress).toEqual([{ phase: 'weights', fraction: 0.5, message: 'Downloading model… 50 %' }]),
    );
    expect(c.metadata.name).toBe('fake-model');
    expect(c.backend).toBe('wasm');
    expect(c.diagnostics.thread).toBe('worker');
    const cells = [cell(1), cell(2)];
    expect((await c.classifyBatch(cells)).map((p) => p.probability)).toEqual([0.01, 0.02]);
    expect(s.inWorker[0]!.seen).toEqual([[1, 2]]);
    // Transferred, not copied: the page's buffers are empty now, and a second use says why.
    expect(cells.map((x) => x.data.byteLength)).toEqual([0, 0]);
    await expect(c.classify(cells[0]!)).rejects.toThrow('already handed to the classifier worker');
    expect(await c.tensorCount()).toBe(7);
    c.dispose();
    expect(s.workers[0]!.terminate).toHaveBeenCalledTimes(1);
  });

  it('settles a batch in the worker: the cell that breaks the model gets its error, the others their predictions', async () => {
    const s = setup();
    const c = await s.load();
    const out = await classifyBatchSettled(c, [cell(12), cell(13), cell(14)]);
    expect(out.map((p) => (p instanceof Error ? p.message : p.probability))).toEqual([
      0.12,
      'cell 13 broke the model',
      0.14,
    ]);
    // One forward pass, then one by one, all in the worker.
    expect(s.inWorker[0]!.seen).toEqual([[12, 13, 14], [12], [13], [14]]);
    c.dispose();
  });

  it('brings where maps and model inputs back, and follows backend changes made in the worker', async () => {
    const s = setup();
    const c = await s.load();
    const maps = await c.whereMaps([cell(3), cell(4)]);
    expect(maps.map((m) => Array.from(m.values))).toEqual([[3], [4]]);
    const five = cell(5);
    expect(Array.from(await c.preprocessedInput(five))).toEqual([10, 0, 0, 10, 0, 0]);
    expect(five.data.byteLength).toBe(0); // moved to the worker, as batches are
    const changes: BackendChange[] = [];
    c.onBackendChange((ch) => changes.push(ch));
    s.inWorker[0]!.classifier.change('webgl');
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect(c.backend).toBe('webgl');
    expect(c.diagnostics.history.at(-1)).toMatchObject({ backend: 'webgl', reason: 'moved to webgl' });
    expect(await c.loseWebGLContextForTesting()).toBe(true);
    await vi.waitFor(() => expect(changes.map((ch) => ch.backend)).toEqual(['webgl', 'wasm']));
    c.dispose();
  });

  it('after a crash: the batch in flight gets the error per cell, the next call loads the model in a new worker', async () => {
    const s = setup();
    const c = await s.load();
    const changes: BackendChange[] = [];
    c.onBackendChange((ch) => changes.push(ch));
    // A batch that never answers, then the worker dies.
    s.inWorker[0]!.classifier.classifyBatch = () => new Promise(() => undefined);
    const inFlight = classifyBatchSettled(c, [cell(1), cell(2)]);
    await vi.waitFor(() => expect(s.inWorker[0]!.seen).toEqual([]));
    s.workers[0]!.dispatchEvent(new Event('error'));
    const failed = await inFlight;
    expect(failed.map((e) => (e as Error).name)).toEqual(['WorkerCrashedError', 'WorkerCrashedError']);
    expect((await c.classify(cell(30))).probability).toBe(0.3);
    expect(s.workers).toHaveLength(2);
    expect(s.inWorker).toHaveLength(2);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reason).toMatch(/^classifier worker restarted after a crash \(was wasm\)/);
    expect(c.diagnostics.history.map((h) => h.reason).at(-1)).toBe(changes[0]!.reason);
    c.dispose();
  });

  it('a failed load rejects with its message and stops the worker', async () => {
    const s = setup({ loadFails: true });
    await expect(s.load()).rejects.toThrow('could not load model/metadata.json: HTTP 404');
    expect(s.workers[0]!.terminate).toHaveBeenCalledTimes(1);
  });

  it('where the worker cannot start, the classifier is loaded on the page and returned as it is', async () => {
    const s = setup({ startThrows: true });
    const c = await s.load();
    expect(c).toBe(s.onPage.classifier);
    expect(c.diagnostics.thread).toBe('page');
    expect(s.bridge.mode).toBe('page');
  });
});
