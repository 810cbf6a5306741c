/// <reference lib="webworker" />
/**
 * Runs whole-field detection off the main thread (field-detect.ts), exposed through the worker
 * bridge; the crops' pixel buffers are transferred back, not copied.
 */
import { detectField, type FieldWorkerApi, type TransferredCrop } from './field-detect.js';
import { exposeWorkerApi, transfer } from '../worker-bridge/expose-worker.js';

const api: FieldWorkerApi = {
  async detect(bitmap, background, onCrops, displaySize) {
    // Each chunk of crops is posted at once (the page does not wait for the loop to end); a page
    // that is gone makes the call fail, which the loop has no use for.
    const send = onCrops
      ? (crops: TransferredCrop[]) => {
          void Promise.resolve(
            onCrops(
              transfer(
                crops,
                crops.map((c) => c.pixels),
              ),
            ),
          ).catch(() => undefined);
        }
      : undefined;
    const detected = await detectField(bitmap, background, send, displaySize);
    const moved: Transferable[] = detected.crops.map((c) => c.pixels);
    if (detected.display) moved.push(detected.display);
    return transfer(detected, moved);
  },
};

exposeWorkerApi(api);
