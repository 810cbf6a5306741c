/**
 * What the classifier worker (classifier.worker.ts) and its page client (classifier-client.ts) say
 * to each other through the worker bridge, and the pure rules behind it: which buffers move instead
 * of being copied, how a batch's per-cell outcomes and errors cross, and how the page's snapshot of
 * the classifier (metadata, backend, diagnostics) follows backend changes and worker restarts.
 * No tfjs here: the page side of the worker must not load it.
 */
import type { ModelMetadata } from '@malaria/contract';
import {
  isRgbPixels,
  type BackendName,
  type CellPrediction,
  type RgbPixels,
} from '../../core/model/classifier-types.js';
import type { CellClassification } from '../../core/cells/classify-cells.js';
import type { WhereMap } from '../../core/review/where-map.js';
import { errorFromWire, errorToWire, type WireError } from '../worker-bridge/worker-errors.js';
import { isMovable } from './movable-pixels.js';
import type { BackendChange, ClassifierDiagnostics, LoadProgress } from './classifier.js';

/**
 * Pixels on their way to the worker. RGB pixels (decode worker output) move: their buffer is
 * transferred. A caller's ImageBitmap or ImageData is cloned (callers keep using theirs, e.g. the
 * session stores a downscaled copy of the bitmap after classifying it); an ImageBitmap the client
 * made itself (from an <img> or a canvas, which cannot be posted) is transferred.
 */
export type WirePixels = RgbPixels | ImageBitmap | ImageData;

/** What the page knows of the classifier in the worker without asking. */
export interface ClassifierSnapshot {
  metadata: ModelMetadata;
  backend: BackendName;
  diagnostics: ClassifierDiagnostics;
}

/** `LoadClassifierOptions` without the callback (which travels as a comlink proxy). */
export interface WorkerLoadOptions {
  baseUrl: string;
  forcedBackend: BackendName | null;
}

/** Callbacks the worker makes into the page (a comlink proxy of the page's object). */
export interface ClassifierEvents {
  progress(p: LoadProgress): void;
  backendChange(change: BackendChange, diagnostics: ClassifierDiagnostics): void;
}

/** One cell's outcome of a settled batch, as it crosses (errors keep their class name and fields). */
export type WireClassification = { ok: true; prediction: CellPrediction } | { ok: false; error: WireError };

/** What classifier.worker.ts exposes (reached as comlink's `Remote<ClassifierWorkerApi>`). */
export interface ClassifierWorkerApi {
  /** Loads the model in the worker (once; again after a restart) and answers the snapshot. */
  load(options: WorkerLoadOptions, events: ClassifierEvents): Promise<ClassifierSnapshot>;
  classifyBatch(sources: WirePixels[]): Promise<CellPrediction[]>;
  /** classifyBatchSettled (core/cells/classify-cells.ts) run in the worker, where the pixels are. */
  classifyBatchSettled(sources: WirePixels[]): Promise<WireClassification[]>;
  whereMaps(sources: WirePixels[]): Promise<WhereMap[]>;
  preprocessedInput(source: WirePixels): Promise<Float32Array>;
  loseWebGLContextForTesting(): Promise<boolean>;
  /** Live tensors in the worker's tfjs engine. */
  tensorCount(): Promise<number>;
}

/**
 * The buffer behind `view` when it may be transferred: a plain ArrayBuffer that the view spans
 * whole (transferring a buffer the view only partly covers would hand over bytes the caller did not
 * give; a SharedArrayBuffer or WebAssembly memory cannot be transferred). Null: clone instead.
 */
export function wholeBuffer(view: ArrayBufferView): ArrayBuffer | null {
  const b = view.buffer;
  if (!(b instanceof ArrayBuffer)) return null;
  return view.byteOffset === 0 && view.byteLength === b.byteLength && b.byteLength > 0 ? b : null;
}

/** RGB pixels whose buffer was already transferred away (to the worker, by an earlier call). */
export function isDetached(source: RgbPixels): boolean {
  return source.width * source.height > 0 && source.data.byteLength === 0;
}

/**
 * The transfer list for a call carrying `sources`: every RGB pixel buffer that may move (each once:
 * a list naming a buffer twice is refused by postMessage): one the pixels span whole, or one marked
 * movable (movable-pixels.ts: the decode worker's pooled buffers), and the bitmaps the client made
 * itself.
 */
export function pixelTransferables(
  sources: readonly WirePixels[],
  ownedBitmaps: ReadonlySet<WirePixels> = new Set(),
): Transferable[] {
  const out = new Set<Transferable>();
  for (const s of sources) {
    if (isRgbPixels(s)) {
      const b = wholeBuffer(s.data) ?? (isMovable(s.data.buffer) ? (s.data.buffer as ArrayBuffer) : null);
      if (b) out.add(b);
    } else if (ownedBitmaps.has(s)) out.add(s as ImageBitmap);
  }
  return [...out];
}

/** The buffers of where maps (or any arrays) that may move back to the page, each once. */
export function viewTransferables(views: readonly ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    const b = wholeBuffer(v);
    if (b) out.add(b);
  }
  return [...out];
}

export function classificationsToWire(results: readonly CellClassification[]): WireClassification[] {
  return results.map((r) => (r instanceof Error ? { ok: false, error: errorToWire(r) } : { ok: true, prediction: r }));
}

/** Back to predictions and Errors, one per source (a missing one is an Error, as in classifyBatchSettled). */
export function classificationsFromWire(wire: readonly WireClassification[], count: number): CellClassification[] {
  return Array.from({ length: count }, (_, i) => {
    const w = wire[i];
    if (!w) return new Error('no prediction');
    if (w.ok) return w.prediction;
    const err = errorFromWire(w.error);
    return err instanceof Error ? err : new Error(String(err));
  });
}

/** The snapshot after the worker's classifier moved to another backend (it sends its diagnostics along). */
export function withBackendChange(
  snapshot: ClassifierSnapshot,
  change: BackendChange,
  diagnostics: ClassifierDiagnostics,
): ClassifierSnapshot {
  return { ...snapshot, backend: change.backend, diagnostics };
}

/**
 * The snapshot after the worker was restarted (it crashed) and loaded the model again: the new
 * load's diagnostics, with the earlier history kept and the restart recorded as a backend change.
 */
export function afterRestart(
  previous: ClassifierSnapshot,
  fresh: ClassifierSnapshot,
  at: string,
): { snapshot: ClassifierSnapshot; change: BackendChange } {
  const change: BackendChange = {
    backend: fresh.backend,
    reason: `classifier worker restarted after a crash (was ${previous.backend}): ${fresh.diagnostics.backendReason}`,
    at,
  };
  return {
    change,
    snapshot: {
      ...fresh,
      diagnostics: {
        ...fresh.diagnostics,
        backendReason: change.reason,
        history: [...previous.diagnostics.history, change],
      },
    },
  };
}
