/**
 * The page side of batch decoding. Decodes groups of files in a dedicated worker
 * (src/services/decode/decode.worker.ts) so the main thread only runs the model and the UI; the pixels come
 * back as RGB float32 (buffers transferred, not copied). Where workers or OffscreenCanvas are
 * missing, or the worker fails, it decodes on the page instead (decode-image.ts), with the same
 * checks, single-cell plausibility gate and messages.
 */
import { gateDecodedImage } from '../cells/cell-gate-browser.js';
import { NotACellError, type CellGateResult } from '../../core/cells/cell-plausibility.js';
import { decodeImageFile, type DecodedImage } from './decode-image.js';
import { settleDecoded, type DecodedFiles, type DecodeRequest, type DecodeResponse } from '../../core/decode/decode-protocol.js';

export type { DecodedFiles } from '../../core/decode/decode-protocol.js';

export interface PixelDecoder {
  /** One settled outcome per file, in order. Never rejects. */
  decode(files: readonly Blob[]): Promise<DecodedFiles>;
  /** 'worker' while the decode worker is in use, 'page' after a fallback. */
  readonly mode: 'worker' | 'page';
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

function workerDecodingSupported(): boolean {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function';
}

interface Job {
  files: readonly Blob[];
  resolve: (d: DecodedFiles) => void;
}

class WorkerPixelDecoder implements PixelDecoder {
  private worker: Worker | null;
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;

  constructor() {
    this.worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (ev: MessageEvent<DecodeResponse>) => this.onMessage(ev.data));
    this.worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.fallBack();
    });
    this.worker.addEventListener('messageerror', () => this.fallBack());
  }

  get mode(): 'worker' | 'page' {
    return this.worker ? 'worker' : 'page';
  }

  decode(files: readonly Blob[]): Promise<DecodedFiles> {
    if (!files.length) return Promise.resolve([]);
    const worker = this.worker;
    if (!worker) return decodeOnPage(files);
    const jobId = this.nextJob++;
    return new Promise((resolve) => {
      this.jobs.set(jobId, { files, resolve });
      const req: DecodeRequest = { type: 'decode', jobId, files: [...files] };
      worker.postMessage(req);
    });
  }

  private onMessage(msg: DecodeResponse): void {
    if (msg.type !== 'decoded') return;
    const job = this.jobs.get(msg.jobId);
    if (!job) return;
    this.jobs.delete(msg.jobId);
    job.resolve(settleDecoded(job.files.length, msg.results));
  }

  /** The worker failed (could not start, crashed): decode pending and later files on the page. */
  private fallBack(): void {
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of pending) void decodeOnPage(job.files).then(job.resolve);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const job of this.jobs.values()) job.resolve(job.files.map(() => ({ status: 'rejected', reason: new Error('decoding was stopped') })));
    this.jobs.clear();
  }
}

const pageDecoder: PixelDecoder = { decode: decodeOnPage, mode: 'page', dispose: () => undefined };

/** A worker-backed decoder where the browser supports it, else one that decodes on the page. */
export function createPixelDecoder(): PixelDecoder {
  if (!workerDecodingSupported()) return pageDecoder;
  try {
    return new WorkerPixelDecoder();
  } catch {
    return pageDecoder;
  }
}

let shared: PixelDecoder | null = null;

/** The page's decoder (one worker for the app), created on first use. */
export function sharedPixelDecoder(): PixelDecoder {
  shared ??= createPixelDecoder();
  return shared;
}
