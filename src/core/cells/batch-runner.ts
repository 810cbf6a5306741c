/**
 * Runs a long list of work items in fixed-size chunks, yielding to the event loop between chunks
 * so the page stays responsive, reporting progress and stopping promptly when cancelled.
 */

export interface BatchProgress {
  done: number;
  total: number;
}

export interface BatchOptions {
  chunkSize: number;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
  /** Lets the browser paint and handle input between chunks. Default: a macrotask (setTimeout 0). */
  yieldToUi?: () => Promise<void>;
}

export interface BatchOutcome {
  done: number;
  total: number;
  cancelled: boolean;
}

/**
 * The one batch size for classifying cells (Cells view, whole-field crops, slide-session single
 * cells): one forward pass per batch, big enough to amortise per-call overhead, small enough that
 * the page gets a frame between batches (≈ 35–70 ms of model time per batch of 32 on a 2-core laptop).
 */
export const CELL_BATCH_SIZE = 32;

export function defaultYield(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be ≥ 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Calls `processChunk` for each chunk in order. A chunk that throws stops the run (callers that want
 * per-item errors handle them inside processChunk). Cancellation is checked before every chunk.
 */
export async function runInChunks<T>(
  items: readonly T[],
  processChunk: (chunk: T[], startIndex: number) => Promise<void>,
  options: BatchOptions,
): Promise<BatchOutcome> {
  const yieldToUi = options.yieldToUi ?? defaultYield;
  const total = items.length;
  let done = 0;
  options.onProgress?.({ done, total });
  for (const part of chunk(items, options.chunkSize)) {
    if (options.signal?.aborted) return { done, total, cancelled: true };
    await processChunk(part, done);
    done += part.length;
    options.onProgress?.({ done, total });
    await yieldToUi();
  }
  return { done, total, cancelled: !!options.signal?.aborted && done < total };
}
