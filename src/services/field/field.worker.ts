/// <reference lib="webworker" />
/**
 * Runs whole-field detection off the main thread (field-detect.ts), exposed through the worker
 * bridge; the crops' pixel buffers are transferred back, not copied.
 */
import { detectField, type FieldWorkerApi, type TransferredCrop } from './field-detect.js';
import { exposeWorkerApi, transfer } from '../worker-bridge/expose-worker.js';

const api: FieldWorkerApi = {
  async detect(bitmap, background, onCrops, displaySize) {
    // Each chunk of crops is posted at once (the page classifies while the loop goes on); the reply
    // waits until the page has taken every chunk (each call resolves after the page's handler ran),
    // so it cannot overtake the last chunks, and a chunk the page failed to take fails the call
    // instead of leaving the page waiting for crops that never come.
    const taken: Promise<unknown>[] = [];
    const send = onCrops
      ? (crops: TransferredCrop[]) => {
          taken.push(
            Promise.resolve(
              onCrops(
                transfer(
                  crops,
                  crops.flatMap((c) => [c.pixels, c.rgb]),
                ),
              ),
            ),
          );
        }
      : undefined;
    const detected = await detectField(bitmap, background, send, displaySize);
    try {
      await Promise.all(taken);
    } catch (err) {
      detected.display?.close();
      throw err;
    }
    const moved: Transferable[] = detected.crops.flatMap((c) => [c.pixels, c.rgb]);
    if (detected.display) moved.push(detected.display);
    return transfer(detected, moved);
  },
};

exposeWorkerApi(api);
