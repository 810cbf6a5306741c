/**
 * Per-patient view of a candidate's test scores (the `<card>.scores.json` of evaluate-candidate): how far
 * each patient's parasitized and uninfected cells sit from the other class, and what the test AUC would be
 * without that patient, and the test ECE without that patient. On this split one patient (C59) holds 507 of the 1,623 test parasitized cells, so a
 * change in how a model scores that one patient moves the cell-level AUC more than all the others together.
 */
import { expectedCalibrationError, rocAuc } from './metrics.js';

/** One scored cell: file name (patient prefix `C<n>`), label 1 = Parasitized, P(Parasitized). */
export type ScoredCell = readonly [name: string, label: number, p: number];

export interface PatientScores {
  patient: string;
  parasitized: number;
  uninfected: number;
  meanPParasitized: number;
  meanPUninfected: number;
  /** Test ROC AUC over every other patient's cells. */
  aucWithout: number;
  /** Test ECE (10 bins) over every other patient's cells: how much of the miscalibration is this patient's. */
  eceWithout: number;
}

export function patientOf(name: string): string {
  const m = /^(C\d+)/.exec(fileName(name));
  if (!m) throw new Error(`no patient prefix C<n> in ${name}`);
  return m[1] as string;
}

function fileName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN);

export function scoresByPatient(cells: readonly ScoredCell[]): PatientScores[] {
  const patients = [...new Set(cells.map(([n]) => patientOf(n)))].sort(
    (a, b) => Number(a.slice(1)) - Number(b.slice(1)),
  );
  return patients.map((patient) => {
    const own = cells.filter(([n]) => patientOf(n) === patient);
    const rest = cells.filter(([n]) => patientOf(n) !== patient);
    const par = own.filter(([, l]) => l === 1).map(([, , p]) => p);
    const un = own.filter(([, l]) => l === 0).map(([, , p]) => p);
    const restP = rest.map(([, , p]) => p);
    const restL = rest.map(([, l]) => l);
    return {
      patient,
      parasitized: par.length,
      uninfected: un.length,
      meanPParasitized: mean(par),
      meanPUninfected: mean(un),
      aucWithout: rocAuc(restP, restL),
      eceWithout: rest.length ? expectedCalibrationError(restP, restL) : Number.NaN,
    };
  });
}
