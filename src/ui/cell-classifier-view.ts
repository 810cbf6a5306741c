/**
 * <cell-classifier-view>: the "Cells" tab. Takes images from the file picker, drag-and-drop, paste
 * and the camera, classifies them in chunks (progress + cancel, page stays responsive, holds the
 * app's busy flag), and lists the results with running totals.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Classifier } from '../core/classifier-types.js';
import { busy } from '../core/busy-state.js';
import { runInChunks } from '../core/batch-runner.js';
import { classifyDecoded, closeDecoded, decodeFiles, type DecodedFiles } from '../core/classify-files.js';
import type { CellResult } from '../core/cell-result.js';
import { addToTotals, emptyTotals, type ResultTotals } from '../core/result-stats.js';
import './cell-result-row.js';
import { pickButtonStyles } from './pick-button-styles.js';
import './result-summary.js';
import './batch-progress.js';
import './camera-capture.js';

/** Images per forward pass: big enough to amortise per-call overhead, small enough to keep frames flowing. */
export const CHUNK_SIZE = 32;

@customElement('cell-classifier-view')
export class CellClassifierView extends LitElement {
  static override styles = [pickButtonStyles, css`
    :host { display: grid; gap: 1rem; }
    .inputs { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
    .hint { color: var(--muted, #47606b); margin: 0; }
    .notice { margin: 0; padding: 0.6rem 0.9rem; border-radius: 8px; background: #fff4d6; border: 1px solid #e0b54a; }
    .status { margin: 0; }
    .list { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
    .toolbar { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; justify-content: space-between; }
    button.clear { min-height: 48px; padding: 0 1.1rem; font: inherit; border-radius: 8px; border: 2px solid var(--muted, #47606b);
      background: #fff; color: var(--ink, #102a33); cursor: pointer; }
    button.clear:focus-visible { outline: 3px solid var(--focus, #ffbf47); outline-offset: 2px; }
  `];

  @property({ attribute: false }) classifier: Classifier | null = null;
  /**
   * Optional hook set by the app shell: takes the files it handles elsewhere (a whole-field photo
   * goes to the Field tab); this view classifies the rest as cells, `now` at once, `later` when known.
   */
  @property({ attribute: false }) routeFiles: ((files: File[]) => { now: File[]; later: Promise<File[]> }) | null = null;

  @state() private results: CellResult[] = [];
  @state() private totals: ResultTotals = emptyTotals();
  @state() private progress: { done: number; total: number } | null = null;
  @state() private status = '';

  private queue: File[] = [];
  private running = false;
  private abort: AbortController | null = null;
  private nextId = 1;

  /** Adds images from any source (picker, drop, paste, camera). Safe to call while a batch runs. */
  addFiles(files: readonly File[]): void {
    if (!files.length) return;
    if (this.routeFiles) {
      const { now, later } = this.routeFiles([...files]);
      this.enqueue(now);
      void later.then((rest) => this.enqueue(rest));
      return;
    }
    this.enqueue(files);
  }

  private enqueue(files: readonly File[]): void {
    if (!files.length) return;
    this.queue.push(...files);
    if (this.progress) this.progress = { ...this.progress, total: this.progress.total + files.length };
    void this.drain();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('classifier') && this.classifier && this.queue.length) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    const classifier = this.classifier;
    if (!classifier) {
      this.status = `${this.queue.length} image(s) waiting for the model to load…`;
      return;
    }
    this.running = true;
    const endBusy = busy.start('batch');
    const abort = new AbortController();
    this.abort = abort;
    let doneSoFar = 0;
    this.progress = { done: 0, total: this.queue.length };
    this.status = '';
    try {
      while (this.queue.length && !abort.signal.aborted) {
        const files = this.queue.splice(0, this.queue.length);
        const base = doneSoFar;
        // Decode chunk n+1 (browser decoder threads) while chunk n runs through the model.
        const prefetched = new Map<number, Promise<DecodedFiles>>();
        const outcome = await runInChunks(files, async (part, start) => {
          const decoding = prefetched.get(start) ?? decodeFiles(part);
          prefetched.delete(start);
          const next = start + part.length;
          if (next < files.length) prefetched.set(next, decodeFiles(files.slice(next, next + CHUNK_SIZE)));
          const outcomes = await classifyDecoded(part, await decoding, classifier);
          let totals = this.totals;
          const rows: CellResult[] = outcomes.map((o) => {
            const label = o.prediction ? o.prediction.label : 'Error';
            totals = addToTotals(totals, label);
            return {
              id: this.nextId++,
              fileName: o.file.name || 'pasted image',
              label,
              probability: o.prediction ? o.prediction.probability : null,
              ...(o.error ? { message: o.error } : {}),
              thumbnailUrl: o.prediction ? URL.createObjectURL(o.file) : null,
              backend: classifier.backend,
            };
          });
          this.results = this.results.concat(rows);
          this.totals = totals;
        }, {
          chunkSize: CHUNK_SIZE,
          signal: abort.signal,
          onProgress: (p) => {
            const total = this.progress?.total ?? 0;
            this.progress = { done: base + p.done, total };
          },
        });
        for (const p of prefetched.values()) void p.then(closeDecoded);
        doneSoFar += outcome.done;
        if (outcome.cancelled) {
          const skipped = outcome.total - outcome.done + this.queue.length;
          this.queue = [];
          this.status = `Cancelled: ${skipped} image(s) were not classified. Results so far are kept.`;
        }
      }
    } catch (err) {
      this.status = `Classification stopped: ${err instanceof Error ? err.message : String(err)}. Results so far are kept.`;
      this.queue = [];
    } finally {
      this.progress = null;
      this.abort = null;
      this.running = false;
      endBusy();
    }
  }

  private cancel(): void {
    this.abort?.abort();
  }

  private clear(): void {
    if (this.running) return;
    for (const r of this.results) if (r.thumbnailUrl) URL.revokeObjectURL(r.thumbnailUrl);
    this.results = [];
    this.totals = emptyTotals();
    this.status = '';
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.addFiles(Array.from(input.files ?? []));
    input.value = '';
  }

  protected override render() {
    return html`
      <p class="notice" role="note"><strong>Screening aid, not a diagnosis.</strong>
        Results must be confirmed by a trained microscopist before any treatment decision.</p>
      <div class="inputs">
        <label class="pick">Choose cell images…
          <input type="file" multiple accept="image/*" data-testid="file-input" @change=${this.onPick}
            aria-label="Choose cell images to classify" />
        </label>
        <camera-capture @files-selected=${(e: CustomEvent<File[]>) => this.addFiles(e.detail)}></camera-capture>
        <p class="hint">…or drop images or folders anywhere on this page, or paste an image.</p>
      </div>
      ${this.progress
        ? html`<batch-progress .done=${this.progress.done} .total=${this.progress.total} @cancel=${this.cancel}></batch-progress>`
        : nothing}
      ${this.status ? html`<p class="status" role="status" data-testid="cells-status">${this.status}</p>` : nothing}
      <div class="toolbar">
        <result-summary .totals=${this.totals}></result-summary>
        ${this.results.length && !this.progress
          ? html`<button type="button" class="clear" @click=${this.clear}>Clear results</button>` : nothing}
      </div>
      <div class="list" role="list" aria-label="Classification results">
        ${repeat(this.results, (r) => r.id, (r) => html`<cell-result-row .result=${r}></cell-result-row>`)}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cell-classifier-view': CellClassifierView;
  }
}
