/**
 * The one way cells are classified in batches (Cells view files, whole-field crops, slide-session
 * single cells): `CELL_BATCH_SIZE` sources per forward pass, and when a batch throws, its sources are
 * classified one by one so only the image that breaks the model gets an error; every other source
 * keeps its prediction.
 */
import type { CellPixels, CellPrediction, Classifier } from '../model/classifier-types.js';
import { CELL_BATCH_SIZE, runInChunks, type BatchProgress } from './batch-runner.js';

/** A source's prediction, or the error that kept it from being classified. */
export type CellClassification = CellPrediction | Error;

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * A classifier that settles a batch itself, the same way (one forward pass, then one by one). The
 * worker client (services/model/classifier-client.ts) is one: the pixels it sends move to the
 * worker, so the page could not send them again one by one after a failed batch; the worker can.
 */
export interface SettlingClassifier extends Classifier {
  /** Never rejects; one outcome per source. */
  classifyBatchSettled(sources: readonly CellPixels[]): Promise<CellClassification[]>;
}

function settlesItself(c: Classifier): c is SettlingClassifier {
  return typeof (c as Partial<SettlingClassifier>).classifyBatchSettled === 'function';
}

/**
 * Classifies one batch in a single forward pass; if that throws, one by one. Never rejects: a source
 * that cannot be classified gets its Error (also when the model returns fewer predictions).
 */
export async function classifyBatchSettled(
  classifier: Classifier,
  sources: readonly CellPixels[],
): Promise<CellClassification[]> {
  if (!sources.length) return [];
  let predictions: CellClassification[];
  if (settlesItself(classifier)) {
    predictions = await classifier.classifyBatchSettled(sources).catch((e: unknown) => sources.map(() => asError(e)));
    return sources.map((_, i) => predictions[i] ?? new Error('no prediction'));
  }
  try {
    predictions = await classifier.classifyBatch(sources);
  } catch {
    // One image broke the batch: classify one by one so only that image gets the error.
    predictions = [];
    for (const source of sources) predictions.push(await classifier.classify(source).catch(asError));
  }
  return sources.map((_, i) => predictions[i] ?? new Error('no prediction'));
}

export interface ClassifyCellsOptions {
  /** Sources per forward pass. Default CELL_BATCH_SIZE. */
  batchSize?: number;
  /** Checked before every batch; once aborted, the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Sources classified so far: 0 first, then after every batch. */
  onProgress?: (p: BatchProgress) => void;
  /** Awaited after every batch (lets the page paint). Default: none. */
  yieldToUi?: () => Promise<void>;
}

/** Classifies any number of sources, batch by batch (classifyBatchSettled); same order as `sources`. */
export async function classifyCells(
  classifier: Classifier,
  sources: readonly CellPixels[],
  options: ClassifyCellsOptions = {},
): Promise<CellClassification[]> {
  const out: CellClassification[] = [];
  const run = await runInChunks(
    sources,
    async (part) => {
      out.push(...(await classifyBatchSettled(classifier, part)));
    },
    {
      chunkSize: options.batchSize ?? CELL_BATCH_SIZE,
      signal: options.signal,
      onProgress: options.onProgress,
      yieldToUi: options.yieldToUi ?? (() => Promise.resolve()),
    },
  );
  if (run.cancelled) options.signal?.throwIfAborted();
  return out;
}
