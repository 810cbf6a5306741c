/**
 * The one way cells are counted, everywhere: the Cells view's running totals, a whole field's
 * totals (and its export), a slide session's per-field tallies and running total (stored in the
 * records as `totals`, schema v3: the field names and their order are part of that format).
 * Red cells = Parasitized + Uninfected + Inconclusive; white blood cells are tallied separately and
 * never enter the red-cell denominator; artefacts (label 'Artefact': platelets, debris, fragments)
 * are in none of these counts (`countArtefacts` tallies them where they are shown).
 */
import type { CellLabel, ModelLabel } from '@malaria/contract';

/** What classifying one image gives: a model label, or 'Error' when it could not be classified. */
export type ModelLabelOrError = ModelLabel | 'Error';

/**
 * A single-cell image's outcome in the Cells view: a model label; 'Artefact' when the plausibility
 * gate found it is not a red cell (a blank, text or natural photo, a platelet…: never classified,
 * never counted as a red cell); 'Error' when it could not be read or classified.
 */
export type CellOutcomeLabel = ModelLabel | 'Artefact' | 'Error';

export interface CellCounts {
  /** Parasitized + Uninfected + Inconclusive. */
  redCells: number;
  parasitized: number;
  uninfected: number;
  inconclusive: number;
  whiteBloodCells: number;
  /** Parasitized cells with P(Parasitized) ≥ the verdict rule's confidentProbability. */
  confidentParasitized: number;
}

export const ZERO_COUNTS: Readonly<CellCounts> = Object.freeze({
  redCells: 0,
  parasitized: 0,
  uninfected: 0,
  inconclusive: 0,
  whiteBloodCells: 0,
  confidentParasitized: 0,
});

/**
 * Tallies cells. `confidentProbability` comes from the slide verdict rule; without it no cell is
 * counted as confidently parasitized.
 */
export function countCells(
  cells: readonly { label: CellLabel; probability: number }[],
  confidentProbability = Number.POSITIVE_INFINITY,
): CellCounts {
  const c: CellCounts = { ...ZERO_COUNTS };
  for (const cell of cells) {
    switch (cell.label) {
      case 'Parasitized':
        c.parasitized++;
        if (cell.probability >= confidentProbability) c.confidentParasitized++;
        break;
      case 'Uninfected':
        c.uninfected++;
        break;
      case 'Inconclusive':
        c.inconclusive++;
        break;
      case 'WhiteBloodCell':
        c.whiteBloodCells++;
        break;
    }
  }
  c.redCells = c.parasitized + c.uninfected + c.inconclusive;
  return c;
}

/** Detections that are not red cells (label 'Artefact'); counted apart from every other tally. */
export function countArtefacts(cells: readonly { label: CellLabel }[]): number {
  let n = 0;
  for (const cell of cells) if (cell.label === 'Artefact') n++;
  return n;
}

/** Sum of several tallies (the running total of a session). */
export function addCounts(...parts: readonly CellCounts[]): CellCounts {
  const total: CellCounts = { ...ZERO_COUNTS };
  for (const p of parts) {
    total.redCells += p.redCells;
    total.parasitized += p.parasitized;
    total.uninfected += p.uninfected;
    total.inconclusive += p.inconclusive;
    total.whiteBloodCells += p.whiteBloodCells;
    total.confidentParasitized += p.confidentParasitized;
  }
  return total;
}

/**
 * Counts of classification outcomes (the Cells view): the cell counts, the images that are not red
 * cells (artefacts: in no cell count) and the images that failed.
 */
export interface OutcomeCounts extends CellCounts {
  artefacts: number;
  errors: number;
}

export const ZERO_OUTCOME_COUNTS: Readonly<OutcomeCounts> = Object.freeze({ ...ZERO_COUNTS, artefacts: 0, errors: 0 });

/** New counts with one more outcome (immutable, so Lit sees the change). */
export function addOutcome(counts: OutcomeCounts, label: CellOutcomeLabel): OutcomeCounts {
  if (label === 'Error') return { ...counts, errors: counts.errors + 1 };
  if (label === 'Artefact') return { ...counts, artefacts: counts.artefacts + 1 };
  return {
    ...addCounts(counts, countCells([{ label, probability: 0 }])),
    artefacts: counts.artefacts,
    errors: counts.errors,
  };
}
