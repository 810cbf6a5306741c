/**
 * Shared contract for everything that classifies cells (single-cell view, batches, whole fields,
 * slide sessions). Implemented by `classifier.ts`.
 */
import type { ModelLabel, ModelMetadata } from '@malaria/contract';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

/**
 * A decoded image held by the platform layer (in the browser: ImageBitmap, ImageData, a canvas…;
 * see src/services/model/pixel-source.ts). Core code only passes it through to the classifier, so
 * it sees nothing but the size; this keeps src/core free of DOM types (its tsconfig has no DOM lib).
 */
export interface PlatformImage {
  readonly width: number;
  readonly height: number;
}

/**
 * Already-extracted RGB pixels, row-major [height, width, 3], values 0–255 (what
 * `tf.browser.fromPixels(…, 3)` would read from the image). Produced off the main thread by the
 * decode worker, so the page does not copy pixels channel by channel.
 */
export interface RgbPixels {
  readonly kind: 'rgb';
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** What the classifier accepts: a platform image or extracted RGB pixels. */
export type CellPixels = PlatformImage | RgbPixels;

export function isRgbPixels(source: CellPixels): source is RgbPixels {
  return (source as Partial<RgbPixels>).kind === 'rgb';
}

export interface CellPrediction {
  /** P(Parasitized), 0–1. */
  probability: number;
  label: ModelLabel;
}

export interface Classifier {
  readonly metadata: ModelMetadata;
  readonly backend: BackendName;
  /** Classifies one RGB(A) image of a single cell (alpha ignored). */
  classify(source: CellPixels): Promise<CellPrediction>;
  /** Classifies many cells in one batched forward pass (callers chunk large sets). */
  classifyBatch(sources: readonly CellPixels[]): Promise<CellPrediction[]>;
  dispose(): void;
}
