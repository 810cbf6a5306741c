/**
 * <session-totals>: running totals of a slide session (red cells, parasitized, inconclusive,
 * parasitaemia %, white cells) and the progress bar toward the target red-cell count.
 * Test hooks: data-testid="total-red-cells" | "total-parasitized" | "total-inconclusive" |
 * "total-parasitaemia" | "total-white-cells" | "progress".
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { progressToward, ZERO_COUNTS, type SlideCounts } from '../core/slide/counts.js';
import { parasitaemiaPercent } from '../core/slide/parasitaemia.js';
import { formatPercent } from '../core/slide/session-summary.js';
import { sessionStyles } from './session-styles.js';

@customElement('session-totals')
export class SessionTotals extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: 0.5rem;
        margin: 0;
      }
      dl > div {
        background: #f2f6f8;
        border-radius: 0.5rem;
        padding: 0.5rem 0.75rem;
      }
      dt {
        font-size: 0.85rem;
        color: #3b4954;
      }
      dd {
        margin: 0;
        font-size: 1.6rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .progress {
        margin-top: 0.75rem;
      }
      .bar {
        height: 1.25rem;
        border-radius: 0.6rem;
        background: #dde3e8;
        overflow: hidden;
        border: 1px solid #8796a2;
      }
      .fill {
        height: 100%;
        background: #0f4c5c;
        transition: width 0.2s;
      }
      .fill.reached {
        background: #0b6b3a;
      }
      @media print {
        .fill {
          print-color-adjust: exact;
          -webkit-print-color-adjust: exact;
        }
      }
    `,
  ];

  @property({ attribute: false }) totals: SlideCounts = { ...ZERO_COUNTS };
  @property({ type: Number }) target = 1000;

  override render() {
    const t = this.totals;
    const p = progressToward(t.redCells, this.target);
    const pct = Math.round(p.fraction * 100);
    return html`
      <dl aria-label="Running totals">
        <div><dt>Red cells</dt><dd data-testid="total-red-cells">${t.redCells}</dd></div>
        <div><dt>Parasitized</dt><dd data-testid="total-parasitized">${t.parasitized}</dd></div>
        <div><dt>Inconclusive</dt><dd data-testid="total-inconclusive">${t.inconclusive}</dd></div>
        <div>
          <dt>Parasitaemia</dt>
          <dd data-testid="total-parasitaemia">${formatPercent(parasitaemiaPercent(t.parasitized, t.redCells))}</dd>
        </div>
        <div><dt>White cells</dt><dd data-testid="total-white-cells">${t.whiteBloodCells}</dd></div>
      </dl>
      <div class="progress">
        <div id="progress-label">
          ${p.counted} of ${p.target} red cells counted${p.reached ? ' — target reached' : ''}
        </div>
        <div
          class="bar"
          role="progressbar"
          data-testid="progress"
          aria-labelledby="progress-label"
          aria-valuemin="0"
          aria-valuemax=${p.target}
          aria-valuenow=${Math.min(p.counted, p.target)}
        >
          <div class="fill ${p.reached ? 'reached' : ''}" style=${styleMap({ width: `${pct}%` })}></div>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-totals': SessionTotals;
  }
}
