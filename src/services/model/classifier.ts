/**
 * The cell classifier used by every view: loads metadata.json and the model from public/model/
 * (run on tfjs-core ops by src/core/model/cell-network.ts; the app does not load tfjs-layers),
 * picks the fastest working tfjs backend, warms it up, and classifies pixel sources with the shared
 * preprocessing (fromPixels → preprocessPixels → network → P(Parasitized)).
 * On WebGL context loss (or any WebGL failure at runtime) it reloads the weights on WASM and carries on.
 */
import * as tf from './tf.js';
import type { BackendName, CellPixels, CellPrediction, Classifier } from '../../core/model/classifier-types.js';
import { labelForProbability, parseModelMetadata, viewCountOf, type ModelMetadata } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { pixelsToTensor } from './pixels-to-tensor.js';
import { registerHeadGradients } from './head-gradients.js';
import { foldBatchNorms } from '../../core/model/optimize-model.js';
import { createCellNetwork, type CellNetwork } from '../../core/model/cell-network.js';
import { planNetwork } from '../../core/model/network-plan.js';
import { computeWhereMaps, type WhereMap } from '../../core/review/where-map.js';
import {
  medianTiming,
  nextBackendAfterFailure,
  pickFastest,
  planBackend,
  type BackendTiming,
} from '../../core/model/backend-select.js';
import {
  activateBackend,
  activeWebGLContext,
  configureWasmPaths,
  numTensors,
  probeDevice,
  wasmFeatures,
  type WasmFeatures,
} from './backend-runtime.js';
import { errorMessage } from '../../core/shared/error-message.js';
import { isUserFacingError } from '../../core/shared/user-facing-error.js';

export type LoadPhase = 'metadata' | 'weights' | 'backend' | 'warmup' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0–1 over the whole load. */
  fraction: number;
  message: string;
}

export interface LoadClassifierOptions {
  /** Base URL of the app (document.baseURI): model/ and tfjs-wasm/ are resolved against it. */
  baseUrl: string;
  /** Backend forced by ?backend=, or null to choose automatically. */
  forcedBackend: BackendName | null;
  onProgress?: (p: LoadProgress) => void;
}

export interface BackendChange {
  backend: BackendName;
  reason: string;
  at: string;
}

export interface ClassifierDiagnostics {
  backend: BackendName;
  backendReason: string;
  webglRenderer: string | null;
  wasm: WasmFeatures | null;
  crossOriginIsolated: boolean;
  raceTimings: BackendTiming[] | null;
  /** Load-time rewrites of the model for inference, e.g. "4 batch norm(s) folded into the layer before (ReLU fused into 4)". */
  modelOptimizations: string;
  history: BackendChange[];
  /** Where the model runs: in the classifier worker (classifier.worker.ts) or on the page (fallback). */
  thread: 'worker' | 'page';
  modelBytes: number;
  timings: { metadataMs: number; weightsMs: number; backendMs: number; warmupMs: number; totalMs: number };
}

/** A Classifier with the extras the app's diagnostics panel and test hooks need. */
export interface LoadedClassifier extends Classifier {
  readonly diagnostics: ClassifierDiagnostics;
  /** The exact float32 model input [H, W, 3] for one image (parity tests, debugging). */
  preprocessedInput(source: CellPixels): Promise<Float32Array>;
  /**
   * Where the model looked, per cell (the review screen's shading): one map on the model's input
   * grid per source, computed on the active backend (src/core/review/where-map.ts).
   */
  whereMaps(sources: readonly CellPixels[]): Promise<WhereMap[]>;
  /** Called after the classifier moved to another backend (context loss, runtime failure). */
  onBackendChange(listener: (change: BackendChange) => void): () => void;
  /** Test hook: forcibly loses the WebGL context (WEBGL_lose_context). False when not on WebGL. */
  loseWebGLContextForTesting(): Promise<boolean>;
  /** Live tensors in the tfjs engine that runs this classifier (diagnostics, leak checks). */
  tensorCount(): Promise<number>;
}

const WARMUP_RACE_BATCH = 8;
const WARMUP_RACE_RUNS = 3;

function now(): number {
  return performance.now();
}

function artifactBytes(a: tf.io.ModelArtifacts): number {
  const w = a.weightData;
  if (!w) return 0;
  return Array.isArray(w) ? w.reduce((s, b) => s + b.byteLength, 0) : w.byteLength;
}

/** One classification as `run` does it (all the model's views), so warm-up and the race time the real work. */
async function predictOnce(network: CellNetwork, input: tf.Tensor4D, meta: ModelMetadata): Promise<void> {
  const y = predictOverViews(input, viewCountOf(meta), (x) => network.predict(x));
  try {
    await y.data();
  } finally {
    y.dispose();
  }
}

/** Loads the weights on the active backend and runs one warm-up prediction. */
async function instantiate(artifacts: tf.io.ModelArtifacts, meta: ModelMetadata): Promise<CellNetwork> {
  const network = createCellNetwork(artifacts);
  const zeros = tf.zeros([1, meta.input.height, meta.input.width, 3]) as tf.Tensor4D;
  try {
    await predictOnce(network, zeros, meta);
  } catch (err) {
    network.dispose();
    throw err;
  } finally {
    zeros.dispose();
  }
  return network;
}

async function timeBackend(artifacts: tf.io.ModelArtifacts, meta: ModelMetadata): Promise<number> {
  const network = await instantiate(artifacts, meta);
  const input = tf.zeros([WARMUP_RACE_BATCH, meta.input.height, meta.input.width, 3]) as tf.Tensor4D;
  try {
    await predictOnce(network, input, meta); // compiles kernels/shaders for this batch size
    const times: number[] = [];
    for (let i = 0; i < WARMUP_RACE_RUNS; i++) {
      const t0 = now();
      await predictOnce(network, input, meta);
      times.push(now() - t0);
    }
    return medianTiming(times);
  } finally {
    input.dispose();
    network.dispose();
  }
}

class TfClassifier implements LoadedClassifier {
  private network: CellNetwork;
  private switching: Promise<void> = Promise.resolve();
  private contextLost = false;
  private readonly listeners = new Set<(c: BackendChange) => void>();
  private disposed = false;
  private currentBackend: BackendName;

  constructor(
    readonly metadata: ModelMetadata,
    private readonly artifacts: tf.io.ModelArtifacts,
    network: CellNetwork,
    backend: BackendName,
    readonly diagnostics: ClassifierDiagnostics,
  ) {
    this.network = network;
    this.currentBackend = backend;
    this.watchContextLoss();
  }

  get backend(): BackendName {
    return this.currentBackend;
  }

  onBackendChange(listener: (change: BackendChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private watchContextLoss(): void {
    const gl = activeWebGLContext();
    if (!gl) return;
    const canvas = gl.canvas as EventTarget;
    canvas.addEventListener(
      'webglcontextlost',
      () => {
        if (this.contextLost || this.disposed) return;
        this.contextLost = true;
        this.switching = this.fallBack('WebGL context lost');
      },
      { once: true },
    );
  }

  /** Moves to the next backend in the chain (WebGL → WASM → CPU) and reloads the weights there. */
  private async fallBack(reason: string): Promise<void> {
    await this.switching.catch(() => undefined);
    const from = this.currentBackend;
    try {
      this.network.dispose();
    } catch {
      /* the old context may be gone; nothing to free */
    }
    let next = nextBackendAfterFailure(from);
    while (next) {
      if (await activateBackend(next)) {
        try {
          this.network = await instantiate(this.artifacts, this.metadata);
          this.currentBackend = next;
          const change = { backend: next, reason: `${reason} (was ${from})`, at: new Date().toISOString() };
          this.diagnostics.backend = next;
          this.diagnostics.backendReason = change.reason;
          this.diagnostics.history.push(change);
          this.contextLost = false;
          for (const l of this.listeners) l(change);
          this.watchContextLoss();
          return;
        } catch {
          /* try the next one */
        }
      }
      next = nextBackendAfterFailure(next);
    }
    throw new Error(`no tfjs backend works after: ${reason}`);
  }

  private async run(sources: readonly CellPixels[]): Promise<CellPrediction[]> {
    if (sources.length === 0) return [];
    const { input, decision } = this.metadata;
    const out = tf.tidy(() => {
      const batch = tf.stack(sources.map((s) => preprocessPixels(pixelsToTensor(s), input))) as tf.Tensor4D;
      return predictOverViews(batch, viewCountOf(this.metadata), (x) => this.network.predict(x));
    });
    let probs: Float32Array;
    try {
      probs = (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
    return Array.from(probs, (p) => ({ probability: p, label: labelForProbability(p, decision) }));
  }

  async classifyBatch(sources: readonly CellPixels[]): Promise<CellPrediction[]> {
    if (this.disposed) throw new Error('classifier was disposed');
    await this.switching;
    try {
      return await this.run(sources);
    } catch (err) {
      // Lost/failed GPU: move down the chain once and retry; data problems rethrow on the new backend too.
      if (this.currentBackend === 'webgl' || this.contextLost) {
        if (!this.contextLost) {
          this.contextLost = true;
          this.switching = this.fallBack(`WebGL failed: ${errorMessage(err)}`);
        }
        await this.switching;
        return this.run(sources);
      }
      throw err;
    }
  }

  async classify(source: CellPixels): Promise<CellPrediction> {
    const [p] = await this.classifyBatch([source]);
    if (!p) throw new Error('no prediction');
    return p;
  }

  async whereMaps(sources: readonly CellPixels[]): Promise<WhereMap[]> {
    if (this.disposed) throw new Error('classifier was disposed');
    if (!sources.length) return [];
    await this.switching;
    const input = this.metadata.input;
    const batch = tf.tidy(
      () => tf.stack(sources.map((s) => preprocessPixels(pixelsToTensor(s), input))) as tf.Tensor4D,
    );
    try {
      return await computeWhereMaps(this.network, batch, viewCountOf(this.metadata));
    } finally {
      batch.dispose();
    }
  }

  async preprocessedInput(source: CellPixels): Promise<Float32Array> {
    return tf.tidy(() => preprocessPixels(pixelsToTensor(source), this.metadata.input).dataSync() as Float32Array);
  }

  async loseWebGLContextForTesting(): Promise<boolean> {
    const gl = activeWebGLContext();
    const ext = gl?.getExtension('WEBGL_lose_context');
    if (!ext) return false;
    ext.loseContext();
    return true;
  }

  async tensorCount(): Promise<number> {
    return numTensors();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.network.dispose();
  }
}

type Report = (p: LoadProgress) => void;

/** Step 1: the model's metadata.json, validated by the contract. */
async function fetchMetadata(baseUrl: string): Promise<ModelMetadata> {
  const metaUrl = new URL('model/metadata.json', baseUrl).href;
  const res = await fetch(metaUrl);
  if (!res.ok) throw new Error(`could not load ${metaUrl}: HTTP ${res.status}`);
  return parseModelMetadata(await res.json());
}

/** Step 2: the weights, with download progress; batch norms folded into the convolutions. */
async function downloadModel(baseUrl: string, report: Report) {
  const handler = tf.io.http(new URL('model/model.json', baseUrl).href, {
    onProgress: (f: number) =>
      report({ phase: 'weights', fraction: 0.05 + 0.75 * f, message: `Downloading model… ${Math.round(f * 100)} %` }),
  });
  if (!handler.load) throw new Error('tfjs http handler cannot load');
  const downloaded = await handler.load();
  // Same function, fewer kernels: batch norms folded into the convolutions (see optimize-model.ts).
  const { artifacts, folds } = foldBatchNorms(downloaded);
  // A topology the app cannot run is refused here, once, with its reason (a UserFacingError of kind
  // 'model'), not as "no backend could run the model" after trying each backend.
  planNetwork(artifacts.modelTopology);
  return { downloaded, artifacts, folds };
}

/** Step 3: the backends to try, in order (raced on this device when the plan says so). */
async function chooseBackendOrder(
  forcedBackend: LoadClassifierOptions['forcedBackend'],
  artifacts: tf.io.ModelArtifacts,
  metadata: ModelMetadata,
) {
  const probe = probeDevice(forcedBackend);
  const plan = planBackend(probe);
  if (plan.kind !== 'race') return { probe, order: plan.order, reason: plan.reason, raceTimings: null };
  const raceTimings: BackendTiming[] = [];
  for (const b of plan.candidates) {
    let ms = Number.POSITIVE_INFINITY;
    if (await activateBackend(b)) {
      try {
        ms = await timeBackend(artifacts, metadata);
      } catch {
        ms = Number.POSITIVE_INFINITY;
      }
    }
    raceTimings.push({ backend: b, ms });
  }
  const fastest = pickFastest(raceTimings);
  const order: BackendName[] = fastest
    ? [fastest, ...plan.candidates.filter((c) => c !== fastest), ...plan.fallback]
    : plan.fallback;
  const reason = `${plan.reason}: ${raceTimings.map((t) => `${t.backend} ${Number.isFinite(t.ms) ? t.ms.toFixed(1) + ' ms' : 'failed'}`).join(', ')}`;
  return { probe, order, reason, raceTimings };
}

/** Step 4: the model instantiated and warmed up on the first backend (in `order`) that runs it. */
async function instantiateOnFirstBackend(
  order: readonly BackendName[],
  artifacts: tf.io.ModelArtifacts,
  metadata: ModelMetadata,
) {
  const failures: string[] = [];
  for (const b of order) {
    if (!(await activateBackend(b))) {
      failures.push(`${b}: could not initialise`);
      continue;
    }
    try {
      return { network: await instantiate(artifacts, metadata), backend: b, failures };
    } catch (err) {
      // Weights that do not fit the network fail the same way on every backend.
      if (isUserFacingError(err, 'model')) throw err;
      failures.push(`${b}: ${errorMessage(err)}`);
    }
  }
  throw new Error(`no tfjs backend could run the model (${failures.join('; ')})`);
}

/** Loads metadata + model with progress, chooses a backend and warms it up. */
export async function loadClassifier(opts: LoadClassifierOptions): Promise<LoadedClassifier> {
  const report: Report = opts.onProgress ?? (() => undefined);
  const t0 = now();
  configureWasmPaths(opts.baseUrl);
  // Grad-CAM's gradients (whereMaps), not all of tfjs-core's: see head-gradients.ts.
  registerHeadGradients();

  report({ phase: 'metadata', fraction: 0, message: 'Reading model description…' });
  const metadata = await fetchMetadata(opts.baseUrl);
  const t1 = now();

  report({ phase: 'weights', fraction: 0.05, message: 'Downloading model…' });
  const { downloaded, artifacts, folds } = await downloadModel(opts.baseUrl, report);
  const t2 = now();

  report({ phase: 'backend', fraction: 0.8, message: 'Choosing the fastest engine for this device…' });
  const {
    probe,
    order,
    raceTimings,
    reason: planReason,
  } = await chooseBackendOrder(opts.forcedBackend, artifacts, metadata);
  const t3 = now();

  report({ phase: 'warmup', fraction: 0.9, message: 'Warming up…' });
  const { network, backend, failures } = await instantiateOnFirstBackend(order, artifacts, metadata);
  const reason = failures.length ? `${planReason} — fell back after ${failures.join('; ')}` : planReason;
  const t4 = now();

  const diagnostics: ClassifierDiagnostics = {
    backend,
    backendReason: reason,
    webglRenderer: probe.webglRenderer,
    wasm: backend === 'wasm' ? await wasmFeatures() : null,
    crossOriginIsolated: typeof crossOriginIsolated === 'boolean' ? crossOriginIsolated : false,
    raceTimings,
    modelOptimizations: folds.length
      ? `${folds.length} batch norm(s) folded into the layer before (ReLU fused into ${folds.filter((f) => f.relu).length})`
      : 'none',
    history: [{ backend, reason, at: new Date().toISOString() }],
    thread: typeof document === 'undefined' ? 'worker' : 'page',
    modelBytes: artifactBytes(downloaded),
    timings: { metadataMs: t1 - t0, weightsMs: t2 - t1, backendMs: t3 - t2, warmupMs: t4 - t3, totalMs: t4 - t0 },
  };
  report({ phase: 'ready', fraction: 1, message: 'Ready' });
  return new TfClassifier(metadata, artifacts, network, backend, diagnostics);
}
