/**
 * <field-cell-detail>: the tapped cell of a field: its masked crop (what the model saw, enlarged),
 * label and P(Parasitized).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { ClassifiedCell } from '../core/field/field-types.js';
import { formatProbability } from '../core/format/format.js';
import { bandText, labelText } from './words.js';

@customElement('field-cell-detail')
@localized()
export class FieldCellDetail extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .box {
      display: flex;
      gap: 1rem;
      align-items: center;
      padding: 0.75rem;
      border-radius: 10px;
      background: #f3f6f7;
    }
    canvas {
      width: 128px;
      height: 128px;
      image-rendering: auto;
      background: #000;
      border-radius: 6px;
    }
    p {
      margin: 0.2rem 0;
    }
    .hint {
      color: var(--muted, #47606b);
      margin: 0;
    }
  `;

  @property({ attribute: false }) cell: ClassifiedCell | null = null;
  @property({ attribute: false }) crop: ImageData | null = null;
  /** The model's "needs review" band, explained when the cell is in it. */
  @property({ attribute: false }) band: { low: number; high: number } | null = null;
  @query('canvas') private canvas!: HTMLCanvasElement | null;

  protected override updated(_changed: PropertyValues<this>): void {
    const c = this.canvas;
    if (!c || !this.crop) return;
    c.width = this.crop.width;
    c.height = this.crop.height;
    c.getContext('2d')?.putImageData(this.crop, 0, 0);
  }

  protected override render() {
    const cell = this.cell;
    if (!cell) return html`<p class="hint">${msg('Tap or click a cell to see its crop and infection likelihood.')}</p>`;
    const isWhite = cell.label === 'WhiteBloodCell';
    const isArtefact = cell.label === 'Artefact';
    return html`
      <div class="box" data-testid="field-cell-detail" aria-live="polite">
        ${this.crop ? html`<canvas role="img" aria-label=${msg(str`Crop of cell ${cell.id} as the model saw it`)}></canvas>` : ''}
        <div>
          <p><strong>${msg(str`Cell ${cell.id}`)}</strong></p>
          <p data-testid="field-cell-label">
            ${
              isWhite
                ? msg('White blood cell (not counted)')
                : isArtefact
                  ? msg(
                      'Not a red cell (artefact): a platelet, stain debris or a fragment. Not counted, not classified.',
                    )
                  : labelText(cell.label)
            }
          </p>
          ${isWhite || isArtefact ? '' : html`<p data-testid="field-cell-probability">${msg(str`Infection likelihood ${formatProbability(cell.probability, 1)}`)}</p>`}
          ${cell.label === 'Inconclusive' ? html`<p data-testid="field-cell-band">${bandText(this.band)}</p>` : ''}
          <p>${msg(str`Centre (${Math.round(cell.x)}, ${Math.round(cell.y)}) px`)}</p>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'field-cell-detail': FieldCellDetail;
  }
}
