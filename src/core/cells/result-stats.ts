/** "12.5 %" with one decimal, or "—" when undefined. (Counting lives in ./cell-counts.ts.) */
export function formatPercent(p: number | null): string {
  return p === null ? '—' : `${p.toFixed(1)} %`;
}
