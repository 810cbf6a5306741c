/**
 * The contract between training and the app: everything needed to turn pixels into a model input
 * and a probability into a decision. Written by `training/src/export.ts`, read by the app and by
 * training's evaluation. One source of truth; no constant here is copied into other code.
 */
import type { ModelLabel } from './labels.js';

export interface ResizeSpec {
  method: 'bilinear';
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export interface InputSpec {
  width: number;
  height: number;
  channels: 3;
  channelOrder: 'RGB';
  /** Whole image is stretched to width × height (NIH crops are near-square). */
  aspect: 'stretch';
  resize: ResizeSpec;
  /** model input = pixel (0–255) × scale + offset, applied after resizing. */
  scale: number;
  offset: number;
  /** Colour outside the cell outline in the training crops. */
  background: [number, number, number];
}

export interface DecisionSpec {
  /** P(Parasitized) ≥ threshold → Parasitized. Chosen on the validation split. */
  threshold: number;
  /** low < P < high → Inconclusive. Chosen on the validation split. */
  inconclusive: { low: number; high: number };
}

export interface SlideVerdictRule {
  /** A cell counts as "confidently parasitized" when P(Parasitized) ≥ this. */
  confidentProbability: number;
  /** Positive when at least this many cells are confidently parasitized… */
  minParasitizedCells: number;
  /** …and they are at least this fraction of the counted red cells. */
  minParasitizedFraction: number;
  /** Fewer red cells than this → Inconclusive. */
  minCellsForNegative: number;
  description: string;
  validation?: { patients: number; sensitivity: number; specificity: number };
}

/**
 * How well the model fills the review queue (every cell with P ≥ decision.inconclusive.low is
 * queued), measured on the test patients by `npm run eval:review-queue`. The app states the
 * detection limit of a count from `recall`.
 */
export interface ReviewQueueSpec {
  /** Share of the test patients' parasitized cells that reach the queue (0–1). */
  recall: number;
  /** The count behind it. */
  parasitizedCells: number;
  patients: number;
  /** Share of the test patients' uninfected cells that are queued (0–1). */
  uninfectedQueued: number;
  basis: string;
}

/**
 * How many views of each cell the network is run on; P(Parasitized) is the mean of the views' P.
 * 1: the cell as given. 2: also the cell turned 90° (`model-views.ts`). A red cell seen from above has no
 * preferred orientation, so each view is as valid as the crop; two cost two passes of the network.
 */
export type ModelViewCount = 1 | 2;

export const MODEL_VIEW_COUNTS: readonly ModelViewCount[] = [1, 2];

export interface OutputSpec {
  activation: 'sigmoid';
  meaning: string;
  /** Absent = 1 (every model before the two-view one). */
  views?: ModelViewCount;
}

export interface ModelMetadata {
  schemaVersion: 1;
  name: string;
  createdAt: string;
  classes: { positive: 'Parasitized'; negative: 'Uninfected' };
  output: OutputSpec;
  input: InputSpec;
  decision: DecisionSpec;
  slideVerdict?: SlideVerdictRule;
  reviewQueue?: ReviewQueueSpec;
  metrics?: Record<string, unknown>;
  training?: Record<string, unknown>;
  dataset?: Record<string, unknown>;
}

export class MetadataError extends Error {
  override name = 'MetadataError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(obj: Record<string, unknown>, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MetadataError(`metadata.json: ${where}.${key} must be a finite number`);
  }
  return v;
}

function parseSlideVerdict(v: unknown): void {
  if (!isRecord(v)) throw new MetadataError('metadata.json: slideVerdict must be an object');
  const p = num(v, 'confidentProbability', 'slideVerdict');
  const k = num(v, 'minParasitizedCells', 'slideVerdict');
  const f = num(v, 'minParasitizedFraction', 'slideVerdict');
  const n = num(v, 'minCellsForNegative', 'slideVerdict');
  if (!(p >= 0 && p <= 1) || !(f >= 0 && f <= 1) || !Number.isInteger(k) || k < 0 || !Number.isInteger(n) || n < 0) {
    throw new MetadataError(
      'metadata.json: slideVerdict needs 0 ≤ confidentProbability ≤ 1, 0 ≤ minParasitizedFraction ≤ 1 and whole cell counts ≥ 0',
    );
  }
  if (typeof v.description !== 'string')
    throw new MetadataError('metadata.json: slideVerdict.description must be a string');
}

/** Validates an untrusted parsed metadata.json and returns it typed. Throws MetadataError. */
export function parseModelMetadata(raw: unknown): ModelMetadata {
  if (!isRecord(raw)) throw new MetadataError('metadata.json: not a JSON object');
  if (raw.schemaVersion !== 1) {
    throw new MetadataError(`metadata.json: unsupported schemaVersion ${String(raw.schemaVersion)}`);
  }
  const input = raw.input;
  if (!isRecord(input)) throw new MetadataError('metadata.json: missing "input"');
  const width = num(input, 'width', 'input');
  const height = num(input, 'height', 'input');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 8 || height < 8) {
    throw new MetadataError('metadata.json: input.width/height must be integers ≥ 8');
  }
  if (input.channels !== 3 || input.channelOrder !== 'RGB') {
    throw new MetadataError('metadata.json: only 3-channel RGB input is supported');
  }
  if (input.aspect !== 'stretch') throw new MetadataError('metadata.json: input.aspect must be "stretch"');
  const resize = input.resize;
  if (
    !isRecord(resize) ||
    resize.method !== 'bilinear' ||
    typeof resize.alignCorners !== 'boolean' ||
    typeof resize.halfPixelCenters !== 'boolean'
  ) {
    throw new MetadataError('metadata.json: input.resize must be {method:"bilinear", alignCorners, halfPixelCenters}');
  }
  num(input, 'scale', 'input');
  num(input, 'offset', 'input');
  const bg = input.background;
  if (!Array.isArray(bg) || bg.length !== 3 || !bg.every((c) => typeof c === 'number')) {
    throw new MetadataError('metadata.json: input.background must be [r, g, b]');
  }
  const decision = raw.decision;
  if (!isRecord(decision)) throw new MetadataError('metadata.json: missing "decision"');
  const threshold = num(decision, 'threshold', 'decision');
  const band = decision.inconclusive;
  if (!isRecord(band)) throw new MetadataError('metadata.json: missing decision.inconclusive');
  const low = num(band, 'low', 'decision.inconclusive');
  const high = num(band, 'high', 'decision.inconclusive');
  if (!(low >= 0 && low <= threshold && threshold <= high && high <= 1)) {
    throw new MetadataError('metadata.json: need 0 ≤ inconclusive.low ≤ threshold ≤ inconclusive.high ≤ 1');
  }
  const classes = raw.classes;
  if (!isRecord(classes) || classes.positive !== 'Parasitized' || classes.negative !== 'Uninfected') {
    throw new MetadataError('metadata.json: classes must be {positive:"Parasitized", negative:"Uninfected"}');
  }
  const output = raw.output;
  if (!isRecord(output) || output.activation !== 'sigmoid') {
    throw new MetadataError('metadata.json: output.activation must be "sigmoid" (P(Parasitized))');
  }
  if (output.views !== undefined) {
    if (!MODEL_VIEW_COUNTS.includes(output.views as ModelViewCount)) {
      throw new MetadataError(`metadata.json: output.views must be one of ${MODEL_VIEW_COUNTS.join(', ')}`);
    }
    if (output.views !== 1 && width !== height) {
      throw new MetadataError('metadata.json: output.views > 1 turns the cell by 90°, which needs a square input');
    }
  }
  if (typeof raw.name !== 'string' || typeof raw.createdAt !== 'string') {
    throw new MetadataError('metadata.json: name and createdAt are required strings');
  }
  if (raw.slideVerdict !== undefined) parseSlideVerdict(raw.slideVerdict);
  if (raw.reviewQueue !== undefined) {
    const q = raw.reviewQueue;
    if (!isRecord(q)) throw new MetadataError('metadata.json: reviewQueue must be an object');
    const recall = num(q, 'recall', 'reviewQueue');
    const uninfected = num(q, 'uninfectedQueued', 'reviewQueue');
    const cells = num(q, 'parasitizedCells', 'reviewQueue');
    num(q, 'patients', 'reviewQueue');
    if (
      !(recall > 0 && recall <= 1) ||
      !(uninfected >= 0 && uninfected <= 1) ||
      !(cells >= 1) ||
      typeof q.basis !== 'string'
    ) {
      throw new MetadataError(
        'metadata.json: reviewQueue needs 0 < recall ≤ 1, 0 ≤ uninfectedQueued ≤ 1, parasitizedCells ≥ 1 and a basis',
      );
    }
  }
  return raw as unknown as ModelMetadata;
}

/** The number of views the model runs on (metadata `output.views`, 1 when absent). */
export function viewCountOf(meta: Pick<ModelMetadata, 'output'>): ModelViewCount {
  return meta.output.views ?? 1;
}

/** Maps P(Parasitized) to a label with the model's validated threshold and inconclusive band. */
export function labelForProbability(p: number, decision: DecisionSpec): ModelLabel {
  const { low, high } = decision.inconclusive;
  if (p > low && p < high) return 'Inconclusive';
  return p >= decision.threshold ? 'Parasitized' : 'Uninfected';
}

/** The preprocessing recipe every new model ships with, for a given square input size. */
export function defaultInputSpec(size: number): InputSpec {
  return {
    width: size,
    height: size,
    channels: 3,
    channelOrder: 'RGB',
    aspect: 'stretch',
    resize: { method: 'bilinear', alignCorners: false, halfPixelCenters: true },
    scale: 1 / 255,
    offset: 0,
    background: [0, 0, 0],
  };
}
