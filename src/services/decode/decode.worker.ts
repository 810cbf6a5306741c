/// <reference lib="webworker" />
/**
 * Decodes cell images off the main thread: byte checks, createImageBitmap, RGBA read-back, the
 * single-cell plausibility gate, alpha dropped (src/services/decode/decode-pixels.ts). Exposes
 * `DecodeWorkerApi` through the worker bridge: the files of one call are decoded concurrently and
 * answered together, in order, with their pixel buffers transferred (buffers the page hands back are
 * reused). Classification stays on the page.
 */
import { decodeCellToRgb } from './decode-pixels.js';
import { describeError } from '../../core/decode/image-format.js';
import { transferablesOf, type DecodedPixels, type DecodeWorkerApi } from '../../core/decode/decode-protocol.js';
import { BufferPool } from '../../core/decode/buffer-pool.js';
import { exposeWorkerApi, transfer } from '../worker-bridge/expose-worker.js';

/**
 * Pixel buffers the page handed back: about two chunks' worth are in flight at any time (one being
 * classified, one decoded ahead), so a few chunks of 32 are plenty.
 */
const pool = new BufferPool(128);

async function decodeOne(file: Blob): Promise<DecodedPixels> {
  try {
    const px = await decodeCellToRgb(file, undefined, (bytes) => pool.take(bytes));
    return { ok: true, width: px.width, height: px.height, rgb: px.data.buffer as ArrayBuffer };
  } catch (err) {
    return { ok: false, message: describeError(err) };
  }
}

const api: DecodeWorkerApi = {
  async decodeCells(files, reuse = []) {
    pool.put(reuse);
    const results = await Promise.all(files.map(decodeOne));
    return transfer(results, transferablesOf(results));
  },
};

exposeWorkerApi(api);
