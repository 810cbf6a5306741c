/**
 * Page-side orchestration of a whole-field analysis, in four named steps: decode (upright) →
 * detection + crops in the field worker → classification of the crops in CELL_BATCH_SIZE batches
 * with the shipped classifier (crop-classification.ts: a batch starts as soon as its crops arrive
 * from the worker, so classification overlaps the cutting of later crops; yielding to the event
 * loop between batches so the page stays responsive) → labelled cells and totals.
 */
import type { Classifier } from '../../core/model/classifier-types.js';
import { decodeImageFile, type DecodedImage } from '../decode/decode-image.js';
import { canvas2d } from '../canvas.js';
import type { Box, ClassifiedCell, FieldDetection } from '../../core/field/field-types.js';
import { classifyDetected } from '../../core/field/field-report.js';
import { countArtefacts, countCells, type CellCounts } from '../../core/cells/cell-counts.js';
import type {
  detectField,
  DisplaySize,
  FieldDetected,
  FieldWorkerApi,
  PixelsRead,
  TransferredCrop,
} from './field-detect.js';
import { CropClassification } from './crop-classification.js';
import { ImageRejectedError } from '../../core/decode/image-format.js';
import { proxy, registerWorkerError, transfer, WorkerBridge } from '../worker-bridge/worker-bridge.js';
import { UserFacingError } from '../../core/shared/user-facing-error.js';
import type { FieldResult } from '../../core/slide/field-result.js';

export interface FieldAnalysis {
  name: string;
  width: number;
  height: number;
  cells: ClassifiedCell[];
  /** The field's counts (countCells); the export renames them (field-report.ts). */
  totals: CellCounts;
  /** Detections that are not red cells (platelets, debris, fragments): in no count of `totals`. */
  artefacts: number;
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
  /** classifyMs: classification after detection ended (batches that ran while crops were cut are in detectMs). */
  timings: { decodeMs: number; detectMs: number; classifyMs: number; totalMs: number };
  /** How the field worker read the photo's pixels (a technical detail, shown with the timings). */
  pixelsRead: PixelsRead;
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

export class NoCellsFoundError extends UserFacingError {
  override name = 'NoCellsFoundError';
  constructor() {
    super(
      'no-cells',
      'No cells found in this image. Check that it is a thin blood smear photographed through the microscope.',
    );
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

function runDetection(
  bitmap: ImageBitmap,
  background: [number, number, number],
  onCrops: (crops: TransferredCrop[]) => void,
  displaySize: DisplaySize,
  signal?: AbortSignal,
): Promise<FieldDetected> {
  return fieldBridge().call(
    {
      // The bitmap is transferred, not copied (it is closed in the worker).
      worker: (api) => api.detect(transfer(bitmap, [bitmap]), background, proxy(onCrops), displaySize),
      page: (page) => page.detectField(bitmap, background, onCrops, displaySize),
    },
    { signal },
  );
}

/** An upright field as bitmaps: `full` goes to the field worker, `kept` stays for the caller. */
interface DecodedField {
  width: number;
  height: number;
  full: ImageBitmap;
  /** A copy of `full` for the caller (`keepFullImage`), else null. */
  kept: ImageBitmap | null;
  /** Size of the display copy, which the field worker makes from `full` after the crops. */
  displaySize: DisplaySize;
  close(): void;
}

async function toBitmap(source: CanvasImageSource, width: number, height: number): Promise<ImageBitmap> {
  if (source instanceof ImageBitmap) return source;
  const ctx = canvas2d(width, height);
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(source, 0, 0);
  return createImageBitmap(ctx.canvas);
}

/**
 * Step 1, decode: the upright image and (when asked) a full-resolution copy. The display copy is
 * made by the field worker after the crops (`displaySize`), off the page's main thread.
 */
async function decodeField(file: Blob, keepFullImage: boolean, given?: DecodedImage): Promise<DecodedField> {
  const decoded = given ?? (await decodeImageFile(file));
  const { width, height } = decoded;
  let kept: ImageBitmap | null = null;
  try {
    const full = await toBitmap(decoded.source as CanvasImageSource, width, height);
    // The worker takes `full` (transferred); a copy stays here only when the caller needs it.
    if (keepFullImage) kept = await createImageBitmap(full);
    const k = Math.min(1, DISPLAY_LONG_SIDE / Math.max(width, height));
    return {
      width,
      height,
      full,
      kept,
      displaySize: { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) },
      close: () => {
        decoded.close();
        full.close(); // already closed by detection, or detached by the transfer; not when aborted first
      },
    };
  } catch (err) {
    kept?.close();
    decoded.close();
    throw err;
  }
}

/**
 * Steps 2 and 3, detect and classify: cells and masked crops of the red ones in the field worker
 * (it takes `full`); the crops reach `crops` as they are cut, which classifies them in
 * CELL_BATCH_SIZE batches meanwhile (a crop the model cannot take is classified alone and left
 * unclassified).
 */
async function detectFieldCells(
  field: DecodedField,
  classifier: Classifier | null,
  crops: CropClassification,
  signal?: AbortSignal,
): Promise<FieldDetected> {
  const background = classifier?.metadata.input.background ?? [0, 0, 0];
  try {
    const res = await runDetection(
      field.full,
      [background[0], background[1], background[2]],
      (chunk) => crops.add(chunk),
      field.displaySize,
      signal,
    );
    await crops.received(res.streamed);
    crops.add(res.crops);
    return res;
  } finally {
    field.close();
  }
}

/** Step 4, assemble: labelled cells (white cells and artefacts are not classified), totals, crops. */
function assembleCells(
  res: FieldDetected,
  classifier: Classifier | null,
  probs: ReadonlyMap<number, number | null>,
): ClassifiedCell[] {
  const decision = classifier?.metadata.decision ?? { threshold: 0.5, inconclusive: { low: 0, high: 1 } };
  return res.detection.cells.map((c) =>
    classifyDetected(c, c.kind !== 'red' ? 0 : classifier ? (probs.get(c.id) ?? null) : null, decision),
  );
}

/**
 * Runs the whole pipeline on one photo. Throws ImageRejectedError / NoCellsFoundError on bad input,
 * and the signal's AbortError once `options.signal` is aborted (a busy field worker is terminated).
 * `options.decoded`: `file` already decoded (decodeImageFile) by the caller, who hands it over
 * (it is closed here, whatever happens).
 */
export async function analyzeFieldImage(
  file: Blob,
  name: string,
  classifier: Classifier | null,
  onProgress: (p: FieldProgress) => void = () => {},
  options: { keepFullImage?: boolean; signal?: AbortSignal; decoded?: DecodedImage } = {},
): Promise<FieldAnalysis> {
  try {
    options.signal?.throwIfAborted();
  } catch (err) {
    options.decoded?.close();
    throw err;
  }
  const t0 = performance.now();
  onProgress({ phase: 'decoding' });
  const field = await decodeField(file, !!options.keepFullImage, options.decoded);
  const { width, height, kept } = field;
  const tDecoded = performance.now();
  const classifying = new CropClassification(classifier, options.signal);
  let display: ImageBitmap | null = null;
  try {
    onProgress({ phase: 'detecting' });
    const res = await detectFieldCells(field, classifier, classifying, options.signal);
    display = res.display;
    if (!display) throw new Error('The field worker returned no display copy');
    const t1 = performance.now();
    if (!res.detection.cells.some((c) => c.kind === 'red')) throw new NoCellsFoundError();
    const { crops, cropBoxes } = classifying;
    const probs = await classifying.finish(({ done, total }) => onProgress({ phase: 'classifying', done, total }));
    const t2 = performance.now();
    const cells = assembleCells(res, classifier, probs);
    return {
      name,
      width,
      height,
      cells,
      totals: countCells(cells),
      artefacts: countArtefacts(cells),
      crops,
      cropBoxes,
      full: kept,
      display,
      detection: res.detection,
      // The display copy (made in the worker after the crops) still counts as decoding.
      timings: {
        decodeMs: Math.round(tDecoded - t0 + res.decodeMs + res.displayMs),
        detectMs: Math.round(t1 - tDecoded - res.decodeMs - res.displayMs),
        classifyMs: Math.round(t2 - t1),
        totalMs: Math.round(t2 - t0),
      },
      pixelsRead: res.pixelsRead,
      classified: classifier !== null,
    };
  } catch (err) {
    classifying.cancel();
    display?.close();
    kept?.close();
    throw err;
  }
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
