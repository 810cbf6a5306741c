/// <reference lib="webworker" />
/**
 * Runs whole-field detection off the main thread (field-detect.ts), exposed through the worker
 * bridge; the crops' pixel buffers are transferred back, not copied.
 */
import { detectField, type FieldWorkerApi } from './field-detect.js';
import { exposeWorkerApi, transfer } from '../worker-bridge/expose-worker.js';

const api: FieldWorkerApi = {
  async detect(bitmap, background) {
    const detected = detectField(bitmap, background);
    return transfer(
      detected,
      detected.crops.map((c) => c.pixels),
    );
  },
};

exposeWorkerApi(api);
