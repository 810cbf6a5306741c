/** Running totals over classified cells, shown above the result list. */
export type ResultLabel = 'Parasitized' | 'Uninfected' | 'Inconclusive' | 'Error';

export interface ResultTotals {
  parasitized: number;
  uninfected: number;
  inconclusive: number;
  errors: number;
  /** Cells with a label (errors excluded). */
  classified: number;
  /** parasitized / classified × 100, or null when nothing is classified yet. */
  percentParasitized: number | null;
}

export function emptyTotals(): ResultTotals {
  return { parasitized: 0, uninfected: 0, inconclusive: 0, errors: 0, classified: 0, percentParasitized: null };
}

/** Returns new totals with one more result counted (immutable, so Lit sees the change). */
export function addToTotals(totals: ResultTotals, label: ResultLabel): ResultTotals {
  const next = { ...totals };
  switch (label) {
    case 'Parasitized': next.parasitized++; break;
    case 'Uninfected': next.uninfected++; break;
    case 'Inconclusive': next.inconclusive++; break;
    case 'Error': next.errors++; break;
  }
  next.classified = next.parasitized + next.uninfected + next.inconclusive;
  next.percentParasitized = next.classified ? (100 * next.parasitized) / next.classified : null;
  return next;
}

export function totalsFor(labels: Iterable<ResultLabel>): ResultTotals {
  let t = emptyTotals();
  for (const l of labels) t = addToTotals(t, l);
  return t;
}

/** "12.5 %" with one decimal, or "—" when undefined. */
export function formatPercent(p: number | null): string {
  return p === null ? '—' : `${p.toFixed(1)} %`;
}
