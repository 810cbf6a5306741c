/**
 * Shared contract for everything that classifies cells (single-cell view, batches, whole fields,
 * slide sessions). Implemented by `classifier.ts`.
 */
import type { CellLabel, ModelMetadata } from './model-metadata.js';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** Anything tf.browser.fromPixels accepts. */
export type PixelSource =
  | ImageBitmap
  | ImageData
  | HTMLCanvasElement
  | HTMLImageElement
  | HTMLVideoElement
  | OffscreenCanvas;

export interface CellPrediction {
  /** P(Parasitized), 0–1. */
  probability: number;
  label: CellLabel;
}

export interface Classifier {
  readonly metadata: ModelMetadata;
  readonly backend: BackendName;
  /** Classifies one RGB(A) image of a single cell (alpha ignored). */
  classify(source: PixelSource): Promise<CellPrediction>;
  /** Classifies many cells in one batched forward pass (callers chunk large sets). */
  classifyBatch(sources: readonly PixelSource[]): Promise<CellPrediction[]>;
  dispose(): void;
}
