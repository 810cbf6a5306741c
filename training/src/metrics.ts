/**
 * Classification metrics for P(Parasitized) predictions against 0/1 truth (1 = Parasitized).
 * Pure functions, unit-tested against hand-computed answers.
 */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryMetrics {
  n: number;
  threshold: number;
  accuracy: number;
  sensitivity: number; // recall of Parasitized
  specificity: number;
  precision: number;
  f1: number;
  rocAuc: number;
  ece: number;
  confusion: Confusion;
}

export function confusionAt(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < probs.length; i++) {
    const pred = (probs[i] as number) >= threshold;
    const pos = labels[i] === 1;
    if (pred && pos) c.tp++;
    else if (pred) c.fp++;
    else if (pos) c.fn++;
    else c.tn++;
  }
  return c;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** ROC AUC as the Mann–Whitney statistic (ties count one half). */
export function rocAuc(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const items = Array.from({ length: probs.length }, (_, i) => ({ p: probs[i] as number, y: labels[i] as number }));
  items.sort((a, b) => a.p - b.p);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < items.length) {
    let j = i;
    while (j + 1 < items.length && (items[j + 1] as { p: number }).p === (items[i] as { p: number }).p) j++;
    const avgRank = (i + j) / 2 + 1; // 1-based average rank of the tie group
    for (let k = i; k <= j; k++)
      if ((items[k] as { y: number }).y === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    i = j + 1;
  }
  const nNeg = items.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** ROC points (false positive rate, true positive rate), from threshold +∞ down to −∞. */
export function rocCurve(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
): { fpr: number; tpr: number; threshold: number }[] {
  const idx = Array.from({ length: probs.length }, (_, i) => i).sort(
    (a, b) => (probs[b] as number) - (probs[a] as number),
  );
  let nPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) nPos++;
  const nNeg = labels.length - nPos;
  const pts = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = idx[k + 1];
    if (next === undefined || probs[next] !== probs[i])
      pts.push({ fpr: ratio(fp, nNeg), tpr: ratio(tp, nPos), threshold: probs[i] as number });
  }
  return pts;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanProbability: number;
  fractionPositive: number;
}

/** Equal-width bins of P(Parasitized); the last bin includes 1.0. */
export function reliabilityBins(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: 0,
    meanProbability: 0,
    fractionPositive: 0,
  }));
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const b = out[Math.min(bins - 1, Math.floor(p * bins))] as ReliabilityBin;
    b.count++;
    b.meanProbability += p;
    b.fractionPositive += labels[i] === 1 ? 1 : 0;
  }
  for (const b of out)
    if (b.count > 0) {
      b.meanProbability /= b.count;
      b.fractionPositive /= b.count;
    }
  return out;
}

/** Expected calibration error of P(Parasitized): Σ_bins (n_b / N) · |observed positive rate − mean P|. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const n = probs.length;
  if (n === 0) return 0;
  return reliabilityBins(probs, labels, bins).reduce(
    (s, b) => s + (b.count / n) * Math.abs(b.fractionPositive - b.meanProbability),
    0,
  );
}

export function binaryMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  const c = confusionAt(probs, labels, threshold);
  const precision = ratio(c.tp, c.tp + c.fp);
  const sensitivity = ratio(c.tp, c.tp + c.fn);
  return {
    n: probs.length,
    threshold,
    accuracy: ratio(c.tp + c.tn, probs.length),
    sensitivity,
    specificity: ratio(c.tn, c.tn + c.fp),
    precision,
    f1: ratio(2 * precision * sensitivity, precision + sensitivity),
    rocAuc: rocAuc(probs, labels),
    ece: expectedCalibrationError(probs, labels),
    confusion: c,
  };
}

/** Threshold maximising Youden's J (sensitivity + specificity − 1); ties resolved towards 0.5. */
export function chooseThreshold(probs: ArrayLike<number>, labels: ArrayLike<number>, grid = 200): number {
  let best = 0.5;
  let bestJ = -Infinity;
  for (let k = 1; k < grid; k++) {
    const t = k / grid;
    const m = confusionAt(probs, labels, t);
    const j = ratio(m.tp, m.tp + m.fn) + ratio(m.tn, m.tn + m.fp) - 1;
    if (j > bestJ + 1e-12 || (Math.abs(j - bestJ) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
      bestJ = j;
      best = t;
    }
  }
  return best;
}

export interface BandChoice {
  low: number;
  high: number;
  inside: number;
  accuracyOutside: number;
  targetMet: boolean;
}

/**
 * Inconclusive band [low, high] around the threshold: the band holding the fewest cells such that the
 * cells outside it are classified with at least `targetAccuracy`; if no band with at most
 * `maxInside` of the cells reaches it, the band (within that limit) with the best outside accuracy.
 */
export function chooseInconclusiveBand(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  targetAccuracy = 0.99,
  maxInside = 0.15,
  step = 0.01,
): BandChoice {
  const n = probs.length;
  const lows: number[] = [];
  const highs: number[] = [];
  for (let k = 0; threshold - k * step >= -1e-9; k++) lows.push(round(Math.max(0, threshold - k * step)));
  for (let k = 0; threshold + k * step <= 1 + 1e-9; k++) highs.push(round(Math.min(1, threshold + k * step)));
  let best: BandChoice | null = null;
  let fallback: BandChoice | null = null;
  for (const low of lows) {
    for (const high of highs) {
      let inside = 0;
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const p = probs[i] as number;
        if (p > low && p < high) {
          inside++;
          continue;
        }
        if ((p >= threshold ? 1 : 0) === labels[i]) correct++;
      }
      const insideFrac = inside / Math.max(1, n);
      if (insideFrac > maxInside) continue;
      const acc = ratio(correct, n - inside);
      const cand = { low, high, inside: insideFrac, accuracyOutside: acc, targetMet: acc >= targetAccuracy };
      if (
        cand.targetMet &&
        (!best ||
          insideFrac < best.inside - 1e-12 ||
          (Math.abs(insideFrac - best.inside) <= 1e-12 && high - low < best.high - best.low))
      )
        best = cand;
      if (!fallback || acc > fallback.accuracyOutside + 1e-12) fallback = cand;
    }
  }
  return (
    best ?? fallback ?? { low: threshold, high: threshold, inside: 0, accuracyOutside: ratio(n, n), targetMet: false }
  );
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
