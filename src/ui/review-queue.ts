/**
 * <review-queue>: every cell the model flagged (and every cell the user added), most suspicious
 * first. The current cell is shown large (its neighbourhood in the field, ≥ 192 CSS px, with the
 * model's "where" map over it on request); every row has Parasite / Not a parasite buttons usable
 * without opening anything else. Keyboard: ← → (or J/K) previous/next, P parasite, N not a
 * parasite, U unsure, Z or Ctrl+Z undo. Swipe left/right on the large crop moves too.
 *
 * Renders what it is given and sends intents as events (`review-decide`, `review-select`,
 * `review-move`, `review-undo`, `review-locate`); the session controller does the rest.
 *
 * Test hooks (contract): each row `[data-testid="review-item"]` with `data-field`, `data-x`,
 * `data-y`, `data-model-label`, `data-probability`, `data-review`; inside it
 * `[data-testid="review-confirm"]` and `[data-testid="review-reject"]`.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { formatProbability } from '../core/format/format.js';
import { bandText, decisionText, rejectReasonText } from './words.js';
import type { CellEvidence, FieldRecord } from '../core/records/schema.js';
import { storedImageUrl } from '../services/records/stored-image.js';
import { cellKey, queueProgress, sameCell, type CellRef, type QueueItem } from '../core/slide/review.js';
import { REJECT_REASONS, type RejectReason, type ReviewDecision } from '@malaria/contract';
import { sessionStyles } from './session-styles.js';
import { whereMapUrl } from './where-map-image.js';

export interface ReviewDecideDetail {
  ref: CellRef;
  decision: ReviewDecision;
  reason: RejectReason | null;
}

function modelText(label: string): string {
  switch (label) {
    case 'Parasitized':
      return msg('looks infected');
    case 'Inconclusive':
      return msg('uncertain');
    case 'Uninfected':
      return msg('looks healthy (added by you)');
    case 'WhiteBloodCell':
      return msg('white blood cell');
    default:
      return label;
  }
}

const percent = (p: number): string => formatProbability(p, 1);

@customElement('review-queue')
@localized()
export class ReviewQueue extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
      }
      .current:focus-visible {
        outline: 3px solid #f4a300;
        outline-offset: 4px;
      }
      .current {
        display: grid;
        grid-template-columns: minmax(192px, 320px) 1fr;
        gap: 1rem;
        align-items: start;
        margin: 0.75rem 0;
      }
      @media (max-width: 640px) {
        .current {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .current > *,
      li.item > * {
        min-width: 0;
      }
      .model,
      li.item {
        overflow-wrap: anywhere;
      }
      .crop {
        position: relative;
        width: 100%;
        aspect-ratio: 1;
        min-width: 192px;
        background: #000;
        border-radius: 0.5rem;
        overflow: hidden;
        touch-action: pan-y;
      }
      .crop img {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .crop img.where {
        mix-blend-mode: normal;
        opacity: 0.55;
        image-rendering: auto;
        object-fit: fill;
      }
      .crop .ring {
        position: absolute;
        border: 3px dashed #ffffff;
        border-radius: 50%;
        box-shadow: 0 0 0 2px #000;
        pointer-events: none;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .actions button {
        min-height: 56px;
        font-size: 1.05rem;
      }
      button.confirm {
        background: #8a1c1c;
        border-color: #8a1c1c;
      }
      button.reject {
        background: #fff;
        color: #14202b;
        border-color: #14202b;
      }
      .model {
        font-size: 1.05rem;
      }
      ol.items {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
      }
      li.item {
        display: grid;
        grid-template-columns: 72px 1fr;
        gap: 0.5rem;
        padding: 0.5rem;
        border: 2px solid #c9d3da;
        border-radius: 0.5rem;
        background: #fff;
      }
      li.item.is-current {
        border-color: #0f4c5c;
        box-shadow: 0 0 0 2px #0f4c5c;
      }
      li.item .thumb {
        width: 72px;
        height: 72px;
        border: 0;
        padding: 0;
        min-width: 0;
        background: #000;
        border-radius: 0.35rem;
        overflow: hidden;
      }
      li.item .thumb img {
        width: 100%;
        height: 100%;
        object-fit: cover;
        display: block;
      }
      li.item .row2 {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
      }
      li.item .row2 button {
        min-height: 44px;
        padding: 0 0.6rem;
        font-size: 0.95rem;
      }
      .badge {
        font-weight: 700;
      }
      .badge.confirmed {
        color: #8a1c1c;
      }
      .badge.rejected {
        color: #3b4954;
      }
      .badge.unsure {
        color: #7a4b00;
      }
      .hint {
        font-size: 0.9rem;
        color: #3b4954;
      }
    `,
  ];

  @property({ attribute: false }) queue: readonly QueueItem[] = [];
  @property({ attribute: false }) fields: readonly FieldRecord[] = [];
  @property({ attribute: false }) cursor: CellRef | null = null;
  @property({ type: Boolean }) canUndo = false;
  @property({ type: Boolean }) disabled = false;
  /** The model's "needs review" band, explained next to an uncertain cell. */
  @property({ attribute: false }) band: { low: number; high: number } | null = null;

  @state() private showWhere = true;
  @state() private reason: RejectReason | '' = '';
  @query('.crop') private cropEl?: HTMLElement;

  /** Object URLs of stored crops and where maps, per cell; revoked when their field leaves. */
  private urls = new Map<string, { crop: string | null; where: string | null; fieldId: string }>();
  private swipeStart: { x: number; y: number } | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const u of this.urls.values()) this.revoke(u);
    this.urls.clear();
  }

  private revoke(u: { crop: string | null; where: string | null }): void {
    if (u.crop) URL.revokeObjectURL(u.crop);
    if (u.where) URL.revokeObjectURL(u.where);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('fields')) {
      const live = new Set(this.fields.map((f) => f.id));
      for (const [k, u] of this.urls) {
        if (!live.has(u.fieldId)) {
          this.revoke(u);
          this.urls.delete(k);
        }
      }
    }
    if (changed.has('cursor')) this.reason = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('cursor') && this.cursor) {
      const row = this.renderRoot.querySelector<HTMLElement>(`li[data-key="${CSS.escape(cellKey(this.cursor))}"]`);
      row?.scrollIntoView({ block: 'nearest' });
    }
  }

  private evidenceOf(ref: CellRef): { field: FieldRecord; evidence: CellEvidence | null } | null {
    const field = this.fields.find((f) => f.id === ref.fieldId);
    if (!field) return null;
    return { field, evidence: field.evidence.find((e) => e.cell === ref.cell) ?? null };
  }

  private urlsFor(ref: CellRef) {
    const key = cellKey(ref);
    let u = this.urls.get(key);
    if (!u) {
      const found = this.evidenceOf(ref);
      const ev = found?.evidence ?? null;
      u = {
        fieldId: ref.fieldId,
        crop: ev ? storedImageUrl(ev.image) : found?.field.image ? storedImageUrl(found.field.image) : null,
        where: ev?.where ? whereMapUrl(ev.where) : null,
      };
      this.urls.set(key, u);
    }
    return u;
  }

  private emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  private decide(item: QueueItem, decision: ReviewDecision, reason: RejectReason | null = null): void {
    if (this.disabled) return;
    this.emit<ReviewDecideDetail>('review-decide', {
      ref: { fieldId: item.fieldId, cell: item.cell },
      decision,
      reason,
    });
  }

  private select(item: QueueItem): void {
    this.emit<CellRef>('review-select', { fieldId: item.fieldId, cell: item.cell });
  }

  private move(delta: number): void {
    this.emit<number>('review-move', delta);
  }

  private undo(): void {
    if (this.canUndo && !this.disabled) this.emit<null>('review-undo', null);
  }

  private currentItem(): QueueItem | null {
    const c = this.cursor;
    return (c && this.queue.find((q) => sameCell(q, c))) || null;
  }

  /** Keyboard shortcuts for the whole queue (the element is focusable as a group). */
  private onKey(e: KeyboardEvent): void {
    const target = e.composedPath()[0];
    if (target instanceof HTMLSelectElement || target instanceof HTMLInputElement) return;
    const item = this.currentItem();
    const key = e.key.toLowerCase();
    if (key === 'arrowright' || key === 'j') this.move(1);
    else if (key === 'arrowleft' || key === 'k') this.move(-1);
    else if (key === 'z')
      this.undo(); // Z or Ctrl+Z
    else if (item && key === 'p') this.decide(item, 'confirmed');
    else if (item && key === 'n') this.decide(item, 'rejected', this.reason || null);
    else if (item && key === 'u') this.decide(item, 'unsure');
    else return;
    e.preventDefault();
  }

  private onPointerDown(e: PointerEvent): void {
    this.swipeStart = { x: e.clientX, y: e.clientY };
  }

  private onPointerUp(e: PointerEvent): void {
    const s = this.swipeStart;
    this.swipeStart = null;
    if (!s) return;
    const dx = e.clientX - s.x;
    const dy = e.clientY - s.y;
    const width = this.cropEl?.clientWidth ?? 240;
    // A deliberate horizontal swipe: a quarter of the crop's width, mostly sideways.
    if (Math.abs(dx) > width / 4 && Math.abs(dx) > 2 * Math.abs(dy)) this.move(dx < 0 ? 1 : -1);
  }

  private ring(item: QueueItem, ev: CellEvidence | null, field: FieldRecord) {
    const region = ev?.region ?? { x: 0, y: 0, width: field.width, height: field.height };
    const cell = field.cells[item.cell];
    if (!cell) return nothing;
    const pad = 0.08;
    const left = ((cell.box.x - region.x) / region.width - pad / 2) * 100;
    const top = ((cell.box.y - region.y) / region.height - pad / 2) * 100;
    const w = (cell.box.width / region.width + pad) * 100;
    const h = (cell.box.height / region.height + pad) * 100;
    return html`<span
      class="ring"
      style="left:${left}%;top:${top}%;width:${w}%;height:${h}%"
      aria-hidden="true"
    ></span>`;
  }

  private whereOverlay(ev: CellEvidence | null, url: string | null) {
    if (!this.showWhere || !ev?.where || !url) return nothing;
    const b = ev.where.box;
    const r = ev.region;
    const style = `left:${((b.x - r.x) / r.width) * 100}%;top:${((b.y - r.y) / r.height) * 100}%;width:${(b.width / r.width) * 100}%;height:${(b.height / r.height) * 100}%`;
    return html`<img class="where" src=${url} alt="" style=${style} />`;
  }

  private renderCurrent(item: QueueItem) {
    const found = this.evidenceOf(item);
    if (!found) return nothing;
    const { field, evidence } = found;
    const u = this.urlsFor(item);
    const index = this.queue.indexOf(item);
    return html`<div
      class="current"
      data-testid="review-current"
      data-field=${item.fieldName}
      data-review=${item.decision}
      tabindex="0"
      role="group"
      aria-label=${msg('Current cell. Keys: P parasite, N not a parasite, U unsure, arrows previous and next, Z undo')}
      aria-keyshortcuts="P N U ArrowLeft ArrowRight Z"
    >
      <div
        class="crop"
        @pointerdown=${this.onPointerDown}
        @pointerup=${this.onPointerUp}
        role="img"
        aria-label=${
          this.showWhere && evidence?.where
            ? msg(
                str`Cell ${index + 1} of ${this.queue.length} from ${item.fieldName}, circled; shaded where the model looked`,
              )
            : msg(str`Cell ${index + 1} of ${this.queue.length} from ${item.fieldName}, circled`)
        }
      >
        ${u.crop ? html`<img src=${u.crop} alt="" />` : nothing} ${this.whereOverlay(evidence, u.where)}
        ${this.ring(item, evidence, field)}
      </div>
      <div>
        <p class="model">
          ${msg(str`Cell ${index + 1} of ${this.queue.length} · image ${item.fieldIndex} (${item.fieldName})`)}<br />
          ${msg('Model:')} <strong>${modelText(item.modelLabel)}</strong>,
          ${msg(str`infection likelihood ${percent(item.probability)}`)}<br />
          ${item.modelLabel === 'Inconclusive' ? html`<span class="band" data-testid="review-band">(${bandText(this.band)})</span><br />` : nothing}
          ${msg('Your review:')}
          <span class="badge ${item.decision}" data-testid="review-current-decision"
            >${decisionText(item.decision)}</span
          >
        </p>
        <div class="actions">
          <button
            class="confirm"
            data-testid="review-current-confirm"
            ?disabled=${this.disabled}
            @click=${() => this.decide(item, 'confirmed')}
          >
            ${msg('Parasite (P)')}
          </button>
          <button
            class="reject"
            data-testid="review-current-reject"
            ?disabled=${this.disabled}
            @click=${() => this.decide(item, 'rejected', this.reason || null)}
          >
            ${msg('Not a parasite (N)')}
          </button>
          <button
            class="secondary"
            data-testid="review-unsure"
            ?disabled=${this.disabled}
            @click=${() => this.decide(item, 'unsure')}
          >
            ${msg('Unsure (U)')}
          </button>
        </div>
        <div class="row" style="margin-top:0.5rem">
          <div class="field">
            <label for="reason">${msg('Reason if not a parasite (optional)')}</label>
            <select
              id="reason"
              data-testid="review-reason"
              .value=${this.reason}
              @change=${(e: Event) => (this.reason = (e.target as HTMLSelectElement).value as RejectReason | '')}
            >
              <option value="">${msg('No reason given')}</option>
              ${REJECT_REASONS.map((r) => html`<option value=${r}>${rejectReasonText(r)}</option>`)}
            </select>
          </div>
          <label class="field">
            <span>${msg('Show where the model looked')}</span>
            <input
              type="checkbox"
              data-testid="review-where"
              .checked=${this.showWhere}
              ?disabled=${!evidence?.where}
              @change=${(e: Event) => (this.showWhere = (e.target as HTMLInputElement).checked)}
              style="width:44px;height:44px;margin:0"
            />
          </label>
        </div>
        <div class="actions" style="margin-top:0.5rem">
          <button class="secondary" data-testid="review-prev" @click=${() => this.move(-1)} ?disabled=${index <= 0}>
            ← ${msg('Previous')}
          </button>
          <button
            class="secondary"
            data-testid="review-next"
            @click=${() => this.move(1)}
            ?disabled=${index >= this.queue.length - 1}
          >
            ${msg('Next')} →
          </button>
          <button
            class="secondary"
            data-testid="review-undo"
            @click=${this.undo}
            ?disabled=${!this.canUndo || this.disabled}
          >
            ${msg('Undo (Z)')}
          </button>
          <button
            class="secondary"
            data-testid="review-locate"
            @click=${() => this.emit<CellRef>('review-locate', { fieldId: item.fieldId, cell: item.cell })}
          >
            ${msg('Show in its field')}
          </button>
        </div>
        <p class="hint">
          ${msg("Swipe the picture left or right for the next or previous cell. The shading marks the pixels that most raised the model's estimate; it is a hint, not a finding.")}
        </p>
      </div>
    </div>`;
  }

  private renderItem(item: QueueItem, i: number) {
    const current = this.cursor !== null && sameCell(item, this.cursor);
    const u = this.urlsFor(item);
    return html`<li
      class="item ${current ? 'is-current' : ''}"
      data-key=${cellKey(item)}
      data-testid="review-item"
      data-field=${item.fieldName}
      data-x=${item.x.toFixed(1)}
      data-y=${item.y.toFixed(1)}
      data-model-label=${item.modelLabel}
      data-probability=${item.probability.toFixed(4)}
      data-review=${item.decision}
    >
      <button
        class="thumb"
        @click=${() => this.select(item)}
        aria-label=${msg(str`Show cell ${i + 1} large`)}
        aria-current=${current ? 'true' : 'false'}
      >
        ${u.crop ? html`<img src=${u.crop} alt="" loading="lazy" />` : nothing}
      </button>
      <div>
        <div>
          ${i + 1}. ${percent(item.probability)} ·
          <span class="badge ${item.decision}">${decisionText(item.decision)}</span>
        </div>
        <div class="row2">
          <button
            class="confirm"
            data-testid="review-confirm"
            ?disabled=${this.disabled}
            aria-label=${msg(str`Parasite: cell ${i + 1}`)}
            @click=${() => this.decide(item, 'confirmed')}
          >
            ${msg('Parasite')}
          </button>
          <button
            class="reject"
            data-testid="review-reject"
            ?disabled=${this.disabled}
            aria-label=${msg(str`Not a parasite: cell ${i + 1}`)}
            @click=${() => this.decide(item, 'rejected')}
          >
            ${msg('Not a parasite')}
          </button>
        </div>
      </div>
    </li>`;
  }

  override render() {
    const p = queueProgress(this.queue);
    const current = this.currentItem();
    return html`<section class="card" aria-labelledby="queue-title" @keydown=${this.onKey}>
      <h3 id="queue-title">${msg('Review flagged cells')}</h3>
      <div
        class="summary"
        role="status"
        aria-live="polite"
        data-testid="review-progress"
        data-total=${p.total}
        data-pending=${p.pending}
      >
        ${
          p.total === 0
            ? html`<span
                >${msg('No cell is flagged yet. Cells the model finds suspicious appear here; tap any cell in a field to add it.')}</span
              >`
            : html`<span>${msg(str`${p.total - p.pending} of ${p.total} flagged cells reviewed`)}</span>
                <span
                  >${msg(str`${p.confirmed} parasite · ${p.rejected} not a parasite · ${p.unsure} unsure · ${p.pending} to do`)}</span
                >`
        }
      </div>
      ${current ? this.renderCurrent(current) : nothing}
      ${
        this.queue.length
          ? html`<ol class="items" tabindex="0" aria-label=${msg('Flagged cells, most suspicious first')}>
              ${this.queue.map((q, i) => this.renderItem(q, i))}
            </ol>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'review-queue': ReviewQueue;
  }
}
