/**
 * The page's classifier: a thin `LoadedClassifier` whose work runs in the classifier worker
 * (classifier.worker.ts) through the worker bridge, so that loading tfjs and the model, warming up,
 * classifying batches and computing where maps never block the main thread (docs/performance.md).
 * The page does not import tfjs on this path.
 *
 * - **Fallback**: where there is no `Worker` or no `OffscreenCanvas` (tfjs' WebGL backend in a
 *   worker draws on one), or the worker fails to start, `loadClassifierClient` loads the classifier
 *   on the page as before (`loadClassifier`, the bridge's page side) and returns it as it is.
 * - **Pixels**: RGB pixels (the decode worker's output) are transferred: after the call their buffer
 *   belongs to the worker (a second use throws). A caller's ImageBitmap or ImageData is cloned, since
 *   callers keep them (the session stores a copy of the bitmap, a field's crops get where maps later);
 *   at cell size (≈ 140 × 140) a clone is a memcpy of ≈ 80 kB. Anything else (an <img>, a canvas)
 *   becomes an ImageBitmap here, which is transferred.
 * - **Batches settle in the worker** (`classifyBatchSettled`): after a failed forward pass the cells
 *   are classified one by one where their pixels are, since the page no longer has them.
 * - **Events**: load progress and backend changes (WebGL context lost in the worker → WASM) arrive
 *   through a comlink proxy; the page keeps a snapshot (metadata, backend, diagnostics).
 * - **Lifetime**: the worker holds the loaded model, so it is not terminated when idle. If it
 *   crashes, calls in flight fail (their cells get the error), and the next call starts a new worker
 *   that loads the model again (recorded as a backend change).
 */
import { isRgbPixels, type CellPixels, type CellPrediction } from '../../core/model/classifier-types.js';
import {
  classifyBatchSettled,
  type CellClassification,
  type SettlingClassifier,
} from '../../core/cells/classify-cells.js';
import type { WhereMap } from '../../core/review/where-map.js';
import { parseBackendParam } from '../../core/model/backend-select.js';
import { proxy, transfer, WorkerBridge, type BridgeMode, type Remote } from '../worker-bridge/worker-bridge.js';
import {
  afterRestart,
  classificationsFromWire,
  isDetached,
  pixelTransferables,
  withBackendChange,
  type ClassifierEvents,
  type ClassifierSnapshot,
  type ClassifierWorkerApi,
  type WirePixels,
  type WorkerLoadOptions,
} from './classifier-protocol.js';
import type {
  BackendChange,
  ClassifierDiagnostics,
  loadClassifier,
  LoadClassifierOptions,
  LoadedClassifier,
  LoadProgress,
} from './classifier.js';

/** The page side of the bridge: the classifier module itself, imported only when it is needed. */
export interface ClassifierModule {
  loadClassifier: typeof loadClassifier;
}
type Api = Remote<ClassifierWorkerApi>;

/** The classifier worker needs a Worker, and OffscreenCanvas for WebGL (and bitmaps) inside it. */
export function classifierWorkerSupported(): boolean {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function';
}

/** Pixels ready to post, and what moves rather than being copied. */
interface Outgoing {
  pixels: WirePixels[];
  transfer: Transferable[];
}

function isBitmap(s: unknown): s is ImageBitmap {
  return typeof ImageBitmap !== 'undefined' && s instanceof ImageBitmap;
}

function isImageData(s: unknown): s is ImageData {
  return typeof ImageData !== 'undefined' && s instanceof ImageData;
}

async function outgoing(sources: readonly CellPixels[]): Promise<Outgoing> {
  const owned = new Set<WirePixels>();
  try {
    const pixels = await Promise.all(
      sources.map(async (s): Promise<WirePixels> => {
        if (isRgbPixels(s)) {
          if (isDetached(s)) throw new Error('These pixels were already handed to the classifier worker.');
          return s;
        }
        if (isBitmap(s) || isImageData(s)) return s;
        // An <img>, a canvas or a video frame cannot be posted; a bitmap of it can (and is ours to move).
        const bitmap = await createImageBitmap(s as ImageBitmapSource);
        owned.add(bitmap);
        return bitmap;
      }),
    );
    return { pixels, transfer: pixelTransferables(pixels, owned) };
  } catch (err) {
    for (const b of owned) (b as ImageBitmap).close();
    throw err;
  }
}

/** Sends `sources` to the worker: the pixel array goes with its transfer list. */
async function send<R>(sources: readonly CellPixels[], post: (pixels: WirePixels[]) => Promise<R>): Promise<R> {
  const out = await outgoing(sources);
  return post(transfer(out.pixels, out.transfer));
}

class WorkerClassifier implements LoadedClassifier, SettlingClassifier {
  private snapshot: ClassifierSnapshot;
  /** The worker (its remote) the model is loaded in; another one (after a crash) loads it again. */
  private loadedIn: Api;
  private reload: { api: Api; done: Promise<void> } | null = null;
  private onPage: Promise<LoadedClassifier> | null = null;
  private readonly listeners = new Set<(change: BackendChange) => void>();
  private disposed = false;

  constructor(
    private readonly bridge: WorkerBridge<ClassifierWorkerApi, ClassifierModule>,
    private readonly options: LoadClassifierOptions,
    private readonly events: ClassifierEvents,
    api: Api,
    snapshot: ClassifierSnapshot,
  ) {
    this.loadedIn = api;
    this.snapshot = snapshot;
  }

  get metadata() {
    return this.snapshot.metadata;
  }

  get backend() {
    return this.snapshot.backend;
  }

  get diagnostics(): ClassifierDiagnostics {
    return this.snapshot.diagnostics;
  }

  /** 'worker', or 'page' once the bridge fell back (a restarted worker that could not start). */
  get mode(): BridgeMode {
    return this.bridge.mode;
  }

  onBackendChange(listener: (change: BackendChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** From the worker (through `events`): its classifier moved to another backend. */
  backendChanged(change: BackendChange, diagnostics: ClassifierDiagnostics): void {
    if (this.disposed) return;
    this.snapshot = withBackendChange(this.snapshot, change, diagnostics);
    for (const l of this.listeners) l(change);
  }

  /** Makes sure the model is loaded in the worker behind `api` (a new one after a crash). */
  private async loadedFor(api: Api): Promise<void> {
    if (api === this.loadedIn) return;
    if (this.reload?.api !== api) {
      const done = api.load(wireOptions(this.options), proxy(this.events)).then((fresh) => {
        this.loadedIn = api;
        const { snapshot, change } = afterRestart(this.snapshot, fresh, new Date().toISOString());
        this.snapshot = snapshot;
        for (const l of this.listeners) l(change);
      });
      this.reload = { api, done };
      done.catch(() => {
        if (this.reload?.api === api) this.reload = null;
      });
    }
    await this.reload.done;
  }

  /** The classifier on the page, loaded the first time the bridge runs a call there. */
  private pageClassifier(m: ClassifierModule): Promise<LoadedClassifier> {
    this.onPage ??= m.loadClassifier({ ...this.options, onProgress: undefined }).then((c) => {
      c.onBackendChange((change) => this.backendChanged(change, c.diagnostics));
      this.snapshot = { metadata: c.metadata, backend: c.backend, diagnostics: c.diagnostics };
      return c;
    });
    this.onPage.catch(() => (this.onPage = null));
    return this.onPage;
  }

  private run<R>(worker: (api: Api) => Promise<R>, page: (c: LoadedClassifier) => Promise<R>): Promise<R> {
    if (this.disposed) return Promise.reject(new Error('classifier was disposed'));
    return this.bridge.call({
      worker: async (api) => {
        await this.loadedFor(api);
        return worker(api);
      },
      page: async (m) => page(await this.pageClassifier(m)),
    });
  }

  classifyBatch(sources: readonly CellPixels[]): Promise<CellPrediction[]> {
    if (!sources.length) return Promise.resolve([]);
    return this.run(
      (api) => send(sources, (p) => api.classifyBatch(p)),
      (c) => c.classifyBatch(sources),
    );
  }

  async classifyBatchSettled(sources: readonly CellPixels[]): Promise<CellClassification[]> {
    if (!sources.length) return [];
    try {
      return await this.run(
        async (api) => classificationsFromWire(await send(sources, (p) => api.classifyBatchSettled(p)), sources.length),
        (c) => classifyBatchSettled(c, sources),
      );
    } catch (err) {
      // The worker crashed, the pixels could not be sent…: every cell of this batch gets the error.
      const e = err instanceof Error ? err : new Error(String(err));
      return sources.map(() => e);
    }
  }

  async classify(source: CellPixels): Promise<CellPrediction> {
    const [p] = await this.classifyBatch([source]);
    if (!p) throw new Error('no prediction');
    return p;
  }

  whereMaps(sources: readonly CellPixels[]): Promise<WhereMap[]> {
    if (!sources.length) return Promise.resolve([]);
    return this.run(
      (api) => send(sources, (p) => api.whereMaps(p)),
      (c) => c.whereMaps(sources),
    );
  }

  preprocessedInput(source: CellPixels): Promise<Float32Array> {
    return this.run(
      async (api) => {
        const out = await outgoing([source]);
        // The transfer list goes with the object posted: here the one source, not an array.
        return api.preprocessedInput(transfer(out.pixels[0] as WirePixels, out.transfer));
      },
      (c) => c.preprocessedInput(source),
    );
  }

  loseWebGLContextForTesting(): Promise<boolean> {
    return this.run(
      (api) => api.loseWebGLContextForTesting(),
      (c) => c.loseWebGLContextForTesting(),
    );
  }

  tensorCount(): Promise<number> {
    return this.run(
      (api) => api.tensorCount(),
      (c) => c.tensorCount(),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    this.bridge.dispose(); // terminates the worker, and its tfjs, model and backends with it
    void this.onPage?.then((c) => c.dispose());
  }
}

function wireOptions(o: LoadClassifierOptions): WorkerLoadOptions {
  return { baseUrl: o.baseUrl, forcedBackend: o.forcedBackend };
}

type FirstLoad =
  { where: 'worker'; api: Api; snapshot: ClassifierSnapshot } | { where: 'page'; classifier: LoadedClassifier };

export type ClassifierBridge = WorkerBridge<ClassifierWorkerApi, ClassifierModule>;

/** The bridge to a new classifier worker, with the page (`loadClassifier`) as its fallback. */
export function createClassifierBridge(): ClassifierBridge {
  return new WorkerBridge<ClassifierWorkerApi, ClassifierModule>({
    start: () => new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module', name: 'classifier' }),
    page: () => import('./classifier.js'),
    supported: classifierWorkerSupported,
    // The worker holds the loaded model: terminating it when idle would mean loading it again.
    idleMs: Infinity,
  });
}

/**
 * Loads the classifier through `bridge`: in the worker (progress reported as `loadClassifier`
 * reports it), or on the page where the worker cannot run (see the module comment), in which case
 * the page's classifier is returned as it is. Rejects with the load's error; the bridge (and its
 * worker) is then disposed, so a retry starts a new one.
 */
export async function connectClassifier(
  bridge: ClassifierBridge,
  options: LoadClassifierOptions,
): Promise<LoadedClassifier> {
  let client: WorkerClassifier | null = null;
  const events: ClassifierEvents = {
    progress: (p) => options.onProgress?.(p),
    backendChange: (change, diagnostics) => client?.backendChanged(change, diagnostics),
  };
  let first: FirstLoad;
  try {
    first = await bridge.call<FirstLoad>({
      worker: async (api) => ({
        where: 'worker',
        api,
        snapshot: await api.load(wireOptions(options), proxy(events)),
      }),
      page: async (m) => ({ where: 'page', classifier: await m.loadClassifier(options) }),
    });
  } catch (err) {
    bridge.dispose();
    throw err;
  }
  if (first.where === 'page') {
    bridge.dispose();
    return first.classifier;
  }
  client = new WorkerClassifier(bridge, options, events, first.api, first.snapshot);
  return client;
}

interface EarlyLoad {
  baseUrl: string;
  forcedBackend: LoadClassifierOptions['forcedBackend'];
  loaded: Promise<LoadedClassifier>;
  /** The latest progress, replayed to the app when it takes this load. */
  last: LoadProgress | null;
  listener: ((p: LoadProgress) => void) | null;
}

let early: EarlyLoad | null = null;
/** Set by the app's own load: a prestart after it would start a second worker nobody takes. */
let appLoadStarted = false;

/**
 * Starts loading the classifier in its worker before <malaria-app> exists (src/main.ts, with the
 * shell's first frame; `search` is `location.search`, whose `?backend=` the app reads too): tfjs, the model, the backend and the warm-up proceed while the page waits
 * for the shell's paint to be recorded as the largest contentful paint before the app may replace
 * it (docs/performance.md, step 7). The next loadClassifierClient with the same options takes this
 * load (and its progress). Nothing happens where the worker cannot run: the classifier then loads
 * on the page after the app's first frame, as before.
 */
export function prestartClassifier(baseUrl: string, search: string): void {
  if (early || appLoadStarted || !classifierWorkerSupported()) return;
  const forcedBackend = parseBackendParam(search);
  const load: EarlyLoad = {
    baseUrl,
    forcedBackend,
    loaded: Promise.resolve(null as never),
    last: null,
    listener: null,
  };
  load.loaded = connectClassifier(createClassifierBridge(), {
    baseUrl,
    forcedBackend,
    onProgress: (p) => {
      load.last = p;
      load.listener?.(p);
    },
  });
  // Reported by the app when it takes this load (an unhandled rejection until then otherwise).
  load.loaded.catch(() => undefined);
  early = load;
}

/** The app's classifier: in the classifier worker where it can run, else on the page. */
export function loadClassifierClient(options: LoadClassifierOptions): Promise<LoadedClassifier> {
  appLoadStarted = true;
  const load = early;
  early = null;
  if (load && load.baseUrl === options.baseUrl && load.forcedBackend === options.forcedBackend) {
    load.listener = options.onProgress ?? null;
    if (load.last) options.onProgress?.(load.last);
    return load.loaded;
  }
  // Not the load that was started early (other options): it is not used.
  load?.loaded.then((c) => c.dispose()).catch(() => undefined);
  return connectClassifier(createClassifierBridge(), options);
}
