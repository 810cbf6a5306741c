/**
 * <session-field-map>: one stored field of a slide session with its cells drawn over it. Model-only
 * calls and reviewed cells look different (shape and dash, not only colour — readable by colour-blind
 * users): model "parasitized" thin solid, model "uncertain" thin dashed, reviewer "parasite" thick
 * solid with a dot, "not a parasite" thick grey dotted, "unsure" thick long-dashed; the cell shown
 * in the review queue gets a white ring; artefacts (not red cells: platelets, debris) thin
 * short-dashed green. A tap on any red cell sends `cell-tap` (the session view puts it into the review
 * queue and shows it there); artefacts cannot be tapped into the queue.
 */
import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { FieldRecord } from '../core/records/schema.js';
import { storedImageUrl } from '../services/records/stored-image.js';
import type { SessionCell } from '../core/slide/field-result.js';
import { type CellRef } from '../core/slide/review.js';
import { decisionOf, inQueue, isRedCellLabel } from '@malaria/contract';
import { SESSION_LOOKS, type OutlineLook } from './palette.js';
import { outlineFrameStyles } from './outline-frame-styles.js';

/** Colour-blind-safe colours plus line style (src/ui/palette.ts), so no state relies on hue alone. */
function lookOf(cell: SessionCell): OutlineLook | null {
  if (cell.label === 'WhiteBloodCell') return SESSION_LOOKS['white-cell'];
  if (cell.label === 'Artefact') return SESSION_LOOKS.artefact;
  if (!inQueue(cell)) return null;
  switch (decisionOf(cell)) {
    case 'confirmed':
      return SESSION_LOOKS.confirmed;
    case 'rejected':
      return SESSION_LOOKS.rejected;
    case 'unsure':
      return SESSION_LOOKS.unsure;
    case 'pending':
      return cell.label === 'Parasitized' ? SESSION_LOOKS['model-parasitized'] : SESSION_LOOKS['model-uncertain'];
  }
}

@customElement('session-field-map')
@localized()
export class SessionFieldMap extends LitElement {
  static override styles = [
    outlineFrameStyles,
    css`
      :host {
        display: block;
      }
      figure {
        margin: 0;
      }
      rect.hit {
        fill: transparent;
        cursor: pointer;
        pointer-events: all;
      }
      figcaption {
        font-size: 0.9rem;
        overflow-wrap: anywhere;
        margin-top: 0.25rem;
      }
    `,
  ];

  @property({ attribute: false }) field: FieldRecord | null = null;
  @property({ attribute: false }) cursor: CellRef | null = null;
  @state() private url: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A review rewrites the field record (new object, same image): keep the URL for the same field.
    if (changed.has('field') && (changed.get('field') as FieldRecord | null | undefined)?.id !== this.field?.id) {
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = this.field?.image ? storedImageUrl(this.field.image) : null;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.url && this.field?.image) this.url = storedImageUrl(this.field.image);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  private tap(cell: number): void {
    const f = this.field;
    if (!f) return;
    this.dispatchEvent(
      new CustomEvent<CellRef>('cell-tap', { detail: { fieldId: f.id, cell }, bubbles: true, composed: true }),
    );
  }

  /** " · N not red cells (artefacts)" after the caption's counts, when the image has any. */
  private artefactNote(artefacts: number) {
    return artefacts
      ? html` · <span data-testid="map-artefacts">${msg(str`${artefacts} not red cells (artefacts)`)}</span>`
      : nothing;
  }

  override render() {
    const f = this.field;
    if (!f) return nothing;
    const unit = Math.max(f.width, f.height) / 500;
    const current = this.cursor && this.cursor.fieldId === f.id ? f.cells[this.cursor.cell] : undefined;
    const queued = f.cells.filter((c) => inQueue(c)).length;
    // Counted cells (red and white); artefacts are drawn but never counted or tapped into the queue.
    const counted = f.cells.filter((c) => c.label !== 'Artefact').length;
    const artefacts = f.cells.length - counted;
    return html`<figure>
      <div class="frame">
        ${this.url ? html`<img src=${this.url} alt=${msg(str`Image ${f.index}: ${f.name}, ${counted} cells, ${queued} flagged`)} />` : nothing}
        <svg viewBox="0 0 ${f.width} ${f.height}" preserveAspectRatio="none" aria-hidden="true">
          ${f.cells.map((c, i) => {
            const look = lookOf(c);
            const outline = look
              ? svg`<rect x=${c.box.x} y=${c.box.y} width=${c.box.width} height=${c.box.height} rx=${c.box.width / 2}
                  fill="none" stroke=${look.stroke} stroke-width=${look.width * unit}
                  stroke-dasharray=${look.dash.length ? look.dash.map((d) => d * unit).join(' ') : 'none'}></rect>`
              : nothing;
            const dot =
              decisionOf(c) === 'confirmed' && c.review
                ? svg`<circle cx=${c.box.x + c.box.width} cy=${c.box.y} r=${4 * unit} fill=${SESSION_LOOKS.confirmed.stroke} stroke="#000" stroke-width=${unit}></circle>`
                : nothing;
            if (!isRedCellLabel(c.label) && c.label !== 'WhiteBloodCell') return svg`${outline}`;
            return svg`${outline}${dot}<rect class="hit" data-cell=${i} x=${c.box.x} y=${c.box.y} width=${c.box.width}
              height=${c.box.height} @click=${() => this.tap(i)}></rect>`;
          })}
          ${
            current
              ? svg`<rect x=${current.box.x - 4 * unit} y=${current.box.y - 4 * unit} width=${current.box.width + 8 * unit}
                height=${current.box.height + 8 * unit} rx=${current.box.width / 2} fill="none" stroke="#fff"
                stroke-width=${3 * unit}></rect>`
              : nothing
          }
        </svg>
      </div>
      <figcaption>
        ${f.index}. ${f.name} · ${msg(str`${counted} cells · ${queued} flagged`)}${this.artefactNote(artefacts)}
      </figcaption>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-field-map': SessionFieldMap;
  }
}
