/**
 * <field-thumbnail>: a stored (downscaled) field image with every cell's box drawn over it,
 * coloured by label. Coordinates are stored in the analysed image's grid; the SVG viewBox uses that
 * grid so the boxes line up at any display size.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { storedImageUrl } from '../services/records/stored-image.js';
import type { FieldRecord } from '../core/records/schema.js';
import { FIELD_LOOKS } from './palette.js';
import { labelText } from './words.js';
import { outlineFrameStyles } from './outline-frame-styles.js';

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
    const counts = f.cells.reduce<Record<string, number>>(
      (acc, c) => ((acc[c.label] = (acc[c.label] ?? 0) + 1), acc),
      {},
    );
    const summary = Object.entries(counts)
      .map(([k, v]) => `${v} ${labelText(k)}`)
      .join(', ');
    return html`<figure>
      <div class="frame">
        ${
          this.url
            ? html`<img src=${this.url} alt=${msg(str`Image ${f.index}: ${f.name}. ${summary || msg('no cells')}`)} />
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
      <figcaption>${f.index}. ${f.name} — ${summary || msg('no cells')}</figcaption>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'field-thumbnail': FieldThumbnail;
  }
}
