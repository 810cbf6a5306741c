/// <reference lib="webworker" />
/**
 * Decodes cell images off the main thread: byte checks, createImageBitmap, RGBA read-back, the
 * single-cell plausibility gate, alpha dropped (src/services/decode/decode-pixels.ts). The files of one request are decoded concurrently and answered
 * together, in order, with their pixel buffers transferred. Classification stays on the page.
 */
import { decodeCellToRgb } from './decode-pixels.js';
import { describeError } from '../../core/decode/image-format.js';
import { transferablesOf, type DecodedPixels, type DecodeRequest, type DecodeResponse } from '../../core/decode/decode-protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function decodeOne(file: Blob): Promise<DecodedPixels> {
  try {
    const px = await decodeCellToRgb(file);
    return { ok: true, width: px.width, height: px.height, rgb: px.data.buffer as ArrayBuffer };
  } catch (err) {
    return { ok: false, message: describeError(err) };
  }
}

scope.onmessage = async (ev: MessageEvent<DecodeRequest>) => {
  const req = ev.data;
  if (req.type !== 'decode') return;
  const results = await Promise.all(req.files.map(decodeOne));
  const msg: DecodeResponse = { type: 'decoded', jobId: req.jobId, results };
  scope.postMessage(msg, transferablesOf(results));
};
