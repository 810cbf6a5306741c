/** Messages between the page and src/services/field/field.worker.ts. */
import type { Box, FieldDetection } from '../../core/field/field-types.js';

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
  /** Where the crop sits in the upright full-resolution image. */
  box: Box;
  /** RGBA bytes (transferred). */
  pixels: ArrayBuffer;
}

export type FieldWorkerResponse =
  | { type: 'detected'; jobId: number; detection: FieldDetection; crops: TransferredCrop[]; decodeMs: number }
  | { type: 'error'; jobId: number; message: string };
