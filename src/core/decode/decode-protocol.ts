/**
 * What the decode worker (src/services/decode/decode.worker.ts) answers, and the pure mapping from
 * its replies to the per-file outcomes the batch pipeline consumes. The page reaches the worker
 * through the worker bridge (src/services/worker-bridge/): `DecodeWorkerApi` is what it exposes.
 */
import type { CellPixels } from '../model/classifier-types.js';
import { ImageRejectedError } from './image-format.js';
import { rgbPixels } from './rgb-pixels.js';
import { NotACellError, parseCellGateMessage } from '../cells/cell-plausibility.js';

/**
 * One file's result: its RGB pixels (float32, width × height × 3 values at the start of `rgb`, which
 * may be larger: a pooled buffer; transferred, not copied) or why it was rejected.
 */
export type DecodedPixels =
  { ok: true; width: number; height: number; rgb: ArrayBuffer } | { ok: false; message: string };

/** The decode worker's API (called through comlink's `Remote<DecodeWorkerApi>`). */
export interface DecodeWorkerApi {
  /**
   * Decodes the files concurrently and answers once, in order, one result per file, with the
   * pixel buffers transferred. Files (or blobs) are structured clones: handles to the same bytes,
   * not copies. `reuse`: pixel buffers of earlier results the page no longer needs (transferred),
   * kept by the worker for the next cells (core/decode/buffer-pool.ts).
   */
  decodeCells(files: readonly Blob[], reuse?: ArrayBuffer[]): Promise<DecodedPixels[]>;
}

/**
 * A decoded cell image ready for the classifier. `close` frees it (worker pixels: their buffer goes
 * back for reuse, so the pixels must not be read after it).
 */
export interface DecodedCell {
  source: CellPixels;
  width: number;
  height: number;
  close(): void;
}

/** Settled outcome per file, in order (same shape as Promise.allSettled over main-thread decodes). */
export type DecodedFiles = PromiseSettledResult<DecodedCell>[];

/** Transfer list for a reply: every pixel buffer moves to the page without a copy. */
export function transferablesOf(results: readonly DecodedPixels[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const r of results) if (r.ok) out.push(r.rgb);
  return out;
}

/**
 * Turns the worker's replies into settled outcomes: RGB pixels for decoded files, an
 * ImageRejectedError (whose message is shown as is) for rejected ones. A reply missing or malformed
 * for a file (should not happen) becomes an error for that file only. `release` gets a decoded
 * cell's buffer when it is closed (once, however often `close` is called), for reuse.
 */
export function settleDecoded(
  count: number,
  results: readonly DecodedPixels[],
  release: (buffer: ArrayBuffer) => void = () => undefined,
): DecodedFiles {
  const out: DecodedFiles = [];
  for (let i = 0; i < count; i++) {
    const r = results[i];
    if (r && r.ok) {
      try {
        const n = r.width * r.height * 3;
        if (!(n > 0) || r.rgb.byteLength < n * 4)
          throw new RangeError(`expected ${n} RGB values, got a buffer of ${r.rgb.byteLength} bytes`);
        const source = rgbPixels(new Float32Array(r.rgb, 0, n), r.width, r.height);
        let open = true;
        const close = () => {
          if (open) release(r.rgb);
          open = false;
        };
        out.push({ status: 'fulfilled', value: { source, width: r.width, height: r.height, close } });
      } catch (err) {
        out.push({ status: 'rejected', reason: err });
      }
    } else if (r) {
      // A refusal by the single-cell plausibility gate comes back as its NotACellError (the Cells
      // view shows it as "not a red cell", not as a failure); anything else as ImageRejectedError.
      const gate = parseCellGateMessage(r.message);
      out.push({ status: 'rejected', reason: gate ? new NotACellError(gate) : new ImageRejectedError(r.message) });
    } else {
      out.push({ status: 'rejected', reason: new Error('the decoder returned no result for this file') });
    }
  }
  return out;
}
