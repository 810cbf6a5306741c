/**
 * <session-field-map>: one stored field of a slide session with its cells drawn over it. Model-only
 * calls and reviewed cells look different (shape and dash, not only colour — readable by colour-blind
 * users): model "parasitized" thin solid, model "uncertain" thin dashed, reviewer "parasite" thick
 * solid with a dot, "not a parasite" thick grey dotted, "unsure" thick long-dashed; the cell shown
 * in the review queue gets a white ring; artefacts (not red cells: platelets, debris) thin
 * short-dashed green. A tap on any red cell sends `cell-tap` (the session view puts it into the review
 * queue and shows it there); a tap on a white cell or an artefact only says why it is not reviewed.
 *
 * Keyboard and screen readers: hundreds of cells cannot each be a Tab stop, so the map is one
 * (`map-cells`) with a roving focus ring: the arrow keys move it to the nearest cell in that direction
 * (src/core/slide/map-navigation.ts), Home / End to the first / last cell, Enter or Space does what a
 * tap does. The ringed cell and every tap's outcome are announced in a polite status line
 * (`map-status`), also shown on screen. The outlines themselves stay aria-hidden.
 */
import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { FieldRecord } from '../core/records/schema.js';
import { storedImageUrl } from '../services/records/stored-image.js';
import type { SessionCell } from '../core/slide/field-result.js';
import { type CellRef } from '../core/slide/review.js';
import { decisionOf, inQueue, isRedCellLabel } from '@malaria/contract';
import {
  activationOf,
  cornerCell,
  directionOfKey,
  nearestInDirection,
  startingCell,
} from '../core/slide/map-navigation.js';
import { formatProbability } from '../core/format/format.js';
import { SESSION_LOOKS, type OutlineLook } from './palette.js';
import { outlineFrameStyles } from './outline-frame-styles.js';
import { decisionText, labelText } from './words.js';

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

/** Why a white cell or an artefact does nothing when tapped (said for taps and for Enter). */
function notReviewedText(cell: SessionCell): string {
  return activationOf(cell.label) === 'white-cell'
    ? msg('White blood cells are not counted as red cells and are not reviewed')
    : msg('Not a red cell (platelet, debris): not counted');
}

/** What the focus ring's cell is and what Enter will do: "Cell 12 of 289: Not infected, likelihood 1.2%; …". */
function cellDescription(cell: SessionCell, index: number, total: number): string {
  const n = index + 1;
  if (!isRedCellLabel(cell.label)) return msg(str`Cell ${n} of ${total}: ${notReviewedText(cell)}`);
  const label = labelText(cell.label);
  const likelihood = formatProbability(cell.probability, 1);
  const rest = inQueue(cell)
    ? msg(
        str`${label}, likelihood ${likelihood}; in the review (${decisionText(decisionOf(cell))}); Enter shows it there`,
      )
    : msg(str`${label}, likelihood ${likelihood}; Enter adds it to the review`);
  return msg(str`Cell ${n} of ${total}: ${rest}`);
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
      rect.hit,
      rect.not-counted {
        fill: transparent;
        cursor: pointer;
        pointer-events: all;
      }
      .frame:focus {
        outline: none;
      }
      .frame:focus-visible {
        outline: 3px solid #1a1a1a;
        outline-offset: 2px;
        box-shadow: 0 0 0 2px #fff;
      }
      .status {
        margin: 0.25rem 0 0;
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
      /* Kept in the page while empty (no display: none): a live region must exist before it speaks. */
      .status:empty {
        margin: 0;
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
  /** The cell under the keyboard focus ring (index into the field's cells); null before any. */
  @state() private active: number | null = null;
  /** The ring is drawn only while the map has keyboard focus (not after a mouse or touch tap). */
  @state() private ringShown = false;
  /** The polite status line: the ringed cell (`describe`) or what a tap did (`note`). */
  @state() private status: { text: string; kind: 'describe' | 'note' } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A review rewrites the field record (new object, same image): keep the URL for the same field.
    if (changed.has('field') && (changed.get('field') as FieldRecord | null | undefined)?.id !== this.field?.id) {
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = this.field?.image ? storedImageUrl(this.field.image) : null;
      // Another image: the old ring position and message mean nothing here.
      this.active = null;
      this.status = null;
    }
    // The review's current cell moved into this map (a tap, "Show in its field"): the ring follows it,
    // so keyboard users continue from the cell they are reviewing.
    const cursor = this.cursor;
    const before = changed.get('cursor');
    const moved = !before || before.fieldId !== cursor?.fieldId || before.cell !== cursor.cell;
    if (changed.has('cursor') && moved && cursor && cursor.fieldId === this.field?.id) this.active = cursor.cell;
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

  /**
   * A tap or Enter on a cell: a red cell goes to the review (the same `cell-tap` intent, which the
   * session view passes to the controller's addToQueue); a white cell or artefact gets a message.
   */
  private activate(cell: number): void {
    const f = this.field;
    const c = f?.cells[cell];
    if (!f || !c) return;
    this.active = cell;
    if (activationOf(c.label) !== 'queue') {
      this.status = { text: notReviewedText(c), kind: 'note' };
      return;
    }
    this.status = {
      text: inQueue(c)
        ? msg(str`Cell ${cell + 1} shown in the review`)
        : msg(str`Cell ${cell + 1} added to the review`),
      kind: 'note',
    };
    this.dispatchEvent(
      new CustomEvent<CellRef>('cell-tap', { detail: { fieldId: f.id, cell }, bubbles: true, composed: true }),
    );
  }

  /** Puts the ring on `cell` and says what it is. */
  private ring(cell: number): void {
    const f = this.field;
    if (!f?.cells[cell]) return;
    this.active = cell;
    this.ringShown = true;
    this.status = { text: cellDescription(f.cells[cell], cell, f.cells.length), kind: 'describe' };
  }

  /** The review's current cell when it is in this map (its index), else null. */
  private get cursorCell(): number | null {
    return this.cursor && this.cursor.fieldId === this.field?.id ? this.cursor.cell : null;
  }

  private onFocus(e: FocusEvent): void {
    const f = this.field;
    if (!f) return;
    const start = startingCell(f.cells, this.active, this.cursorCell);
    if (start === null) return;
    // A mouse or touch tap also focuses the map: no ring or description then, the tap speaks for itself.
    if ((e.currentTarget as HTMLElement).matches(':focus-visible')) this.ring(start);
    else this.active = start;
  }

  private onBlur(): void {
    this.ringShown = false;
    // A description of a cell the reader left is stale; a tap's message may still be read.
    if (this.status?.kind === 'describe') this.status = null;
  }

  private onKey(e: KeyboardEvent): void {
    const f = this.field;
    if (!f || !f.cells.length || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = startingCell(f.cells, this.active, this.cursorCell) ?? 0;
    if (e.key === 'Enter' || e.key === ' ') {
      // Space would otherwise scroll the page.
      e.preventDefault();
      this.ringShown = true;
      this.activate(from);
      return;
    }
    const direction = directionOfKey(e.key);
    const to = direction
      ? nearestInDirection(f.cells, from, direction)
      : e.key === 'Home'
        ? cornerCell(f.cells, 'first')
        : e.key === 'End'
          ? cornerCell(f.cells, 'last')
          : undefined;
    if (to === undefined) return;
    // The arrow keys, Home and End would otherwise scroll the page as well.
    e.preventDefault();
    if (to !== null) this.ring(to);
  }

  /**
   * The keyboard ring: black under yellow, wider than the review's white ring so both can be told
   * apart on one cell, kept inside the image (a single-cell image's box is the whole image, and a
   * ring outside the viewBox would be clipped away); it never takes a tap meant for a cell.
   */
  private renderRing(box: SessionCell['box'], unit: number, width: number, height: number) {
    const inset = 3 * unit;
    const x = Math.max(inset, box.x - 8 * unit);
    const y = Math.max(inset, box.y - 8 * unit);
    const w = Math.max(0, Math.min(width - inset, box.x + box.width + 8 * unit) - x);
    const h = Math.max(0, Math.min(height - inset, box.y + box.height + 8 * unit) - y);
    const rx = Math.min(w, h) / 2;
    return svg`<g pointer-events="none" data-testid="map-focus-ring">
      <rect x=${x} y=${y} width=${w} height=${h} rx=${rx} fill="none" stroke="#000" stroke-width=${5 * unit}></rect>
      <rect x=${x} y=${y} width=${w} height=${h} rx=${rx} fill="none" stroke="#F0E442" stroke-width=${2.5 * unit}></rect>
    </g>`;
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
    const current = this.cursorCell === null ? undefined : f.cells[this.cursorCell];
    const queued = f.cells.filter((c) => inQueue(c)).length;
    // Counted cells (red and white); artefacts are drawn but never counted or tapped into the queue.
    const counted = f.cells.filter((c) => c.label !== 'Artefact').length;
    const artefacts = f.cells.length - counted;
    const ringed = this.ringShown && this.active !== null ? f.cells[this.active] : undefined;
    const navigable = f.cells.length > 0;
    return html`<figure>
      <!-- role="application": screen readers in browse mode keep the arrow keys for themselves
           otherwise, and the map's arrows move between cells, not lines of text. -->
      <div
        class="frame"
        data-testid="map-cells"
        role=${navigable ? 'application' : nothing}
        tabindex=${navigable ? '0' : nothing}
        aria-label=${navigable ? msg(str`Cells of image ${f.index}: the arrow keys move between cells, Enter adds the outlined cell to the review`) : nothing}
        @focus=${this.onFocus}
        @blur=${this.onBlur}
        @keydown=${this.onKey}
      >
        ${this.url ? html`<img src=${this.url} alt=${msg(str`Image ${f.index}: ${f.name}, ${counted} cells, ${queued} flagged`)} />` : nothing}
        <svg viewBox="0 0 ${f.width} ${f.height}" preserveAspectRatio="none" aria-hidden="true">
          ${
            // Artefact targets first, under every red and white cell's target: where a platelet lies on
            // a red cell, the tap goes to the red cell.
            f.cells.map((c, i) =>
              c.label === 'Artefact'
                ? svg`<rect class="not-counted" data-cell=${i} x=${c.box.x} y=${c.box.y} width=${c.box.width}
                    height=${c.box.height} @click=${() => this.activate(i)}></rect>`
                : nothing,
            )
          }
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
              height=${c.box.height} @click=${() => this.activate(i)}></rect>`;
          })}
          ${
            current
              ? svg`<rect x=${current.box.x - 4 * unit} y=${current.box.y - 4 * unit} width=${current.box.width + 8 * unit}
                height=${current.box.height + 8 * unit} rx=${current.box.width / 2} fill="none" stroke="#fff"
                stroke-width=${3 * unit}></rect>`
              : nothing
          }
          ${ringed ? this.renderRing(ringed.box, unit, f.width, f.height) : nothing}
        </svg>
      </div>
      <p class="status" role="status" data-testid="map-status">${this.status?.text ?? nothing}</p>
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
