/**
 * The one median. `evenCount` says what a list with an even number of values gives:
 *  - 'mean' (default): the mean of the two middle values (the textbook median);
 *  - 'upper': the upper of the two (always one of the values; detection uses it, and its numbers
 *    are pinned by `npm run eval:fields`).
 * An empty list gives NaN (callers that need another value for "none" say so at the call).
 */
export function median(values: readonly number[], evenCount: 'mean' | 'upper' = 'mean'): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length % 2 || evenCount === 'upper') return s[mid] as number;
  return ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
