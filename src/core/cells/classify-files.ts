/**
 * Decode + classify a group of user files: every file gets an outcome (a prediction, "not a red
 * cell" with the plausibility gate's reason, or a clear error), one bad file never affects the others (classify-cells.ts), and decoded pixels are always released.
 * Decoding and classifying are separate steps so a caller can decode the next chunk (in the decode
 * worker, see pixel-decoder.ts) while the current one runs through the model.
 */
import type { CellPrediction, Classifier } from '../model/classifier-types.js';
import { classifyBatchSettled, type CellClassification } from './classify-cells.js';
import { describeError } from '../decode/image-format.js';
import { NotACellError } from './cell-plausibility.js';
import type { DecodedCell, DecodedFiles } from '../decode/decode-protocol.js';

export interface FileOutcome {
  file: File;
  prediction: CellPrediction | null;
  /**
   * Not a red cell: the plausibility gate's message (cells/cell-plausibility.ts) for an image that
   * decoded but is no single red cell (blank, uniform, 1 px, text, a photo, a platelet…). Never
   * classified, never counted as a red cell; not an error. Null otherwise.
   */
  notACell: string | null;
  /** Could not be read or classified (a damaged file, a whole field given as a cell, a model error). */
  error: string | null;
}

/** The gate refused the image as not a red cell (a whole field is not an artefact: it is routed). */
function notACellMessage(reason: unknown): string | null {
  return reason instanceof NotACellError && reason.result.kind === 'not-a-cell' ? reason.message : null;
}

/** Classifies already-decoded files (same order as `files`) and closes the decoded images. */
export async function classifyDecoded(
  files: readonly File[],
  decoded: DecodedFiles,
  classifier: Classifier,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = files.map((file, i) => {
    const d = decoded[i];
    if (!d || d.status !== 'rejected') return { file, prediction: null, notACell: null, error: null };
    const notACell = notACellMessage(d.reason);
    return { file, prediction: null, notACell, error: notACell === null ? describeError(d.reason) : null };
  });
  const ready: { index: number; image: DecodedCell }[] = [];
  decoded.forEach((d, index) => {
    if (d.status === 'fulfilled') ready.push({ index, image: d.value });
  });
  try {
    const predictions = await classifyBatchSettled(
      classifier,
      ready.map((r) => r.image.source),
    );
    ready.forEach((r, k) => {
      const p = predictions[k] as CellClassification;
      const out = outcomes[r.index] as FileOutcome;
      if (p instanceof Error) out.error = describeError(p);
      else out.prediction = p;
    });
  } finally {
    for (const r of ready) r.image.close();
  }
  return outcomes;
}
