/** <result-summary>: running totals over the classified cells. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { formatPercent } from '../core/format/format.js';
import { ZERO_OUTCOME_COUNTS, type OutcomeCounts } from '../core/cells/cell-counts.js';
import { parasitaemiaPercent } from '../core/slide/parasitaemia.js';
import { labelText } from './words.js';
import { modelShareBasis, modelShareBasisStyles } from './model-share-text.js';

@customElement('result-summary')
@localized()
export class ResultSummary extends LitElement {
  static override styles = [
    modelShareBasisStyles,
    css`
      :host {
        display: block;
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0;
      }
      div {
        background: var(--panel, #fff);
        border-radius: 8px;
        padding: 0.4rem 0.9rem;
        min-width: 6.5rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.12);
      }
      dt {
        font-size: 0.8rem;
        color: var(--muted, #47606b);
      }
      dd {
        margin: 0;
        font-size: 1.4rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .p dd {
        color: var(--parasitized, #a4161a);
      }
      .u dd {
        color: var(--uninfected, #1b6b3a);
      }
      .i dd {
        color: var(--inconclusive, #8a5a00);
      }
      .e dd {
        color: var(--error, #5c2d91);
      }
      .a dd {
        color: var(--artefact, #00664a);
      }
    `,
  ];

  @property({ attribute: false }) totals: OutcomeCounts = { ...ZERO_OUTCOME_COUNTS };

  protected override render() {
    const t = this.totals;
    return html`<dl
        aria-live="polite"
        data-testid="totals"
        data-parasitized=${t.parasitized}
        data-uninfected=${t.uninfected}
        data-inconclusive=${t.inconclusive}
        data-artefacts=${t.artefacts}
        data-errors=${t.errors}
      >
        <div class="p">
          <dt>${labelText('Parasitized')}</dt>
          <dd>${t.parasitized}</dd>
        </div>
        <div class="u">
          <dt>${labelText('Uninfected')}</dt>
          <dd>${t.uninfected}</dd>
        </div>
        <div class="i">
          <dt>${labelText('Inconclusive')}</dt>
          <dd>${t.inconclusive}</dd>
        </div>
        <div>
          <dt>${msg('Share infected')}</dt>
          <dd>${formatPercent(parasitaemiaPercent(t.parasitized, t.redCells), 1)}</dd>
        </div>
        ${
          t.artefacts
            ? html`<div class="a">
                <dt>${msg('Not red cells (artefacts)')}</dt>
                <dd data-testid="totals-artefacts">${t.artefacts}</dd>
              </div>`
            : ''
        }
        ${
          t.errors
            ? html`<div class="e">
                <dt>${labelText('Error')}</dt>
                <dd>${t.errors}</dd>
              </div>`
            : ''
        }
      </dl>
      ${modelShareBasis(msg('Share infected'), 'totals-share-basis', this.totals)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'result-summary': ResultSummary;
  }
}
