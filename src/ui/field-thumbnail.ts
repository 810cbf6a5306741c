/**
 * <field-thumbnail>: a stored (downscaled) field image with every cell's box drawn over it,
 * coloured by label. Coordinates are stored in the analysed image's grid; the SVG viewBox uses that
 * grid so the boxes line up at any display size. The caption gives the model's calls as the model's
 * ("model: 2 flagged as Infected, …"): printed next to a Negative result from the review, bare label
 * counts ("2 Infected") read as a contradiction.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { storedImageUrl } from '../services/records/stored-image.js';
import type { FieldRecord } from '../core/records/schema.js';
import { CELL_LABELS, type CellLabel } from '@malaria/contract';
import { FIELD_LOOKS } from './palette.js';
import { labelText } from './words.js';
import { outlineFrameStyles } from './outline-frame-styles.js';

/** One label's count in the caption: the labels that put a cell in the review say "flagged". */
function modelCount(label: CellLabel, n: number): string {
  switch (label) {
    case 'Parasitized':
      return msg(str`${n} flagged as Infected`);
    case 'Inconclusive':
      return msg(str`${n} flagged as Needs review`);
    default:
      return `${n} ${labelText(label)}`;
  }
}

/** "model: 2 flagged as Infected, 200 Not infected" in a fixed label order; null for no cells. */
function modelSummary(field: FieldRecord): string | null {
  const counts = new Map<CellLabel, number>();
  for (const c of field.cells) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
  const parts = CELL_LABELS.filter((l) => counts.has(l)).map((l) => modelCount(l, counts.get(l) ?? 0));
  return parts.length ? msg(str`model: ${parts.join(', ')}`) : null;
}

@customElement('field-thumbnail')
@localized()
export class FieldThumbnail extends LitElement {
  static override styles = [
    outlineFrameStyles,
    css`
      :host {
        display: block;
      }
      figure {
        margin: 0;
        position: relative;
        break-inside: avoid;
      }
      figcaption {
        font-size: 0.85em;
        overflow-wrap: anywhere;
      }
      .none {
        padding: 1rem;
        color: #fff;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) field: FieldRecord | null = null;
  @state() private url: string | null = null;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('field')) {
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = this.field?.image ? storedImageUrl(this.field.image) : null;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.url && this.field?.image) this.url = storedImageUrl(this.field.image);
  }

  override render() {
    const f = this.field;
    if (!f) return nothing;
    const stroke = Math.max(1, Math.max(f.width, f.height) / 400);
    const summary = modelSummary(f);
    return html`<figure>
      <div class="frame">
        ${
          this.url
            ? html`<img src=${this.url} alt=${msg(str`Image ${f.index}: ${f.name}. ${summary ?? msg('no cells')}`)} />
                ${
                  f.kind === 'field'
                    ? svg`<svg viewBox="0 0 ${f.width} ${f.height}" preserveAspectRatio="none" aria-hidden="true">
                    ${f.cells.map(
                      (c) => svg`<rect x=${c.box.x} y=${c.box.y} width=${c.box.width} height=${c.box.height}
                        fill="none" stroke=${FIELD_LOOKS[c.label].stroke} stroke-width=${(stroke * FIELD_LOOKS[c.label].width) / 2}
                        stroke-dasharray=${FIELD_LOOKS[c.label].dash.length ? FIELD_LOOKS[c.label].dash.map((d) => d * stroke).join(' ') : 'none'}></rect>`,
                    )}
                  </svg>`
                    : nothing
                }`
            : html`<div class="none">${msg('No image stored')}</div>`
        }
      </div>
      <figcaption>${f.index}. ${f.name} — ${summary ?? msg('no cells')}</figcaption>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'field-thumbnail': FieldThumbnail;
  }
}
