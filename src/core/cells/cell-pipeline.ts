/**
 * The batch pipeline behind the Cells view: files are decoded ahead (decode worker) while the
 * previous chunk runs through the model, chunk by chunk, with progress, cancellation and a yield to
 * the page between chunks (batch-runner.ts). Every file gets an outcome (classify-files.ts).
 */
import { runInChunks, type BatchOutcome, type BatchProgress } from './batch-runner.js';
import type { Classifier } from '../model/classifier-types.js';
import { classifyDecoded, type FileOutcome } from './classify-files.js';
import type { DecodedFiles } from '../decode/decode-protocol.js';

export interface CellPipelineOptions {
  classifier: Classifier;
  /** Decodes a group of files (one settled outcome per file, never rejects). */
  decode: (files: readonly File[]) => Promise<DecodedFiles>;
  /** Frees decoded images that will not be classified (cancelled run). */
  release: (decoded: DecodedFiles) => void;
  chunkSize: number;
  /** Chunks decoded ahead of the one being classified. Default 1. */
  prefetch?: number;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
  yieldToUi?: () => Promise<void>;
  /** Called once per chunk, in order, with that chunk's outcomes. */
  onChunk: (outcomes: FileOutcome[], start: number) => void;
}

export async function classifyInChunks(files: readonly File[], opts: CellPipelineOptions): Promise<BatchOutcome> {
  const ahead = Math.max(0, opts.prefetch ?? 1);
  const pending = new Map<number, Promise<DecodedFiles>>();
  const decodeAt = (start: number): Promise<DecodedFiles> | undefined => {
    if (start >= files.length) return undefined;
    let p = pending.get(start);
    if (!p) {
      p = opts.decode(files.slice(start, start + opts.chunkSize));
      pending.set(start, p);
    }
    return p;
  };
  try {
    return await runInChunks(
      files,
      async (part, start) => {
        const decoding = decodeAt(start) as Promise<DecodedFiles>;
        pending.delete(start);
        for (let k = 1; k <= ahead; k++) void decodeAt(start + k * opts.chunkSize);
        opts.onChunk(await classifyDecoded(part, await decoding, opts.classifier), start);
      },
      {
        chunkSize: opts.chunkSize,
        signal: opts.signal,
        onProgress: opts.onProgress,
        yieldToUi: opts.yieldToUi,
      },
    );
  } finally {
    // Cancelled or failed: chunks decoded ahead are never classified; free them.
    for (const p of pending.values()) void p.then(opts.release);
  }
}
