/**
 * Debug and test hooks on `window.__malariaDebug` (stable: used by the e2e tests and `npm run bench`;
 * listed in docs/app.md). Installed by <malaria-app>.
 */
import { busy } from '../services/busy.js';
import { classifyCellFiles } from '../services/cells/classify-cell-files.js';
import { CELL_BATCH_SIZE } from '../core/cells/batch-runner.js';
import type { LoadedClassifier } from '../services/model/classifier.js';
import type { CellPrediction } from '../core/model/classifier-types.js';
import { decodeImageFile } from '../services/decode/decode-image.js';
import type { DecodedCell } from '../core/decode/decode-protocol.js';
import { sharedPixelDecoder, type DecodedFiles } from '../services/decode/pixel-decoder.js';

/** Debug/test hooks (window.__malariaDebug); used by e2e tests and `npm run bench`. */
export interface MalariaDebug {
  /** Live tensors in the tfjs engine that runs the classifier (the classifier worker's); 0 before it loaded. */
  numTensors(): Promise<number>;
  classifier(): LoadedClassifier | null;
  /** Where the classifier runs: 'worker' (classifier worker) or 'page' (fallback); null before it loaded. */
  classifierThread(): 'worker' | 'page' | null;
  /** The exact model input for an image file, flattened [H·W·3], decoded as batches are (decode worker). */
  preprocessFile(file: Blob): Promise<number[]>;
  /** Same, decoded on the page (createImageBitmap → fromPixels): the fallback path. */
  preprocessFileOnPage(file: Blob): Promise<number[]>;
  /** Decodes (decode worker) and classifies one file. */
  classifyFile(file: Blob): Promise<CellPrediction>;
  /** Main-thread decode to an ImageBitmap (fallback path). */
  decode: typeof decodeImageFile;
  /** Decodes files as batches do (decode worker; page fallback): one settled result per file. */
  decodeCells(files: readonly Blob[]): Promise<DecodedFiles>;
  /** The Cells view's pipeline without the UI: decode ahead + classify in chunks. Returns the outcomes' labels. */
  classifyCells(files: readonly File[], options?: { chunkSize?: number; prefetch?: number }): Promise<string[]>;
  /** Where batches are decoded: 'worker', or 'page' (no worker support, or after a worker failure). */
  decoderMode(): 'worker' | 'page';
  /** Loses the classifier's WebGL context (in the worker where it runs); false when not on WebGL. */
  loseWebGLContext(): Promise<boolean>;
  /** True while a long job (e.g. a batch) holds the app's busy flag. */
  isBusy(): boolean;
}

/** One file through the batch decoder; throws the file's error. */
async function decodeOne(file: Blob): Promise<DecodedCell> {
  const [r] = await sharedPixelDecoder().decode([file]);
  if (!r) throw new Error('no decode result');
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

declare global {
  interface Window {
    __malariaDebug?: MalariaDebug;
  }
}

/**
 * Every hook that needs the model asks the classifier, which answers from the worker it runs in
 * (so they return promises; `page.evaluate` awaits them). This module does not import tfjs.
 */
export function installDebugHooks(classifier: () => LoadedClassifier | null): void {
  const need = (): LoadedClassifier => {
    const c = classifier();
    if (!c) throw new Error('model not loaded yet');
    return c;
  };
  window.__malariaDebug = {
    numTensors: async () => (await classifier()?.tensorCount()) ?? 0,
    classifier,
    classifierThread: () => classifier()?.diagnostics.thread ?? null,
    decode: decodeImageFile,
    decodeCells: (files) => sharedPixelDecoder().decode(files),
    decoderMode: () => sharedPixelDecoder().mode,
    preprocessFile: async (file) => {
      const img = await decodeOne(file);
      try {
        return Array.from(await need().preprocessedInput(img.source));
      } finally {
        img.close();
      }
    },
    preprocessFileOnPage: async (file) => {
      const img = await decodeImageFile(file);
      try {
        return Array.from(await need().preprocessedInput(img.source));
      } finally {
        img.close();
      }
    },
    classifyFile: async (file) => {
      const img = await decodeOne(file);
      try {
        return await need().classify(img.source);
      } finally {
        img.close();
      }
    },
    classifyCells: async (files, options = {}) => {
      const labels: string[] = [];
      await classifyCellFiles(files, {
        classifier: need(),
        chunkSize: options.chunkSize ?? CELL_BATCH_SIZE,
        prefetch: options.prefetch ?? 1,
        onChunk: (outcomes) => {
          for (const o of outcomes) labels.push(o.prediction?.label ?? 'Error');
        },
      });
      return labels;
    },
    loseWebGLContext: () => need().loseWebGLContextForTesting(),
    isBusy: () => busy.isBusy,
  };
}
