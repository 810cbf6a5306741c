/**
 * Post-hoc calibration of P(Parasitized), fitted on validation cells: temperature scaling
 * (P' = σ(logit(P) / T), one parameter, ranking unchanged) and Platt scaling (P' = σ(a·logit(P) + b)).
 * Both are monotone, so ROC AUC and which cells a band holds do not change — only the numbers.
 */
import { meanOfViews } from './predict.js';

const EPS = 1e-6;

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function applyPlatt(p: number, a: number, b: number): number {
  return 1 / (1 + Math.exp(-(a * logit(p) + b)));
}

function nll(probs: ArrayLike<number>, labels: ArrayLike<number>, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) {
    const z = a * logit(probs[i] as number) + b;
    // −log σ(z) = softplus(−z); −log(1 − σ(z)) = softplus(z)
    const t = labels[i] === 1 ? -z : z;
    s += t > 30 ? t : Math.log1p(Math.exp(t));
  }
  return s / Math.max(1, probs.length);
}

/** Golden-section minimisation of a unimodal function on [lo, hi]. */
function golden(f: (x: number) => number, lo: number, hi: number, iters = 80): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo,
    b = hi;
  let c = b - g * (b - a),
    d = a + g * (b - a);
  let fc = f(c),
    fd = f(d);
  for (let i = 0; i < iters; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Temperature T minimising validation NLL of σ(logit(P) / T); searched over log T ∈ [−3, 3]. */
export function fitTemperature(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  return Math.exp(golden((lt) => nll(probs, labels, Math.exp(-lt), 0), -3, 3));
}

/** Platt scaling (a, b) minimising validation NLL (coordinate descent of golden-section searches). */
export function fitPlatt(probs: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  let a = 1 / fitTemperature(probs, labels),
    b = 0;
  for (let it = 0; it < 8; it++) {
    b = golden((x) => nll(probs, labels, a, x), -5, 5);
    a = golden((x) => nll(probs, labels, x, b), 0.05, 5);
  }
  return { a, b };
}

/** P = mean over views of σ(a·logit(P_view) + b): Platt applied to each view before the views are averaged. */
export function plattOverViews(views: readonly ArrayLike<number>[], i: number, a: number, b: number): number {
  let s = 0;
  for (const v of views) s += applyPlatt(v[i] as number, a, b);
  return s / views.length;
}

function nllOverViews(views: readonly ArrayLike<number>[], labels: ArrayLike<number>, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, plattOverViews(views, i, a, b)));
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, labels.length);
}

/**
 * Platt scaling for a model whose P is the mean of its views' P (metadata `output.views`): (a, b) minimise
 * the validation NLL of mean_v σ(a·z_v + b). Applied per view, it can be folded into the output layer's
 * weights (`foldPlattIntoOutput`), so the shipped network itself outputs calibrated P and the app's mean over
 * views needs no extra step. With one view it is `fitPlatt`.
 */
export function fitPlattOverViews(
  views: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
): { a: number; b: number } {
  if (!views.length || views.some((v) => v.length !== labels.length)) throw new Error('one score per cell and view');
  if (views.length === 1) return fitPlatt(views[0]!, labels);
  let { a, b } = fitPlatt(meanOfViews(views), labels);
  for (let it = 0; it < 8; it++) {
    b = golden((x) => nllOverViews(views, labels, a, x), -5, 5);
    a = golden((x) => nllOverViews(views, labels, x, b), 0.05, 5);
  }
  return { a, b };
}

/**
 * Review-queue edge for a recall floor: the highest edge e such that at least `recall` of the positives have
 * P > e (cells above the band's low edge are queued).
 */
export function recallFloorEdge(probs: ArrayLike<number>, labels: ArrayLike<number>, recall = 0.99): number {
  const pos = Array.from(probs)
    .filter((_, i) => labels[i] === 1)
    .sort((a, b) => a - b);
  // Cells with P > edge are queued; keep ≥ recall of positives above → edge just below the k-th lowest.
  const k = Math.floor(pos.length * (1 - recall));
  const v = pos[k] ?? 0;
  return Math.max(0, v - 1e-6);
}
