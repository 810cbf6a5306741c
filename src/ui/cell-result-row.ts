/**
 * <cell-result-row>: one classified (or rejected) image. The host element carries the stable test
 * hooks: data-testid="result", data-file, data-label (Parasitized | Uninfected | Inconclusive |
 * Artefact — not a red cell, the gate's reason shown, never classified | Error) and data-probability
 * (P(Parasitized); absent for Artefact and Error). The reason of an Artefact or Error row is in
 * data-testid="result-message".
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { styleMap } from 'lit/directives/style-map.js';
import type { CellResult } from '../core/cells/cell-result.js';
import { formatProbability } from '../core/format/format.js';
import { bandText, labelText } from './words.js';
import { coreText } from './core-text.js';
import { ThumbnailUrlController } from './thumbnail-url.js';

const LABEL_ICON: Record<CellResult['label'], string> = {
  Parasitized: '●',
  Uninfected: '○',
  Inconclusive: '◐',
  Artefact: '◇',
  Error: '✕',
};

@customElement('cell-result-row')
@localized()
export class CellResultRow extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: 72px 1fr;
      gap: 0.4rem 0.9rem;
      align-items: center;
      padding: 0.6rem 0.8rem;
      background: var(--panel, #fff);
      border-left: 6px solid var(--row-color, #999);
      border-radius: 8px;
      box-shadow: 0 1px 2px rgb(0 0 0 / 0.12);
      content-visibility: auto;
      contain-intrinsic-size: auto 96px;
    }
    :host([data-label='Parasitized']) {
      --row-color: var(--parasitized, #a4161a);
    }
    :host([data-label='Uninfected']) {
      --row-color: var(--uninfected, #1b6b3a);
    }
    :host([data-label='Inconclusive']) {
      --row-color: var(--inconclusive, #8a5a00);
    }
    :host([data-label='Error']) {
      --row-color: var(--error, #5c2d91);
    }
    :host([data-label='Artefact']) {
      --row-color: var(--artefact, #00664a);
    }
    .thumb {
      width: 72px;
      height: 72px;
      border-radius: 6px;
      object-fit: cover;
      background: #e6ecef;
      display: grid;
      place-items: center;
      font-size: 2rem;
      color: var(--error, #5c2d91);
    }
    .name {
      font-size: 0.85rem;
      color: var(--muted, #47606b);
      overflow-wrap: anywhere;
    }
    .label {
      font-weight: 700;
      font-size: 1.15rem;
      color: var(--row-color);
    }
    .prob {
      font-variant-numeric: tabular-nums;
    }
    .bar {
      height: 10px;
      border-radius: 5px;
      background: #e1e7ea;
      overflow: hidden;
      margin-top: 0.3rem;
    }
    .bar > span {
      display: block;
      height: 100%;
      background: var(--row-color);
    }
    .message {
      color: var(--error, #5c2d91);
    }
    .message.artefact {
      color: var(--ink, #102a33);
    }
    .band {
      font-size: 0.9rem;
      color: var(--inconclusive, #8a5a00);
    }
  `;

  @property({ attribute: false }) result: CellResult | null = null;
  /** The model's "needs review" band (P between low and high), explained on Inconclusive rows. */
  @property({ attribute: false }) band: { low: number; high: number } | null = null;

  private readonly thumbnail = new ThumbnailUrlController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('result') || !this.result) return;
    const r = this.result;
    this.thumbnail.source = r.thumbnail;
    this.setAttribute('data-testid', 'result');
    this.setAttribute('data-file', r.fileName);
    this.setAttribute('data-label', r.label);
    if (r.probability === null) this.removeAttribute('data-probability');
    else this.setAttribute('data-probability', String(r.probability));
    this.setAttribute('role', 'listitem');
  }

  protected override render() {
    const r = this.result;
    if (!r) return nothing;
    const p = r.probability;
    return html`
      ${
        r.thumbnail
          ? this.thumbnail.url
            ? html`<img class="thumb" src=${this.thumbnail.url} alt="" loading="lazy" decoding="async" />`
            : html`<div class="thumb" aria-hidden="true"></div>`
          : html`<div class="thumb" aria-hidden="true">${LABEL_ICON.Error}</div>`
      }
      <div>
        <div class="label"><span aria-hidden="true">${LABEL_ICON[r.label]}</span> ${labelText(r.label)}</div>
        ${
          p === null
            ? html`<div
                class="message ${r.label === 'Artefact' ? 'artefact' : ''}"
                role="note"
                data-testid="result-message"
              >
                ${r.message ? coreText(r.message) : msg('Could not classify this file.')}
                ${r.label === 'Artefact' ? html`<br />${msg('Not counted as a red cell.')}` : nothing}
              </div>`
            : html` <div class="prob">${msg(str`Infection likelihood ${formatProbability(p, 1)}`)}</div>
                ${r.label === 'Inconclusive' ? html`<div class="band" data-testid="result-band">${bandText(this.band)}</div>` : nothing}
                <div
                  class="bar"
                  role="meter"
                  aria-label=${msg('Infection likelihood')}
                  aria-valuemin="0"
                  aria-valuemax="100"
                  aria-valuenow=${Math.round(p * 100)}
                >
                  <span style=${styleMap({ width: `${(p * 100).toFixed(1)}%` })}></span>
                </div>`
        }
        <div class="name">${r.fileName}</div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cell-result-row': CellResultRow;
  }
}
