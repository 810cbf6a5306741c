/**
 * Patient (slide) level verdict from per-cell probabilities, and the choice of its parameters on the
 * validation patients. The rule is exported to metadata.json (`slideVerdict`): the model-only rule
 * training reports (records of schema v1/v2 were counted with it). The app's slide result comes from
 * the reviewer (`slideResult` in the contract), not from this rule.
 */
import {
  inQueue,
  labelForProbability,
  modelRuleVerdict,
  ruleCounts,
  slideResult,
  type DecisionSpec,
  type ReviewedCell,
  type SlideVerdict,
  type SlideVerdictKind,
  type SlideVerdictRule,
} from '@malaria/contract';

/** One patient's cells: P(Parasitized) per cell and, where known, the true label (1 = parasitized). */
export interface PatientCells {
  patient: string;
  infected: boolean;
  probs: number[];
  labels?: number[];
}

/**
 * The app's slide result (packages/contract/src/slide-result.ts, the same function the app and its report
 * use) for one patient's cells under an oracle reviewer: every queued cell is confirmed when it is
 * truly parasitized and rejected otherwise, and the whole set of cells is the target count. So an
 * infected patient is Positive exactly when at least one of its parasitized cells reaches the queue.
 */
export function reviewedVerdict(cells: PatientCells, decision: DecisionSpec): SlideVerdictKind {
  const labels = cells.labels;
  if (!labels || labels.length !== cells.probs.length)
    throw new Error(`${cells.patient}: per-cell labels are needed for the reviewed verdict`);
  const session: ReviewedCell[] = cells.probs.map((p, i) => {
    const label = labelForProbability(p, decision);
    if (!inQueue({ label })) return { label };
    return { label, review: { decision: labels[i] === 1 ? 'confirmed' : 'rejected', reason: null, at: 0 } };
  });
  return slideResult([{ cells: session }], session.length, null).verdict;
}
export type Verdict = SlideVerdict;

/** The contract's model-only rule over one patient's per-cell probabilities. */
export function applyVerdict(probs: readonly number[], rule: SlideVerdictRule, ignoreMinCells = false): Verdict {
  return modelRuleVerdict(ruleCounts(probs, rule), rule, ignoreMinCells);
}

export interface VerdictEvaluation {
  patients: number;
  sensitivity: number;
  specificity: number;
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

export function evaluateVerdict(patients: readonly PatientCells[], rule: SlideVerdictRule): VerdictEvaluation {
  let tp = 0,
    fn = 0,
    tn = 0,
    fp = 0;
  for (const p of patients) {
    const v = applyVerdict(p.probs, rule, true);
    if (p.infected) {
      if (v === 'Positive') tp++;
      else fn++;
    } else if (v === 'Positive') fp++;
    else tn++;
  }
  return {
    patients: patients.length,
    sensitivity: tp / Math.max(1, tp + fn),
    specificity: tn / Math.max(1, tn + fp),
    tp,
    fn,
    tn,
    fp,
  };
}

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonTail(lambda: number, k: number): number {
  let term = Math.exp(-lambda);
  let cdf = 0;
  for (let i = 0; i < k; i++) {
    cdf += term;
    term *= lambda / (i + 1);
  }
  return Math.max(0, 1 - cdf);
}

export interface VerdictChoiceOptions {
  /** Cells counted on a real slide (WHO practice: about 1,000 red cells). */
  cellsPerSlide?: number;
  /** Highest acceptable chance that a healthy 1,000-cell slide is called Positive. */
  maxHealthySlideFalsePositive?: number;
  minCellsForNegative?: number;
}

/**
 * Chooses k (confidently parasitized cells needed for Positive) on the validation split:
 *  1. the per-cell false-positive rate r at `confidentProbability` is measured on the validation
 *     split's Uninfected cells; k must keep P(Poisson(cellsPerSlide · r) ≥ k) ≤ maxHealthySlideFalsePositive,
 *     so a healthy slide counted to 1,000 cells stays Negative;
 *  2. among those k, the one maximising sensitivity + specificity on the validation PATIENTS
 *     (infected vs healthy), ties to the smaller k (more sensitive at low parasitaemia).
 * No fraction condition (f = 0): the dataset's per-patient parasitized fraction is curated (~50%)
 * and says nothing about real parasitaemia.
 */
export function chooseVerdictRule(
  patients: readonly PatientCells[],
  uninfectedCellProbs: readonly number[],
  confidentProbability: number,
  opts: VerdictChoiceOptions = {},
): SlideVerdictRule {
  const cellsPerSlide = opts.cellsPerSlide ?? 1000;
  const maxFp = opts.maxHealthySlideFalsePositive ?? 0.05;
  const minCells = opts.minCellsForNegative ?? 500;
  const falsePositives = uninfectedCellProbs.filter((p) => p >= confidentProbability).length;
  // Add-one smoothing so a clean validation set does not claim a zero false-positive rate.
  const rate = (falsePositives + 1) / (uninfectedCellProbs.length + 1);
  let kMin = 1;
  while (poissonTail(cellsPerSlide * rate, kMin) > maxFp && kMin < 1000) kMin++;
  let best: { rule: SlideVerdictRule; score: number } | null = null;
  for (let k = kMin; k <= kMin + 10; k++) {
    const rule = baseRule(confidentProbability, k, 0, minCells);
    const ev = evaluateVerdict(patients, rule);
    const score = ev.sensitivity + ev.specificity;
    if (!best || score > best.score + 1e-12) best = { rule, score };
  }
  const rule = (best as { rule: SlideVerdictRule }).rule;
  const ev = evaluateVerdict(patients, rule);
  return {
    ...rule,
    description:
      `${rule.description} (k chosen so that a healthy ${cellsPerSlide}-cell slide is called Positive with ≤ ${(maxFp * 100).toFixed(0)}% ` +
      `probability, given the validation per-cell false-positive rate of ${(rate * 100).toFixed(3)}%.)`,
    validation: { patients: ev.patients, sensitivity: ev.sensitivity, specificity: ev.specificity },
  };
}

function baseRule(p: number, k: number, f: number, minCells: number): SlideVerdictRule {
  return {
    confidentProbability: p,
    minParasitizedCells: k,
    minParasitizedFraction: f,
    minCellsForNegative: minCells,
    description:
      `Positive if at least ${k} red cell${k === 1 ? '' : 's'} ${k === 1 ? 'is' : 'are'} parasitized with P ≥ ${Number(p.toFixed(3))}` +
      `${f > 0 ? ` and they make up at least ${(f * 100).toFixed(1)}% of the red cells counted` : ''}; Negative otherwise once at least ` +
      `${minCells} red cells are counted; Inconclusive before that.`,
  };
}
