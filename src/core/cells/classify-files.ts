/**
 * Decode + classify a group of user files: every file gets an outcome (a prediction or a clear
 * error), one bad file never affects the others (classify-cells.ts), and decoded pixels are always released.
 * Decoding and classifying are separate steps so a caller can decode the next chunk (in the decode
 * worker, see pixel-decoder.ts) while the current one runs through the model.
 */
import type { CellPrediction, Classifier } from '../model/classifier-types.js';
import { classifyBatchSettled, type CellClassification } from './classify-cells.js';
import { describeError } from '../decode/image-format.js';
import type { DecodedCell, DecodedFiles } from '../decode/decode-protocol.js';

export interface FileOutcome {
  file: File;
  prediction: CellPrediction | null;
  error: string | null;
}

/** Classifies already-decoded files (same order as `files`) and closes the decoded images. */
export async function classifyDecoded(
  files: readonly File[],
  decoded: DecodedFiles,
  classifier: Classifier,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = files.map((file, i) => {
    const d = decoded[i];
    return { file, prediction: null, error: d && d.status === 'rejected' ? describeError(d.reason) : null };
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
