/**
 * Page-side orchestration of a whole-field analysis: decode (upright) → detection + crops in the
 * field worker → classification of the crops in chunks with the shipped classifier (yielding to the
 * event loop between chunks so the page stays responsive) → labelled cells and totals.
 */
import type { Classifier } from '../../core/model/classifier-types.js';
import { decodeImageFile } from '../decode/decode-image.js';
import type { Box, ClassifiedCell, FieldDetection, FieldTotals } from '../../core/field/field-types.js';
import { classifyDetected, fieldTotals } from '../../core/field/field-report.js';
import type { detectField, FieldDetected, FieldWorkerApi } from './field-detect.js';
import { ImageRejectedError } from '../../core/decode/image-format.js';
import { registerWorkerError, transfer, WorkerBridge } from '../worker-bridge/worker-bridge.js';
import { UserFacingError } from '../../core/shared/user-facing-error.js';
import { CELL_BATCH_SIZE } from '../../core/cells/batch-runner.js';
import type { FieldResult } from '../../core/slide/field-result.js';

export interface FieldAnalysis {
  name: string;
  width: number;
  height: number;
  cells: ClassifiedCell[];
  totals: FieldTotals;
  /** Masked crop per red cell id (what the classifier saw). */
  crops: Map<number, ImageData>;
  /** Where each crop sits in the upright full-resolution image, per red cell id. */
  cropBoxes: Map<number, Box>;
  /**
   * The upright full-resolution image, kept only when asked for (`keepFullImage`: slide sessions
   * cut the review crops from it); null otherwise. Caller closes it.
   */
  full: ImageBitmap | null;
  /** Downscaled upright field for display (long side ≤ DISPLAY_LONG_SIDE); caller closes it. */
  display: ImageBitmap;
  detection: FieldDetection;
  timings: { decodeMs: number; detectMs: number; classifyMs: number; totalMs: number };
  /** False when no classifier was available: red cells are then all Inconclusive. */
  classified: boolean;
}

export type FieldPhase = 'decoding' | 'detecting' | 'classifying';
export interface FieldProgress {
  phase: FieldPhase;
  done?: number;
  total?: number;
}

export const DISPLAY_LONG_SIDE = 2048;
const CHUNK = CELL_BATCH_SIZE;

export class NoCellsFoundError extends UserFacingError {
  override name = 'NoCellsFoundError';
  constructor() {
    super('no-cells', 'No cells found in this image. Check that it is a thin blood smear photographed through the microscope.');
  }
}

registerWorkerError('ImageRejectedError', ImageRejectedError);

function fieldWorkerSupported(): boolean {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function';
}

/** The page's side: field-detect.ts, imported only when the worker cannot be used. */
interface FieldDetectModule {
  detectField: typeof detectField;
}

let bridge: WorkerBridge<FieldWorkerApi, FieldDetectModule> | null = null;

/** The field worker, through the worker bridge: started on first use, terminated when idle. */
function fieldBridge(): WorkerBridge<FieldWorkerApi, FieldDetectModule> {
  bridge ??= new WorkerBridge({
    start: () => new Worker(new URL('./field.worker.ts', import.meta.url), { type: 'module' }),
    // No worker: the same detection on the page (loaded only then).
    page: () => import('./field-detect.js'),
    supported: fieldWorkerSupported,
    // Detection is one synchronous run: an aborted analysis can only be stopped by terminating it.
    abortTerminates: true,
  });
  return bridge;
}

function runDetection(bitmap: ImageBitmap, background: [number, number, number], signal?: AbortSignal): Promise<FieldDetected> {
  return fieldBridge().call(
    {
      // The bitmap is transferred, not copied (it is closed in the worker).
      worker: (api) => api.detect(transfer(bitmap, [bitmap]), background),
      page: async (page) => page.detectField(bitmap, background),
    },
    { signal },
  );
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function toBitmap(source: CanvasImageSource, width: number, height: number): Promise<ImageBitmap> {
  if (source instanceof ImageBitmap) return source;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(source, 0, 0);
  return createImageBitmap(canvas);
}

/**
 * Runs the whole pipeline on one photo. Throws ImageRejectedError / NoCellsFoundError on bad input,
 * and the signal's AbortError once `options.signal` is aborted (a busy field worker is terminated).
 */
export async function analyzeFieldImage(
  file: Blob,
  name: string,
  classifier: Classifier | null,
  onProgress: (p: FieldProgress) => void = () => {},
  options: { keepFullImage?: boolean; signal?: AbortSignal } = {},
): Promise<FieldAnalysis> {
  options.signal?.throwIfAborted();
  const t0 = performance.now();
  onProgress({ phase: 'decoding' });
  const decoded = await decodeImageFile(file);
  const { width, height } = decoded;
  let full: ImageBitmap;
  let display: ImageBitmap;
  let kept: ImageBitmap | null = null;
  try {
    full = await toBitmap(decoded.source as CanvasImageSource, width, height);
    // The worker takes `full` (transferred); a copy stays here only when the caller needs it.
    if (options.keepFullImage) kept = await createImageBitmap(full);
    const k = Math.min(1, DISPLAY_LONG_SIDE / Math.max(width, height));
    display = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(width * k)),
      resizeHeight: Math.max(1, Math.round(height * k)),
      resizeQuality: 'medium',
    });
  } catch (err) {
    decoded.close();
    throw err;
  }
  const tDecoded = performance.now();
  onProgress({ phase: 'detecting' });
  const background = classifier?.metadata.input.background ?? [0, 0, 0];
  let res: FieldDetected;
  try {
    res = await runDetection(full, [background[0], background[1], background[2]], options.signal);
  } catch (err) {
    display.close();
    kept?.close();
    throw err;
  } finally {
    decoded.close();
    full.close(); // already closed by detection, or detached by the transfer; not when aborted first
  }
  const t1 = performance.now();
  if (!res.detection.cells.some((c) => c.kind === 'red')) {
    display.close();
    kept?.close();
    throw new NoCellsFoundError();
  }
  const crops = new Map<number, ImageData>();
  const cropBoxes = new Map<number, Box>();
  for (const c of res.crops) {
    crops.set(c.id, new ImageData(new Uint8ClampedArray(c.pixels), c.width, c.height));
    cropBoxes.set(c.id, c.box);
  }
  const probs = new Map<number, number>();
  if (classifier) {
    const ids = [...crops.keys()];
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        options.signal?.throwIfAborted();
        onProgress({ phase: 'classifying', done: i, total: ids.length });
        const chunk = ids.slice(i, i + CHUNK);
        const preds = await classifier.classifyBatch(chunk.map((id) => crops.get(id)!));
        preds.forEach((p, j) => probs.set(chunk[j]!, p.probability));
        await yieldToPage();
      }
    } catch (err) {
      display.close();
      kept?.close();
      throw err;
    }
    onProgress({ phase: 'classifying', done: ids.length, total: ids.length });
  }
  const t2 = performance.now();
  const decision = classifier?.metadata.decision ?? { threshold: 0.5, inconclusive: { low: 0, high: 1 } };
  const cells = res.detection.cells.map((c) =>
    classifyDetected(c, c.kind === 'white' ? 0 : classifier ? probs.get(c.id) ?? null : null, decision),
  );
  return {
    name,
    width,
    height,
    cells,
    totals: fieldTotals(cells),
    crops,
    cropBoxes,
    full: kept,
    display,
    detection: res.detection,
    timings: {
      decodeMs: Math.round(tDecoded - t0 + res.decodeMs),
      detectMs: Math.round(t1 - tDecoded - res.decodeMs),
      classifyMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
    },
    classified: classifier !== null,
  };
}

/** The analysis as a slide-session FieldResult (src/core/slide/field-result.ts). */
export function toSessionFieldResult(a: FieldAnalysis): FieldResult {
  return {
    kind: 'field',
    name: a.name,
    width: a.width,
    height: a.height,
    cells: a.cells.map((c) => ({ x: c.x, y: c.y, box: { ...c.box }, label: c.label, probability: c.probability })),
  };
}
