/**
 * <session-totals>: the running count of a slide: red cells counted (with the progress bar toward
 * the target), cells flagged for review and how many are decided, parasites confirmed, white cells.
 * Numbers come from the stored cells and reviews (packages/contract/src/slide-result.ts countReviews).
 * Test hooks: data-testid="total-red-cells" | "total-flagged" | "total-reviewed" | "total-confirmed" |
 * "total-white-cells" | "total-artefacts" (detections that are not red cells: platelets, debris,
 * fragments; counted nowhere else) | "progress".
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { styleMap } from 'lit/directives/style-map.js';
import { progressToward } from '../core/slide/counts.js';
import { ZERO_REVIEW_COUNTS, type ReviewCounts } from '@malaria/contract';
import { sessionStyles } from './session-styles.js';
import { formatNumber } from '../core/format/format.js';

@customElement('session-totals')
@localized()
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
        font-size: 0.85em;
        color: #3b4954;
      }
      dd {
        margin: 0;
        font-size: 1.6em;
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
        dl,
        .progress {
          break-inside: avoid;
        }
        .fill {
          print-color-adjust: exact;
          -webkit-print-color-adjust: exact;
        }
      }
    `,
  ];

  @property({ attribute: false }) counts: ReviewCounts | null = null;
  @property({ type: Number }) target = 1000;
  /** Detections that are not red cells (label 'Artefact'), over the session's images. */
  @property({ type: Number }) artefacts = 0;

  override render() {
    const t = this.counts ?? ZERO_REVIEW_COUNTS;
    const p = progressToward(t.redCells, this.target);
    const pct = Math.round(p.fraction * 100);
    return html`
      <dl aria-label=${msg('Running totals')}>
        <div>
          <dt>${msg('Red cells counted')}</dt>
          <dd data-testid="total-red-cells">${t.redCells}</dd>
        </div>
        <div>
          <dt>${msg('Flagged for review')}</dt>
          <dd data-testid="total-flagged">${t.queued}</dd>
        </div>
        <div>
          <dt>${msg('Reviewed')}</dt>
          <dd data-testid="total-reviewed">${t.queued - t.pending}</dd>
        </div>
        <div>
          <dt>${msg('Parasites confirmed')}</dt>
          <dd data-testid="total-confirmed">${t.confirmed}</dd>
        </div>
        <div>
          <dt>${msg('White blood cells')}</dt>
          <dd data-testid="total-white-cells">${t.whiteBloodCells}</dd>
        </div>
        <div>
          <dt>${msg('Not red cells (artefacts)')}</dt>
          <dd data-testid="total-artefacts">${this.artefacts}</dd>
        </div>
      </dl>
      <div class="progress">
        <div id="progress-label">
          ${
            p.reached
              ? msg(str`${formatNumber(p.counted)} of ${formatNumber(p.target)} red cells counted — target reached`)
              : msg(str`${formatNumber(p.counted)} of ${formatNumber(p.target)} red cells counted`)
          }
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
