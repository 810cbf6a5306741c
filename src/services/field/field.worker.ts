/// <reference lib="webworker" />
/**
 * Runs whole-field detection off the main thread: reads the pixels of the upright field bitmap,
 * finds the cells (src/core/field/detect-cells.ts) and cuts a masked tight crop for every red cell.
 * Classification stays on the page (the model and its backend live there).
 */
import { detectCells } from '../../core/field/detect-cells.js';
import { cropCell, cropGeometryFor } from '../../core/field/crop-cell.js';
import type { RgbaImage } from '../../core/field/field-types.js';
import type { FieldWorkerRequest, FieldWorkerResponse, TransferredCrop } from './worker-protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function pixelsOf(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable in the worker');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { width: bitmap.width, height: bitmap.height, data };
}

scope.onmessage = (ev: MessageEvent<FieldWorkerRequest>) => {
  const req = ev.data;
  if (req.type !== 'detect') return;
  try {
    const t0 = performance.now();
    const img = pixelsOf(req.bitmap);
    req.bitmap.close();
    const decodeMs = performance.now() - t0;
    const { detection, labelMap } = detectCells(img, { now: () => performance.now() });
    const crops: TransferredCrop[] = [];
    const geometry = cropGeometryFor(detection.stats.medianRadius);
    for (const cell of detection.cells) {
      if (cell.kind !== 'red') continue;
      const crop = cropCell(img, labelMap, cell.id, cell.box, req.background, geometry);
      if (!crop) continue;
      crops.push({ id: cell.id, width: crop.image.width, height: crop.image.height, box: crop.box, pixels: crop.image.data.buffer as ArrayBuffer });
    }
    const msg: FieldWorkerResponse = { type: 'detected', jobId: req.jobId, detection, crops, decodeMs };
    scope.postMessage(msg, crops.map((c) => c.pixels));
  } catch (err) {
    const msg: FieldWorkerResponse = { type: 'error', jobId: req.jobId, message: err instanceof Error ? err.message : String(err) };
    scope.postMessage(msg);
  }
};
