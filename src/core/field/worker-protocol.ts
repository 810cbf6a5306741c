/** Messages between the page and src/workers/field-worker.ts. */
import type { FieldDetection } from './field-types.js';

export interface FieldWorkerRequest {
  type: 'detect';
  jobId: number;
  /** Upright, full-resolution decoded field (transferred). */
  bitmap: ImageBitmap;
  /** Colour outside the cell outline in the crops (the model's training background). */
  background: [number, number, number];
}

export interface TransferredCrop {
  id: number;
  width: number;
  height: number;
  /** RGBA bytes (transferred). */
  pixels: ArrayBuffer;
}

export type FieldWorkerResponse =
  | { type: 'detected'; jobId: number; detection: FieldDetection; crops: TransferredCrop[]; decodeMs: number }
  | { type: 'error'; jobId: number; message: string };
