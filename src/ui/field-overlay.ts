/**
 * <field-overlay>: the analysed field with every detected cell outlined and coloured by label.
 * Zoom and pan with touch (pinch, drag), mouse (wheel, drag) and keyboard (+, −, arrows, 0);
 * a tap/click on a cell (or Enter/Space cycling with Tab-like n/p keys) emits `cell-select`.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { ClassifiedCell } from '../core/field/field-types.js';
import type { CellLabel } from '@malaria/contract';
import { pointInPolygon } from '../core/field/outline.js';
import { FIELD_LOOKS } from './palette.js';

/** Outline colour per label (src/ui/palette.ts: colour-blind safe; the line pattern differs too). */
export const LABEL_COLOURS: Record<CellLabel, string> = {
  Parasitized: FIELD_LOOKS.Parasitized.stroke,
  Uninfected: FIELD_LOOKS.Uninfected.stroke,
  Inconclusive: FIELD_LOOKS.Inconclusive.stroke,
  WhiteBloodCell: FIELD_LOOKS.WhiteBloodCell.stroke,
  Artefact: FIELD_LOOKS.Artefact.stroke,
};

export interface CellSelectDetail {
  id: number;
}

interface View {
  /** Screen px per image px. */
  zoom: number;
  /** Image coordinate at the canvas's top-left. */
  x: number;
  y: number;
}

@customElement('field-overlay')
@localized()
export class FieldOverlay extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      touch-action: none;
      user-select: none;
      background: #111;
      border-radius: 10px;
      overflow: hidden;
      min-height: 320px;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
      cursor: grab;
    }
    canvas:focus-visible {
      outline: 3px solid var(--focus, #ffbf47);
      outline-offset: -3px;
    }
    .zoom {
      position: absolute;
      right: 0.5rem;
      top: 0.5rem;
      display: flex;
      gap: 0.4rem;
    }
    .zoom button {
      min-width: 48px;
      min-height: 48px;
      font-size: 1.4rem;
      border-radius: 8px;
      border: 0;
      background: rgba(255, 255, 255, 0.92);
      color: #102a33;
      cursor: pointer;
    }
    .zoom button:focus-visible {
      outline: 3px solid var(--focus, #ffbf47);
    }
  `;

  @property({ attribute: false }) image: ImageBitmap | null = null;
  /** Full-resolution upright size of the analysed image (cell coordinates are in this grid). */
  @property({ attribute: false }) imageWidth = 0;
  @property({ attribute: false }) imageHeight = 0;
  @property({ attribute: false }) cells: readonly ClassifiedCell[] = [];
  @property({ attribute: false }) selectedId: number | null = null;
  /**
   * Draw on a software (CPU) canvas: set where the GPU itself is software (SwiftShader, llvmpipe:
   * compositesInSoftware, ./software-gpu.ts). There an "accelerated" canvas is CPU work in the
   * GPU process through GL emulation: drawing one field's display copy and ≈ 300 outlines took
   * ≈ 0.9 s of GPU-process time in a trace (docs/performance.md, step 9). Read when the canvas's
   * context is first made.
   */
  @property({ attribute: false }) softwareCanvas = false;

  @query('canvas') private canvas!: HTMLCanvasElement;

  private view: View = { zoom: 1, x: 0, y: 0 };
  private pointers = new Map<number, { x: number; y: number }>();
  private gesture: { moved: number; pinchDist: number; startX: number; startY: number } | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private frame = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => this.fitIfNeeded(false));
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('image') || changed.has('imageWidth')) this.fitIfNeeded(true);
    else this.requestDraw();
  }

  /** Whole image visible, centred. */
  resetView(): void {
    this.fitIfNeeded(true);
  }

  private fitIfNeeded(force: boolean): void {
    const c = this.canvas;
    if (!c) return;
    const rect = this.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(rect.width * dpr));
    const ch = Math.max(1, Math.round(rect.height * dpr));
    const resized = c.width !== cw || c.height !== ch;
    // Setting a canvas's size, even to the same value, clears it and drops its backing store.
    if (resized) {
      c.width = cw;
      c.height = ch;
    }
    if ((force || resized) && this.imageWidth > 0) {
      const zoom = Math.min(cw / this.imageWidth, ch / this.imageHeight);
      this.view = { zoom, x: (this.imageWidth - cw / zoom) / 2, y: (this.imageHeight - ch / zoom) / 2 };
    }
    this.requestDraw();
  }

  private requestDraw(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    const c = this.canvas;
    const ctx = c?.getContext('2d', this.softwareCanvas ? { willReadFrequently: true } : undefined);
    if (!c || !ctx) return;
    const { zoom, x, y } = this.view;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, c.width, c.height);
    if (!this.image || this.imageWidth === 0) return;
    ctx.setTransform(zoom, 0, 0, zoom, -x * zoom, -y * zoom);
    ctx.imageSmoothingQuality = 'medium';
    ctx.drawImage(this.image, 0, 0, this.imageWidth, this.imageHeight);
    const dpr = window.devicePixelRatio || 1;
    for (const cell of this.cells) {
      const o = cell.outline;
      if (o.length < 6) continue;
      const selected = cell.id === this.selectedId;
      ctx.beginPath();
      ctx.moveTo(o[0]!, o[1]!);
      for (let i = 2; i < o.length; i += 2) ctx.lineTo(o[i]!, o[i + 1]!);
      ctx.closePath();
      const look = FIELD_LOOKS[cell.label];
      const px = dpr / zoom;
      // A light halo under every outline keeps it readable on dark stain; the selected cell's is wider.
      ctx.setLineDash([]);
      ctx.lineWidth = (selected ? look.width + 5 : look.width + 1.5) * px;
      ctx.strokeStyle = selected ? '#ffffff' : 'rgba(255,255,255,0.75)';
      ctx.stroke();
      ctx.setLineDash(look.dash.map((d) => d * look.width * px));
      ctx.lineWidth = look.width * px;
      ctx.strokeStyle = look.stroke;
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  private toImage(clientX: number, clientY: number): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = this.canvas.width / Math.max(1, rect.width);
    return {
      x: this.view.x + ((clientX - rect.left) * dpr) / this.view.zoom,
      y: this.view.y + ((clientY - rect.top) * dpr) / this.view.zoom,
    };
  }

  private zoomAt(clientX: number, clientY: number, factor: number): void {
    const before = this.toImage(clientX, clientY);
    const fit = Math.min(
      this.canvas.width / Math.max(1, this.imageWidth),
      this.canvas.height / Math.max(1, this.imageHeight),
    );
    const zoom = Math.min(fit * 40, Math.max(fit * 0.5, this.view.zoom * factor));
    this.view.zoom = zoom;
    const after = this.toImage(clientX, clientY);
    this.view.x += before.x - after.x;
    this.view.y += before.y - after.y;
    this.requestDraw();
  }

  private zoomCentre(factor: number): void {
    const rect = this.canvas.getBoundingClientRect();
    this.zoomAt(rect.left + rect.width / 2, rect.top + rect.height / 2, factor);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    this.zoomAt(e.clientX, e.clientY, Math.exp(-e.deltaY * 0.0015));
  }

  private onPointerDown(e: PointerEvent): void {
    this.canvas.setPointerCapture(e.pointerId);
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const pts = [...this.pointers.values()];
    this.gesture = {
      moved: this.pointers.size > 1 ? 100 : 0,
      pinchDist: pts.length > 1 ? Math.hypot(pts[0]!.x - pts[1]!.x, pts[0]!.y - pts[1]!.y) : 0,
      startX: e.clientX,
      startY: e.clientY,
    };
  }

  private onPointerMove(e: PointerEvent): void {
    const prev = this.pointers.get(e.pointerId);
    if (!prev || !this.gesture) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.pointers.size >= 2) {
      const pts = [...this.pointers.values()];
      const d = Math.hypot(pts[0]!.x - pts[1]!.x, pts[0]!.y - pts[1]!.y);
      if (this.gesture.pinchDist > 0 && d > 0) {
        this.zoomAt((pts[0]!.x + pts[1]!.x) / 2, (pts[0]!.y + pts[1]!.y) / 2, d / this.gesture.pinchDist);
      }
      this.gesture.pinchDist = d;
      return;
    }
    const dx = e.clientX - prev.x;
    const dy = e.clientY - prev.y;
    this.gesture.moved += Math.abs(dx) + Math.abs(dy);
    const dpr = this.canvas.width / Math.max(1, this.canvas.getBoundingClientRect().width);
    this.view.x -= (dx * dpr) / this.view.zoom;
    this.view.y -= (dy * dpr) / this.view.zoom;
    this.requestDraw();
  }

  private onPointerUp(e: PointerEvent): void {
    const g = this.gesture;
    this.pointers.delete(e.pointerId);
    if (this.pointers.size === 0) this.gesture = null;
    if (g && g.moved < 8 && e.type === 'pointerup') this.selectAt(e.clientX, e.clientY);
  }

  /** Selects the cell under a client point (the one with the nearest centre if outlines overlap). */
  selectAt(clientX: number, clientY: number): void {
    const p = this.toImage(clientX, clientY);
    let best: ClassifiedCell | null = null;
    let bestD = Infinity;
    for (const cell of this.cells) {
      if (!pointInPolygon(p.x, p.y, cell.outline)) continue;
      const d = (cell.x - p.x) ** 2 + (cell.y - p.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = cell;
      }
    }
    if (best) this.emitSelect(best.id);
  }

  private emitSelect(id: number): void {
    this.dispatchEvent(
      new CustomEvent<CellSelectDetail>('cell-select', { detail: { id }, bubbles: true, composed: true }),
    );
  }

  private onKey(e: KeyboardEvent): void {
    const step = 60 / this.view.zoom;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const mv = moves[e.key];
    if (mv) {
      this.view.x += mv[0];
      this.view.y += mv[1];
      this.requestDraw();
    } else if (e.key === '+' || e.key === '=') this.zoomCentre(1.25);
    else if (e.key === '-') this.zoomCentre(0.8);
    else if (e.key === '0') this.resetView();
    else if (e.key === 'n' || e.key === 'p') {
      // Keyboard access to cells: next / previous in reading order.
      if (!this.cells.length) return;
      const i = this.cells.findIndex((c) => c.id === this.selectedId);
      const next = e.key === 'n' ? (i + 1) % this.cells.length : (i - 1 + this.cells.length) % this.cells.length;
      const cell = this.cells[next]!;
      this.emitSelect(cell.id);
      this.centreOn(cell.x, cell.y);
    } else return;
    e.preventDefault();
  }

  centreOn(x: number, y: number): void {
    this.view.x = x - this.canvas.width / this.view.zoom / 2;
    this.view.y = y - this.canvas.height / this.view.zoom / 2;
    this.requestDraw();
  }

  protected override render() {
    return html`
      <canvas
        tabindex="0"
        role="img"
        data-testid="field-overlay"
        aria-label=${msg(str`Field with ${this.cells.length} outlined cells. Drag or arrow keys to pan, wheel, pinch or +/− to zoom, n/p to step through cells, tap a cell for details.`)}
        @wheel=${this.onWheel}
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @keydown=${this.onKey}
      ></canvas>
      <div class="zoom">
        <button type="button" aria-label=${msg('Zoom in')} @click=${() => this.zoomCentre(1.5)}>+</button>
        <button type="button" aria-label=${msg('Zoom out')} @click=${() => this.zoomCentre(1 / 1.5)}>−</button>
        <button type="button" aria-label=${msg('Show whole field')} @click=${() => this.resetView()}>⤢</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'field-overlay': FieldOverlay;
  }
}
