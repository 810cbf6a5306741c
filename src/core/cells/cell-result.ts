/** One row of the single-cell results list. */
import type { BackendName } from '../model/classifier-types.js';
import type { CellOutcomeLabel } from './cell-counts.js';

export interface CellResult {
  id: number;
  fileName: string;
  label: CellOutcomeLabel;
  /** P(Parasitized), or null for artefacts and errors (never classified). */
  probability: number | null;
  /** Why the file is not a red cell (artefacts: the gate's reason) or could not be classified (errors). */
  message?: string;
  /**
   * The original image, for the thumbnail; null for errors (an artefact decoded, so it is shown). The row makes an object URL of it only
   * while it is on screen (creating 1,000 object URLs up front costs ≈ 0.15 ms each).
   */
  thumbnail: Blob | null;
  backend?: BackendName;
}

/**
 * The model's probability for the label shown: P for Parasitized, 1 − P for Uninfected. Null for
 * Inconclusive (and errors): the point of that label is that the model is not confident. With a
 * threshold below 0.5 a Parasitized cell can have P < 0.5; showing max(P, 1 − P) would then claim
 * confidence in the opposite class.
 */
export function confidenceOf(label: CellOutcomeLabel, probability: number): number | null {
  if (label === 'Parasitized') return probability;
  if (label === 'Uninfected') return 1 - probability;
  return null;
}
