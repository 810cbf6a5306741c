/**
 * The one vocabulary of cell labels. The classifier gives a red-cell crop one of the three model
 * labels (via `labelForProbability` and the model's validated band); field detection adds white
 * blood cells and artefacts (platelets, stain debris, fragments: detections that are not red
 * cells), which the classifier never sees. Neither is ever counted as a red cell or reviewed.
 */
export type ModelLabel = 'Parasitized' | 'Uninfected' | 'Inconclusive';

/** A detection that is not a red cell: kept with its outline and shown, never counted or queued. */
export type NonRedLabel = 'WhiteBloodCell' | 'Artefact';

export type CellLabel = ModelLabel | NonRedLabel;

export const MODEL_LABELS: readonly ModelLabel[] = ['Parasitized', 'Uninfected', 'Inconclusive'];

export const CELL_LABELS: readonly CellLabel[] = [...MODEL_LABELS, 'WhiteBloodCell', 'Artefact'];

/** Whether a label is one of the model's red-cell labels (a counted red cell). */
export function isRedCellLabel(label: CellLabel): label is ModelLabel {
  return label === 'Parasitized' || label === 'Uninfected' || label === 'Inconclusive';
}
