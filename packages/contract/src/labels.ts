/**
 * The one vocabulary of cell labels. The classifier gives a red-cell crop one of the three model
 * labels (via `labelForProbability` and the model's validated band); field detection adds white
 * blood cells, which the classifier never sees.
 */
export type ModelLabel = 'Parasitized' | 'Uninfected' | 'Inconclusive';

export type CellLabel = ModelLabel | 'WhiteBloodCell';

export const MODEL_LABELS: readonly ModelLabel[] = ['Parasitized', 'Uninfected', 'Inconclusive'];

export const CELL_LABELS: readonly CellLabel[] = [...MODEL_LABELS, 'WhiteBloodCell'];
