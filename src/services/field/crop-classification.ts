/**
 * Classifies a field's crops while the field worker is still cutting them: crops arrive in chunks
 * (field-detect.ts `onCrops`), are grouped into the same CELL_BATCH_SIZE batches, in the same
 * order, as when every crop was classified after detection (so every forward pass, and every
 * probability, is the same), and each full batch goes to the classifier at once, one after the
 * other. Before, classification started only once the last crop was cut (≈ 0.1–0.2 s of cutting
 * per 16 MP field; docs/performance.md, step 9).
 */
import type { Classifier } from '../../core/model/classifier-types.js';
import type { Box } from '../../core/field/field-types.js';
import { classifyBatchSettled, type CellClassification } from '../../core/cells/classify-cells.js';
import { CELL_BATCH_SIZE, defaultYield } from '../../core/cells/batch-runner.js';
import type { TransferredCrop } from './field-detect.js';
import type { RgbPixels } from '../../core/model/classifier-types.js';
import { rgbPixels } from '../../core/decode/rgb-pixels.js';

export interface CropProgress {
  done: number;
  total: number;
}

export class CropClassification {
  /** Masked crop per red cell id, in arrival order (what the classifier saw). */
  readonly crops = new Map<number, ImageData>();
  readonly cropBoxes = new Map<number, Box>();
  /** The classifier's input per crop id not yet sent (its buffer moves to the classifier). */
  private readonly inputs = new Map<number, RgbPixels>();
  private readonly results = new Map<number, CellClassification>();
  private waiting: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private done = 0;
  private arrived = 0;
  private onArrival: (() => void) | null = null;
  private finished = false;
  private cancelled = false;
  private progress: ((p: CropProgress) => void) | null = null;

  /** `classifier` null: crops are only collected (the field's red cells stay unclassified). */
  constructor(
    private readonly classifier: Classifier | null,
    private readonly signal?: AbortSignal,
  ) {}

  /** Takes the next crops (in the worker's order); starts every batch that is full. */
  add(crops: readonly TransferredCrop[]): void {
    try {
      for (const c of crops) {
        // Everything that can throw first: a crop is taken whole or not at all.
        const image = new ImageData(new Uint8ClampedArray(c.pixels), c.width, c.height);
        const input = this.classifier ? rgbPixels(new Float32Array(c.rgb), c.width, c.height) : null;
        this.crops.set(c.id, image);
        this.cropBoxes.set(c.id, c.box);
        if (input) this.inputs.set(c.id, input);
        this.waiting.push(c.id);
      }
    } finally {
      // Counted even when a crop could not be taken (the error goes back to the worker's call), so
      // that `received` never waits for it.
      this.arrived += crops.length;
      this.onArrival?.();
    }
    while (this.waiting.length >= CELL_BATCH_SIZE) this.classify(this.waiting.splice(0, CELL_BATCH_SIZE));
  }

  /**
   * Resolves once `count` crops have arrived in all. The worker's chunks come through a comlink
   * proxy, a message channel of their own, so its reply (on the worker's channel) can overtake the
   * last chunks; finishing before they arrive changed a field's outputs under load. Rejects with the
   * signal's reason once aborted.
   */
  received(count: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.signal?.aborted) reject(this.signal.reason);
        else if (this.arrived >= count) resolve();
        else return;
        this.onArrival = null;
        this.signal?.removeEventListener('abort', check);
      };
      this.onArrival = check;
      this.signal?.addEventListener('abort', check);
      check();
    });
  }

  /**
   * No more crops: classifies the rest and resolves with P(Parasitized) per crop id (null: that
   * crop could not be classified). Rejects with the model's error if no crop could be classified,
   * and with the signal's reason once aborted. `onProgress`: crops classified so far, from now on.
   */
  async finish(onProgress: (p: CropProgress) => void): Promise<Map<number, number | null>> {
    this.finished = true;
    if (this.waiting.length) this.classify(this.waiting.splice(0));
    if (this.classifier) {
      this.progress = onProgress;
      onProgress({ done: this.done, total: this.crops.size });
    }
    await this.queue;
    const ids = [...this.crops.keys()];
    const results = ids.map((id) => this.results.get(id));
    const firstError = results.find((r): r is Error => r instanceof Error);
    if (firstError && results.every((r) => r instanceof Error)) throw firstError;
    return new Map(
      ids.map((id, i) => {
        const r = results[i];
        return [id, r && !(r instanceof Error) ? r.probability : null];
      }),
    );
  }

  /**
   * The field failed (detection error, no red cell): batches not yet started are dropped, so they do
   * not hold the shared classifier worker while the next photo waits. A running batch finishes.
   */
  cancel(): void {
    this.cancelled = true;
    this.waiting = [];
    this.inputs.clear();
  }

  private classify(ids: number[]): void {
    const classifier = this.classifier;
    if (!classifier || this.cancelled) return;
    this.queue = this.queue.then(async () => {
      this.signal?.throwIfAborted();
      if (this.cancelled) return;
      const sources = ids.map((id) => this.inputs.get(id)!);
      for (const id of ids) this.inputs.delete(id);
      const out = await classifyBatchSettled(classifier, sources);
      ids.forEach((id, i) => this.results.set(id, out[i]!));
      this.done += ids.length;
      if (this.finished) this.progress?.({ done: this.done, total: this.crops.size });
      // Lets the page paint and handle input between batches (as classifyCells does).
      await defaultYield();
    });
    // Never an unhandled rejection: finish() (or nobody, after a failed detection) reads the outcome.
    this.queue.catch(() => undefined);
  }
}
