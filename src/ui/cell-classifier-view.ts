/**
 * <cell-classifier-view>: the "Cells" tab. Takes images from the file picker, drag-and-drop, paste
 * and the camera, classifies them in chunks (progress + cancel, page stays responsive, holds the
 * app's busy flag), and lists the results with running totals.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { guard } from 'lit/directives/guard.js';
import type { BackendName, Classifier } from '../core/model/classifier-types.js';
import { consume } from '@lit/context';
import { classifierContext } from './app-context.js';
import { busy } from '../services/busy.js';
import type { BatchOutcome } from '../core/cells/batch-runner.js';
import { classifyCellFiles } from '../services/cells/classify-cell-files.js';
import { Coalescer } from '../core/shared/coalesce.js';
import type { FileOutcome } from '../core/cells/classify-files.js';
import type { CellResult } from '../core/cells/cell-result.js';
import {
  addOutcome,
  ZERO_OUTCOME_COUNTS,
  type CellOutcomeLabel,
  type OutcomeCounts,
} from '../core/cells/cell-counts.js';
import './cell-result-row.js';
import { pickButtonStyles } from './pick-button-styles.js';
import './result-summary.js';
import './batch-progress.js';
import './camera-capture.js';
import { errorMessage } from '../core/shared/error-message.js';

/** How often a running batch updates the list, totals and progress bar. */
export const UI_UPDATE_INTERVAL_MS = 500;

interface ResultBlock {
  id: number;
  rows: CellResult[];
}

@customElement('cell-classifier-view')
@localized()
export class CellClassifierView extends LitElement {
  static override styles = [
    pickButtonStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .inputs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      .hint {
        color: var(--muted, #47606b);
        margin: 0;
      }
      .notice {
        margin: 0;
        padding: 0.6rem 0.9rem;
        border-radius: 8px;
        background: #fff4d6;
        border: 1px solid #e0b54a;
      }
      .status {
        margin: 0;
      }
      .list {
        display: grid;
        gap: 0.5rem;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
      }
      .block {
        display: contents;
      }
      .toolbar {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        flex-wrap: wrap;
        justify-content: space-between;
      }
      button.clear {
        min-height: 48px;
        padding: 0 1.1rem;
        font: inherit;
        border-radius: 8px;
        border: 2px solid var(--muted, #47606b);
        background: #fff;
        color: var(--ink, #102a33);
        cursor: pointer;
      }
      button.clear:focus-visible {
        outline: 3px solid var(--focus, #ffbf47);
        outline-offset: 2px;
      }
    `,
  ];

  /** From the app shell (./app-context.ts); null while the model loads. */
  @consume({ context: classifierContext, subscribe: true })
  @state()
  classifier: Classifier | null = null;
  /**
   * Optional hook set by the app shell: takes the files it handles elsewhere (a whole-field photo
   * goes to the Field tab); this view classifies the rest as cells, `now` at once, `later` when known.
   */
  @property({ attribute: false }) routeFiles: ((files: File[]) => { now: File[]; later: Promise<File[]> }) | null =
    null;

  /**
   * Results in the blocks they were shown in (one per UI update). A new block is rendered once and
   * every earlier block is skipped (guard), so an update costs its own rows, not the whole list.
   */
  @state() private blocks: ResultBlock[] = [];
  private resultCount = 0;
  @state() private totals: OutcomeCounts = { ...ZERO_OUTCOME_COUNTS };
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
      const waiting = this.queue.length;
      this.status = msg(str`${waiting} image(s) waiting for the model to load…`);
      return;
    }
    this.running = true;
    const endBusy = busy.start('batch');
    const abort = new AbortController();
    this.abort = abort;
    this.progress = { done: 0, total: this.queue.length };
    this.status = '';
    // Rows, totals and progress reach the page a few times a second, not once per chunk.
    const updates = new Coalescer<FileOutcome>(UI_UPDATE_INTERVAL_MS, (outcomes) =>
      this.addResults(outcomes, classifier.backend),
    );
    try {
      while (this.queue.length && !abort.signal.aborted) {
        const files = this.queue.splice(0, this.queue.length);
        // Chunk n+1 is decoded (decode worker) while chunk n runs through the model.
        let outcome: BatchOutcome;
        try {
          outcome = await classifyCellFiles(files, {
            classifier,
            signal: abort.signal,
            onChunk: (outcomes) => updates.push(outcomes),
          });
        } finally {
          updates.flush();
        }
        if (outcome.cancelled) {
          const skipped = outcome.total - outcome.done + this.queue.length;
          this.queue = [];
          this.status = msg(str`Cancelled: ${skipped} image(s) were not classified. Results so far are kept.`);
        }
      }
    } catch (err) {
      this.status = msg(str`Classification stopped: ${errorMessage(err)}. Results so far are kept.`);
      this.queue = [];
    } finally {
      this.progress = null;
      this.abort = null;
      this.running = false;
      endBusy();
    }
  }

  /** A group of results (one or more chunks): one Lit update, one new block of rows, totals and progress. */
  private addResults(outcomes: readonly FileOutcome[], backend: BackendName): void {
    let totals = this.totals;
    const rows: CellResult[] = outcomes.map((o) => {
      // Not a red cell (the gate's refusal): its own outcome, counted apart, never as an error.
      const label: CellOutcomeLabel = o.prediction ? o.prediction.label : o.notACell !== null ? 'Artefact' : 'Error';
      totals = addOutcome(totals, label);
      const message = o.notACell ?? o.error;
      return {
        id: this.nextId++,
        fileName: o.file.name || msg('pasted image'),
        label,
        probability: o.prediction ? o.prediction.probability : null,
        ...(message ? { message } : {}),
        // An artefact decoded, so it can be shown; an error may not even be an image.
        thumbnail: o.prediction || o.notACell !== null ? o.file : null,
        backend,
      };
    });
    if (!rows.length) return;
    this.blocks = [...this.blocks, { id: rows[0]?.id ?? this.nextId, rows }];
    this.resultCount += rows.length;
    this.totals = totals;
    if (this.progress) this.progress = { ...this.progress, done: this.progress.done + rows.length };
  }

  private cancel(): void {
    this.abort?.abort();
  }

  private clear(): void {
    if (this.running) return;
    // Rows revoke their thumbnail URLs when they leave the DOM.
    this.blocks = [];
    this.resultCount = 0;
    this.totals = { ...ZERO_OUTCOME_COUNTS };
    this.status = '';
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.addFiles(Array.from(input.files ?? []));
    input.value = '';
  }

  protected override render() {
    return html`
      <div class="inputs">
        <label class="pick"
          >${msg('Choose cell images…')}
          <input type="file" multiple accept="image/*" data-testid="file-input" @change=${this.onPick} />
        </label>
        <camera-capture @files-selected=${(e: CustomEvent<File[]>) => this.addFiles(e.detail)}></camera-capture>
        <p class="hint">${msg('…or drop images or folders anywhere on this page, or paste an image.')}</p>
      </div>
      ${
        this.progress
          ? html`<batch-progress
              .done=${this.progress.done}
              .total=${this.progress.total}
              @cancel=${this.cancel}
            ></batch-progress>`
          : nothing
      }
      ${this.status ? html`<p class="status" role="status" data-testid="cells-status">${this.status}</p>` : nothing}
      <div class="toolbar">
        <result-summary .totals=${this.totals}></result-summary>
        ${
          this.resultCount && !this.progress
            ? html`<button type="button" class="clear" @click=${this.clear}>${msg('Clear results')}</button>`
            : nothing
        }
      </div>
      <div class="list" role="list" aria-label=${msg('Classification results')}>
        ${repeat(
          this.blocks,
          (b) => b.id,
          (b) =>
            guard(
              [b],
              () =>
                html`<div class="block" role="none">
                  ${b.rows.map(
                    (r) =>
                      html`<cell-result-row
                        .result=${r}
                        .band=${this.classifier?.metadata.decision.inconclusive ?? null}
                      ></cell-result-row>`,
                  )}
                </div>`,
            ),
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cell-classifier-view': CellClassifierView;
  }
}
