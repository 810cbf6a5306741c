/**
 * The slide result as the English sentences a record stores with it (StoredResult.reason and
 * .missing) and the CSV exports carry: a fixed, searchable text that stays the same whatever
 * language the screen was in. The screen and the printed report word the same result in the user's
 * language (src/ui/result-words.ts).
 */
import type { MissingItem, SlideResult } from '@malaria/contract';

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function missingSentence(item: MissingItem, target: number): string {
  switch (item.kind) {
    case 'red-cells':
      return `${plural(item.count, 'more red cell', 'more red cells')} to reach the target of ${target.toLocaleString('en-US')}`;
    case 'pending':
      return `${plural(item.count, 'flagged cell', 'flagged cells')} not reviewed yet`;
    case 'unsure':
      return `${plural(item.count, 'cell', 'cells')} marked unsure: decide after looking again`;
  }
}

export function missingSentences(r: SlideResult): string[] {
  return r.missing.map((m) => missingSentence(m, r.target));
}

/** One sentence with the numbers the result rests on. */
export function resultReason(r: SlideResult): string {
  const c = r.counts;
  if (r.verdict === 'positive') {
    return (
      `${plural(c.confirmed, 'parasitized red cell', 'parasitized red cells')} confirmed by the reviewer ` +
      `among ${plural(c.redCells, 'red cell', 'red cells')} counted.`
    );
  }
  // Who looked at what: the model screened every red cell, the reviewer only the flagged ones.
  if (r.verdict === 'negative') {
    const screened = `No parasites found in ${plural(c.redCells, 'red cell', 'red cells')} screened by the model`;
    return c.rejected > 0
      ? `${screened} (${plural(c.rejected, 'flagged cell', 'flagged cells')} checked and rejected by the reviewer).`
      : `${screened} (none was flagged for review).`;
  }
  return `No parasite confirmed yet; still needed: ${missingSentences(r).join('; ')}.`;
}
