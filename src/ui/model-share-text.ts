/**
 * The basis line under the model's share of infected red cells (Cells totals, Field totals): the
 * count it rests on, its 95 % interval, and the "Needs review" cells it leaves out, so the headline
 * percentage is never read as a measured parasitaemia. Numbers come from modelShareEstimate (core).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { formatNumber, formatPercent } from '../core/format/format.js';
import { modelShareEstimate, type ModelShareEstimate } from '../core/cells/model-share.js';

export function modelShareBasisText(e: ModelShareEstimate): string {
  const basis = msg(
    str`${formatNumber(e.parasitized)} of ${formatNumber(e.redCells)} red cells called Infected by the model; 95% interval ${formatPercent(e.lowPercent)} – ${formatPercent(e.highPercent)}.`,
  );
  if (!e.inconclusive) return basis;
  const upTo = formatPercent(e.ifAllReviewParasitizedPercent);
  const review =
    e.inconclusive === 1
      ? msg(str`1 more cell needs review: up to ${upTo} if it is infected.`)
      : msg(str`${formatNumber(e.inconclusive)} more cells need review: up to ${upTo} if all are infected.`);
  return `${basis} ${review}`;
}

/** The basis line's look, for the styles of every element that shows one. */
export const modelShareBasisStyles = css`
  p.basis {
    margin: 0.4rem 0 0;
    font-size: 0.85rem;
    color: var(--muted, #47606b);
    overflow-wrap: anywhere;
  }
`;

/**
 * The basis line itself (`testid` carries the numbers as data attributes: docs/interface.md), under
 * the headline it qualifies (`label`: "Parasitaemia", "Share infected"); nothing without red cells.
 */
export function modelShareBasis(
  label: string,
  testid: string,
  counts: Parameters<typeof modelShareEstimate>[0],
): TemplateResult | typeof nothing {
  const e = modelShareEstimate(counts);
  if (!e) return nothing;
  return html`<p
    class="basis"
    data-testid=${testid}
    data-parasitized=${e.parasitized}
    data-red-cells=${e.redCells}
    data-inconclusive=${e.inconclusive}
    data-low-percent=${e.lowPercent}
    data-high-percent=${e.highPercent}
    data-if-all-review-percent=${e.ifAllReviewParasitizedPercent}
  >
    ${label}: ${modelShareBasisText(e)}
  </p>`;
}
