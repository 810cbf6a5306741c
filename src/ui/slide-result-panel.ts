/**
 * <slide-result-panel>: the slide result from the microscopist's review (packages/contract/src/slide-result.ts),
 * with the numbers it rests on: red cells counted, cells confirmed, parasitaemia with its 95 %
 * interval (or why it cannot be quantified yet), parasites per µL when a blood count is given, and
 * the detection limit of the count. No model-only estimate is shown here.
 *
 * Test hooks: `[data-testid="verdict"]` with `data-verdict` = positive | negative | incomplete;
 * `verdict-reason`, `verdict-missing`, `result-parasitaemia` (data-percent, data-low, data-high),
 * `result-density`, `detection-limit`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { parasiteDensity, validateBloodCount, type BloodCountInput } from '../core/slide/parasitaemia.js';
import type { SlideResult } from '@malaria/contract';
import { sessionStyles } from './session-styles.js';
import { formatNumber, formatPercent } from '../core/format/format.js';
import { densityFormula, missingTexts, reasonText, verdictText } from './result-words.js';

function count(n: number): string {
  return formatNumber(Math.round(n));
}

@customElement('slide-result-panel')
@localized()
export class SlideResultPanel extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      .verdict {
        font-size: 2em;
        font-weight: 800;
        margin: 0.25rem 0;
      }
      .verdict.positive {
        color: #8a1c1c;
      }
      .verdict.negative {
        color: #0b6b3a;
      }
      .verdict.incomplete {
        color: #5a4300;
      }
      ul {
        margin: 0.25rem 0;
      }
      .basis {
        color: #3b4954;
        font-size: 0.95em;
      }
    `,
  ];

  @property({ attribute: false }) result: SlideResult | null = null;
  @property({ attribute: false }) bloodCount: BloodCountInput | null = null;

  private renderParasitaemia(r: SlideResult) {
    const e = r.parasitaemia;
    if (!e || r.verdict !== 'positive') return nothing;
    return html`<p
        data-testid="result-parasitaemia"
        data-percent=${e.percent.toFixed(4)}
        data-low=${e.lowPercent.toFixed(4)}
        data-high=${e.highPercent.toFixed(4)}
      >
        ${msg('Parasitaemia')}
        <strong>${formatPercent(e.percent)}</strong>
        (${msg(str`95% interval ${formatPercent(e.lowPercent)} – ${formatPercent(e.highPercent)}`)})<br />
        <span class="basis"
          >${msg(str`${count(e.confirmed)} confirmed parasitized of ${count(e.redCells)} red cells; Wilson score interval.`)}</span
        >
        ${
          e.quantifiable
            ? nothing
            : html`<br /><strong data-testid="result-not-quantified">${msg('Too few cells to quantify:')}</strong>
                ${msg(str`at this density count ${count(e.cellsNeeded)} red cells (WHO practice), ${count(e.cellsNeeded - e.redCells)} more.`)}`
        }
      </p>
      ${this.renderDensity(e.confirmed, e.redCells, e.lowPercent, e.highPercent)}`;
  }

  private renderDensity(confirmed: number, redCells: number, lowPercent: number, highPercent: number) {
    const b = this.bloodCount;
    if (!b || validateBloodCount(b)) return nothing;
    const d = parasiteDensity(confirmed, redCells, b);
    if (!d) return nothing;
    return html`<p data-testid="result-density">
      <strong>${count(d.perMicrolitre)}</strong> ${msg('parasitized red cells per µL')}
      (${msg(str`95% interval ${count((lowPercent / 100) * d.rbcPerMicrolitre)} – ${count((highPercent / 100) * d.rbcPerMicrolitre)}`)})<br />
      <small data-testid="density-formula">${densityFormula(confirmed, redCells, b, d)}</small>
    </p>`;
  }

  private renderLimit(r: SlideResult) {
    if (r.counts.redCells === 0) return nothing;
    if (r.detectionLimitPercent === null) {
      return html`<p class="basis" data-testid="detection-limit">
        ${msg('The model ships no measured share of parasites it flags, so the detection limit of this count is not stated.')}
      </p>`;
    }
    return html`<p class="basis" data-testid="detection-limit" data-percent=${r.detectionLimitPercent.toFixed(4)}>
      ${msg(str`Detection limit of this count: a parasitaemia of ${formatPercent(r.detectionLimitPercent)} or more would have put at least one parasitized cell in front of you with 95% probability (${count(r.counts.redCells)} red cells; the model flags ${formatPercent((r.queueRecall ?? 0) * 100)} of parasitized cells on test patients).`)}
    </p>`;
  }

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const c = r.counts;
    return html`
      <p class="verdict ${r.verdict}" data-testid="verdict" data-verdict=${r.verdict}>${verdictText(r.verdict)}</p>
      <p data-testid="verdict-reason">${reasonText(r)}</p>
      ${
        r.missing.length
          ? html`<ul data-testid="verdict-missing">
              ${missingTexts(r).map((m) => html`<li>${m}</li>`)}
            </ul>`
          : nothing
      }
      ${this.renderParasitaemia(r)} ${this.renderLimit(r)}
      <p class="basis">
        ${msg(str`Basis: ${count(c.redCells)} red cells counted (target ${count(r.target)}); ${count(c.queued)} flagged for review: ${count(c.confirmed)} parasite, ${count(c.rejected)} not a parasite, ${count(c.unsure)} unsure, ${count(c.pending)} not reviewed.`)}
        ${msg('The result comes from your review, not from the model alone.')}
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slide-result-panel': SlideResultPanel;
  }
}
