/**
 * The slide result in words, in the current language (issue 14). The core (src/core/slide/
 * slide-result.ts) also writes an English `reason`/`missing` for records and tests; the screen and
 * the report build theirs here from the same counts, so they can be translated.
 */
import { msg, str } from '@lit/localize';
import { formatDecimal, formatNumber } from '../core/format/format.js';
import { ASSUMED_MCV_FL, type BloodCountInput, type ParasiteDensity } from '../core/slide/parasitaemia.js';
import type { SlideResult } from '@malaria/contract';

const n = (v: number) => formatNumber(Math.round(v));

export function verdictText(v: SlideResult['verdict']): string {
  switch (v) {
    case 'positive':
      return msg('Positive');
    case 'negative':
      return msg('Negative');
    case 'incomplete':
      return msg('Not finished');
  }
}

function redCells(k: number): string {
  return k === 1 ? msg(str`${n(k)} red cell`) : msg(str`${n(k)} red cells`);
}
function flaggedCells(k: number): string {
  return k === 1 ? msg(str`${n(k)} flagged cell`) : msg(str`${n(k)} flagged cells`);
}

export function missingTexts(r: SlideResult): string[] {
  if (r.verdict !== 'incomplete') return [];
  const c = r.counts;
  const out: string[] = [];
  if (c.redCells < r.target) {
    const more = r.target - c.redCells;
    out.push(
      more === 1
        ? msg(str`${n(more)} more red cell to reach the target of ${n(r.target)}`)
        : msg(str`${n(more)} more red cells to reach the target of ${n(r.target)}`),
    );
  }
  if (c.pending > 0)
    out.push(
      c.pending === 1
        ? msg(str`${n(c.pending)} flagged cell not reviewed yet`)
        : msg(str`${n(c.pending)} flagged cells not reviewed yet`),
    );
  if (c.unsure > 0)
    out.push(
      c.unsure === 1
        ? msg(str`${n(c.unsure)} cell marked unsure: decide after looking again`)
        : msg(str`${n(c.unsure)} cells marked unsure: decide after looking again`),
    );
  return out;
}

export function reasonText(r: SlideResult): string {
  const c = r.counts;
  if (r.verdict === 'positive') {
    const confirmed =
      c.confirmed === 1
        ? msg(str`${n(c.confirmed)} parasitized red cell`)
        : msg(str`${n(c.confirmed)} parasitized red cells`);
    return msg(str`${confirmed} confirmed by the reviewer among ${redCells(c.redCells)} counted.`);
  }
  // Who looked at what: the model screened every red cell, the reviewer only the flagged ones.
  if (r.verdict === 'negative')
    return c.rejected > 0
      ? msg(
          str`No parasites found in ${redCells(c.redCells)} screened by the model (${flaggedCells(c.rejected)} checked and rejected by the reviewer).`,
        )
      : msg(str`No parasites found in ${redCells(c.redCells)} screened by the model (none was flagged for review).`);
  return msg(str`No parasite confirmed yet; still needed: ${missingTexts(r).join('; ')}.`);
}

/** "1 parasitized ÷ 1,000 red cells × 4,500,000 RBC/µL = 4,500 /µL", numbers in the locale's format. */
export function densityFormula(
  parasitized: number,
  counted: number,
  input: BloodCountInput,
  d: ParasiteDensity,
): string {
  const rbc =
    input.kind === 'rbc'
      ? msg(str`${n(d.rbcPerMicrolitre)} RBC/µL`)
      : msg(
          str`(${formatDecimal(input.haematocritPercent, 1)}% × 10⁷ ÷ ${ASSUMED_MCV_FL} fL = ${n(d.rbcPerMicrolitre)} RBC/µL)`,
        );
  return msg(str`${n(parasitized)} parasitized ÷ ${n(counted)} red cells × ${rbc} = ${n(d.perMicrolitre)} /µL`);
}
