/**
 * The page side of batch decoding. Decodes groups of files in a dedicated worker
 * (src/services/decode/decode.worker.ts, reached through the worker bridge) so the main thread only
 * runs the model and the UI; the pixels come back as RGB float32 (buffers transferred, not copied),
 * and a closed cell's buffer goes back to the worker with the next call, for reuse.
 * Where workers or OffscreenCanvas are missing, or the worker fails, it decodes on the page instead
 * (decode-image.ts), with the same checks, single-cell plausibility gate and messages.
 */
import { gateDecodedImage } from '../cells/cell-gate-browser.js';
import { NotACellError, type CellGateResult } from '../../core/cells/cell-plausibility.js';
import { decodeImageFile, type DecodedImage } from './decode-image.js';
import { ImageRejectedError } from '../../core/decode/image-format.js';
import {
  settleDecoded,
  type DecodedCell,
  type DecodedFiles,
  type DecodeWorkerApi,
} from '../../core/decode/decode-protocol.js';
import { registerWorkerError, transfer, WorkerBridge } from '../worker-bridge/worker-bridge.js';
import { MAX_POOLED_BYTES } from '../../core/decode/buffer-pool.js';
import { markMovable } from '../model/movable-pixels.js';

export type { DecodedFiles } from '../../core/decode/decode-protocol.js';

export interface PixelDecoder {
  /**
   * One settled outcome per file, in order. Rejects only with the signal's AbortError when `signal`
   * is aborted (at once; what the worker still sends back is freed).
   */
  decode(files: readonly Blob[], signal?: AbortSignal): Promise<DecodedFiles>;
  /** 'worker' while the decode worker is in use, 'page' after a fallback. */
  readonly mode: 'worker' | 'page';
  /** Starts the worker ahead of the first call (no-op on the page). */
  warm(): void;
  dispose(): void;
}

/** Decodes one cell image on the page and applies the single-cell plausibility gate. */
export async function decodeCellOnPage(file: Blob): Promise<DecodedImage> {
  const decoded = await decodeImageFile(file);
  let gate: CellGateResult;
  try {
    gate = gateDecodedImage(decoded.source, decoded.width, decoded.height);
  } catch (err) {
    decoded.close();
    throw err;
  }
  if (!gate.ok) {
    decoded.close();
    throw new NotACellError(gate);
  }
  return decoded;
}

/** Decodes cell images on the page's main thread (ImageBitmap sources), with the same gate as the worker. */
export function decodeOnPage(files: readonly Blob[]): Promise<DecodedFiles> {
  return Promise.allSettled(files.map((f) => decodeCellOnPage(f)));
}

/** Frees every successfully decoded image (e.g. a prefetched chunk that will not be used). */
export function closeDecoded(decoded: DecodedFiles): void {
  for (const d of decoded) if (d.status === 'fulfilled') d.value.close();
}

/** Buffers held for the worker between calls at most (a few chunks of CELL_BATCH_SIZE). */
const RETURNED_MAX = 128;
/** Returned buffers not sent back within this long are dropped (the batch is over; chunks follow within ms). */
const RETURNED_IDLE_MS = 2000;

function workerDecodingSupported(): boolean {
  return (
    typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function'
  );
}

registerWorkerError('ImageRejectedError', ImageRejectedError);
registerWorkerError('NotACellError', NotACellError);

/** What the page runs when the worker cannot (the bridge's page fallback). */
interface PageDecode {
  decode: typeof decodeOnPage;
}

/** A decoder on the worker bridge: in the decode worker where it can, else on the page. */
export function createPixelDecoder(): PixelDecoder {
  // Buffers of closed cells, sent back to the worker with the next call (see buffer-pool.ts): a
  // batch then reuses the same few dozen buffers instead of leaving one per cell to the GC.
  // Held only while a batch runs: dropped (left to the GC) once no call has come for a while.
  let returned: ArrayBuffer[] = [];
  let dropTimer: ReturnType<typeof setTimeout> | undefined;
  const release = (buffer: ArrayBuffer) => {
    // A cell classified in the classifier worker gave its buffer away (movable-pixels.ts): nothing to
    // return, and keeping the detached husk would crowd out real buffers (RETURNED_MAX).
    if (buffer.byteLength === 0) return;
    if (returned.length >= RETURNED_MAX || buffer.byteLength > MAX_POOLED_BYTES) return;
    returned.push(buffer);
    clearTimeout(dropTimer);
    dropTimer = setTimeout(() => (returned = []), RETURNED_IDLE_MS);
  };
  const takeReturned = (): ArrayBuffer[] => {
    const out = returned.filter((b) => b.byteLength > 0); // not one that went to the worker already
    returned = [];
    return out;
  };
  const bridge = new WorkerBridge<DecodeWorkerApi, PageDecode>({
    start: () => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' }),
    page: () => ({ decode: decodeOnPage }),
    supported: workerDecodingSupported,
    // Files are cloned, not transferred: a call the worker dropped by crashing can run again on the page.
    afterCrash: 'page',
  });
  return {
    get mode() {
      return bridge.mode;
    },
    warm: () => bridge.warm(),
    decode(files, signal) {
      if (!files.length) return Promise.resolve([]);
      return bridge
        .call(
          {
            worker: async (api) => {
              const reuse = takeReturned();
              const results = await api.decodeCells([...files], transfer(reuse, reuse));
              // Each pooled buffer came from our worker and holds one cell: it may move on to the
              // classifier worker whole rather than be cloned (movable-pixels.ts).
              for (const r of results) if (r.ok) markMovable(r.rgb);
              return settleDecoded(files.length, results, release);
            },
            page: (page) => page.decode(files),
          },
          { signal, discard: closeDecoded },
        )
        .catch((err: unknown) => {
          if (signal?.aborted) throw err;
          // The bridge was disposed, or the reply could not be read: an outcome per file all the same.
          return files.map((): PromiseSettledResult<DecodedCell> => ({ status: 'rejected', reason: err }));
        });
    },
    dispose: () => bridge.dispose(),
  };
}

let shared: PixelDecoder | null = null;

/** The page's decoder (one worker for the app, terminated when idle), created and started on first use. */
export function sharedPixelDecoder(): PixelDecoder {
  if (!shared) {
    shared = createPixelDecoder();
    shared.warm();
  }
  return shared;
}
