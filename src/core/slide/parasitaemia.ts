/**
 * Parasitaemia from a thin-film count, and parasite density per µL of blood when the clinician enters
 * the patient's red-cell count (or haematocrit). Nothing is estimated without that input.
 *
 * Thin film: parasitaemia % = parasitized red cells ÷ red cells counted × 100
 *            parasitized cells/µL = parasitized ÷ red cells counted × RBC/µL
 * From haematocrit: RBC/µL = (Hct% / 100) ÷ MCV. With MCV in fL (10⁻⁹ µL):
 *            RBC/µL = Hct% × 10⁷ ÷ MCV(fL); for the assumed normal MCV of 90 fL that is
 *            ≈ Hct% × 1.11 × 10⁵ (Hct 45% → 5.0 × 10⁶ RBC/µL).
 * Each infected cell counts once (a cell with two ring forms is one parasitized cell), so the density
 * is "parasitized red cells per µL", the usual thin-film approximation of parasites/µL.
 */
import { UserFacingError } from '../shared/user-facing-error.js';

/**
 * The one parasitaemia: parasitized ÷ red cells × 100 (0–100), or null when no red cell was counted.
 * Used by the Cells view, a field's totals and its export, and the records CSV.
 */
export function parasitaemiaPercent(parasitized: number, redCells: number): number | null {
  if (!(redCells > 0)) return null;
  return (100 * parasitized) / redCells;
}

/** Mean corpuscular volume assumed when converting haematocrit to a red-cell count (fL). */
export const ASSUMED_MCV_FL = 90;

export function rbcPerMicrolitreFromHaematocrit(haematocritPercent: number, mcvFl = ASSUMED_MCV_FL): number {
  return (haematocritPercent * 1e7) / mcvFl;
}

export type BloodCountInput =
  { kind: 'rbc'; rbcPerMicrolitre: number } | { kind: 'haematocrit'; haematocritPercent: number };

export interface ParasiteDensity {
  /** Parasitized red cells per µL of blood. */
  perMicrolitre: number;
  /** RBC/µL used (entered, or derived from haematocrit). */
  rbcPerMicrolitre: number;
  /** Human-readable formula with the numbers filled in. */
  formula: string;
}

export class BloodCountError extends UserFacingError {
  override name = 'BloodCountError';
  constructor(message: string) {
    super('blood-count', message);
  }
}

const PLAUSIBLE_RBC = { min: 1e5, max: 1e7 };
const PLAUSIBLE_HCT = { min: 1, max: 80 };

/** Checks an entered blood count; returns a message for the user or null when acceptable. */
export function validateBloodCount(input: BloodCountInput): string | null {
  if (input.kind === 'rbc') {
    const v = input.rbcPerMicrolitre;
    if (!Number.isFinite(v) || v < PLAUSIBLE_RBC.min || v > PLAUSIBLE_RBC.max) {
      return 'Red-cell count must be between 100,000 and 10,000,000 per µL (e.g. 4,500,000).';
    }
  } else {
    const v = input.haematocritPercent;
    if (!Number.isFinite(v) || v < PLAUSIBLE_HCT.min || v > PLAUSIBLE_HCT.max) {
      return 'Haematocrit must be a percentage between 1 and 80 (e.g. 38).';
    }
  }
  return null;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Parasite density, or null when no red cell has been counted. Throws BloodCountError on an
 * implausible input (check with validateBloodCount first to show a message).
 */
export function parasiteDensity(parasitized: number, redCells: number, input: BloodCountInput): ParasiteDensity | null {
  const problem = validateBloodCount(input);
  if (problem) throw new BloodCountError(problem);
  if (!(redCells > 0)) return null;
  const rbc = input.kind === 'rbc' ? input.rbcPerMicrolitre : rbcPerMicrolitreFromHaematocrit(input.haematocritPercent);
  const perMicrolitre = (parasitized / redCells) * rbc;
  const rbcPart =
    input.kind === 'rbc'
      ? `${fmt(rbc)} RBC/µL`
      : `(${input.haematocritPercent}% × 10⁷ ÷ ${ASSUMED_MCV_FL} fL = ${fmt(rbc)} RBC/µL)`;
  return {
    perMicrolitre,
    rbcPerMicrolitre: rbc,
    formula: `${parasitized} parasitized ÷ ${redCells} red cells × ${rbcPart} = ${fmt(perMicrolitre)} /µL`,
  };
}
