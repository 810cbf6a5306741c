/**
 * The Artefact head of the issue-17 study (`npm run artefact-study`): logistic regression on the CNN's
 * global-average-pool features, P(Artefact) = σ(w·f + b), fitted with the standardisation folded back into
 * (w, b) so that it can be stored as a plain dense layer next to the P(Parasitized) output.
 */
export interface Head {
  w: Float64Array;
  b: number;
}

/** L2-regularised, class-balanced logistic regression by full-batch gradient descent on standardised features. */
export function fitLogistic(x: Float32Array[], y: Uint8Array, l2 = 1e-3, iters = 600, lr = 0.5): Head {
  const d = x[0]!.length,
    n = x.length;
  const mean = new Float64Array(d),
    sd = new Float64Array(d);
  for (const v of x) for (let j = 0; j < d; j++) mean[j]! += v[j]! / n;
  for (const v of x) for (let j = 0; j < d; j++) sd[j]! += (v[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) + 1e-6;
  const pos = y.reduce((s, v) => s + v, 0);
  const wPos = n / (2 * Math.max(1, pos)),
    wNeg = n / (2 * Math.max(1, n - pos));
  const w = new Float64Array(d);
  let b = 0;
  const z = x.map((v) => Float64Array.from(v, (e, j) => (e - mean[j]!) / sd[j]!));
  for (let it = 0; it < iters; it++) {
    const gw = new Float64Array(d);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let s = b;
      const zi = z[i]!;
      for (let j = 0; j < d; j++) s += w[j]! * zi[j]!;
      const p = 1 / (1 + Math.exp(-s));
      const g = ((p - y[i]!) * (y[i] ? wPos : wNeg)) / n;
      for (let j = 0; j < d; j++) gw[j]! += g * zi[j]!;
      gb += g;
    }
    for (let j = 0; j < d; j++) w[j]! -= lr * (gw[j]! + l2 * w[j]!);
    b -= lr * gb;
  }
  // Fold the standardisation into the weights: s = Σ w_j (x_j − m_j)/sd_j + b.
  const wf = Float64Array.from(w, (v, j) => v / sd[j]!);
  const bf = b - w.reduce((s, v, j) => s + (v * mean[j]!) / sd[j]!, 0);
  return { w: wf, b: bf };
}

export function headScore(h: Head, v: Float32Array): number {
  let s = h.b;
  for (let j = 0; j < v.length; j++) s += h.w[j]! * v[j]!;
  return 1 / (1 + Math.exp(-s));
}
