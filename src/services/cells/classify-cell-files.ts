/**
 * The single-cell batch pipeline wired to the page: files decoded ahead in the shared decode
 * worker (services/decode/pixel-decoder.ts), classified `CELL_BATCH_SIZE` at a time by
 * `classifyInChunks` (core/cells/cell-pipeline.ts), decoded images that will not be classified
 * freed. Used by the Cells view and the `classifyCells` debug hook.
 */
import { CELL_BATCH_SIZE, type BatchOutcome } from '../../core/cells/batch-runner.js';
import { classifyInChunks, type CellPipelineOptions } from '../../core/cells/cell-pipeline.js';
import { closeDecoded, sharedPixelDecoder } from '../decode/pixel-decoder.js';

export type ClassifyCellFilesOptions = Omit<CellPipelineOptions, 'decode' | 'release' | 'chunkSize'> & {
  chunkSize?: number;
};

export function classifyCellFiles(files: readonly File[], opts: ClassifyCellFilesOptions): Promise<BatchOutcome> {
  const decoder = sharedPixelDecoder();
  return classifyInChunks(files, {
    ...opts,
    decode: (f) => decoder.decode(f),
    release: closeDecoded,
    chunkSize: opts.chunkSize ?? CELL_BATCH_SIZE,
  });
}
