/**
 * <field-analysis-view>: the "Field" tab. Takes a whole microscope field (picker, drop, or
 * `analyze(file, name)` from the app shell), detects every cell in a worker, classifies the masked
 * crops in chunks with the shipped model, and shows the outlined field, totals, the tapped cell's
 * crop and probability, and JSON/CSV export. Holds the app's busy flag while it runs.
 * Test hooks: `data-state` = idle | running | done | error; totals carry data-testid.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import type { Classifier } from '../core/model/classifier-types.js';
import { classifierContext } from './app-context.js';
import { busy } from '../services/busy.js';
import { pickButtonStyles } from './pick-button-styles.js';
import { downloadText } from './download.js';
import { describeError } from '../core/decode/image-format.js';
import { analyzeFieldImage, type FieldAnalysis, type FieldProgress } from '../services/field/field-analysis.js';
import { buildFieldExport, fieldExportToCsv } from '../core/field/field-report.js';
import { formatPercent } from '../core/format/format.js';
import { parasitaemiaPercent } from '../core/slide/parasitaemia.js';
import { labelText } from './words.js';
import { modelShareBasis, modelShareBasisStyles } from './model-share-text.js';
import { guessFieldDropKind } from '../services/field/guess-image-kind.js';
import { isUserFacingError } from '../core/shared/user-facing-error.js';
import { coreText } from './core-text.js';
import type { CellSelectDetail } from './field-overlay.js';
import { compositesInSoftware } from './software-gpu.js';
import { FIELD_LABELS, FIELD_LOOKS, swatchSvg } from './palette.js';
import './field-overlay.js';
import './field-cell-detail.js';

export type FieldViewState = 'idle' | 'running' | 'done' | 'error';

/** How often the "Classifying cells: n of N" line may change while a field is classified. */
export const PROGRESS_INTERVAL_MS = 300;

@customElement('field-analysis-view')
@localized()
export class FieldAnalysisView extends LitElement {
  static override styles = [
    pickButtonStyles,
    modelShareBasisStyles,
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
      .drop {
        border: 3px dashed var(--muted, #47606b);
        border-radius: 12px;
        padding: 1rem;
        text-align: center;
        color: var(--muted, #47606b);
      }
      .drop.over {
        background: #e6f2f4;
        border-color: var(--brand, #0f4c5c);
      }
      .switch {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 48px;
      }
      .switch input {
        width: 44px;
        height: 44px;
        margin: 0;
      }
      .notice {
        margin: 0;
        padding: 0.6rem 0.9rem;
        border-radius: 8px;
        background: #fff4d6;
        border: 1px solid #e0b54a;
      }
      .error {
        margin: 0;
        padding: 0.6rem 0.9rem;
        border-radius: 8px;
        background: #fde7e7;
        border: 1px solid #c0392b;
        color: #7a1010;
      }
      .layout {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 3fr) minmax(16rem, 1fr);
        align-items: start;
      }
      @media (max-width: 900px), (orientation: portrait) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      /* File names can be long and unbroken: they wrap anywhere rather than widen the page. */
      .side,
      .layout > * {
        min-width: 0;
      }
      .meta,
      .error,
      .notice,
      .history {
        overflow-wrap: anywhere;
      }
      .history {
        margin: 0;
        padding-left: 1.2rem;
        color: var(--muted, #47606b);
      }
      field-overlay {
        height: min(75vh, 900px);
      }
      .side {
        display: grid;
        gap: 1rem;
      }
      dl.totals {
        display: grid;
        grid-template-columns: auto auto;
        gap: 0.3rem 1rem;
        margin: 0;
        font-size: 1.1rem;
      }
      dl.totals dt {
        font-weight: 600;
      }
      dl.totals dd {
        margin: 0;
        text-align: right;
        font-variant-numeric: tabular-nums;
        font-weight: 700;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 1rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .legend li {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
      }
      .legend svg {
        flex: none;
      }
      details.meta summary {
        min-height: 44px;
        display: flex;
        align-items: center;
        cursor: pointer;
      }
      .name {
        margin: 0;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button {
        min-height: 48px;
        padding: 0 1.1rem;
        font: inherit;
        border-radius: 8px;
        border: 2px solid var(--brand, #0f4c5c);
        background: #fff;
        color: var(--ink, #102a33);
        cursor: pointer;
        font-weight: 600;
      }
      button.primary {
        background: var(--brand, #0f4c5c);
        color: #fff;
      }
      button:focus-visible {
        outline: 3px solid var(--focus, #ffbf47);
        outline-offset: 2px;
      }
      .export-menu {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .meta {
        color: var(--muted, #47606b);
        font-size: 0.95rem;
        margin: 0;
      }
    `,
  ];

  /** From the app shell (./app-context.ts); null while the model loads. */
  @consume({ context: classifierContext, subscribe: true })
  @state()
  classifier: Classifier | null = null;

  @state() private viewState: FieldViewState = 'idle';
  @state() private result: FieldAnalysis | null = null;
  @state() private message = '';
  @state() private progressText = '';
  @state() private selectedId: number | null = null;
  @state() private exportOpen = false;
  @state() private dragOver = false;
  @state() private forceField = false;
  /**
   * An image that is not a field, waiting for "analyse as a field anyway". `notACell`: the cell gate's
   * reason when it is not a plausible single cell either (then the Cells tab is not suggested).
   */
  @state() private pendingSingleCell: { file: Blob; name: string; notACell: string | null } | null = null;

  /** Photos waiting for their turn, and the chain that runs them one after another. */
  @state() private waiting = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Every photo analysed in this visit (name and totals; null when it failed), oldest first. */
  @state() private history: { name: string; totals: FieldAnalysis['totals'] | null }[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.state = this.viewState;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.result?.display.close();
  }

  protected override updated(): void {
    this.dataset.state = this.viewState;
  }

  /**
   * Analyses one photo as a whole field. Photos given while one is being analysed (several field
   * photos picked in the Cells tab, a second drop) wait their turn, in order; none is dropped.
   * Resolves when this photo's result (or error) is on screen.
   */
  analyze(file: Blob, name: string): Promise<void> {
    this.waiting++;
    const run = this.queue.then(() => {
      this.waiting--;
      return this.runAnalysis(file, name);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runAnalysis(file: Blob, name: string): Promise<void> {
    this.pendingSingleCell = null;
    const endBusy = busy.start('field analysis');
    this.viewState = 'running';
    this.message = '';
    this.progressText = msg('Reading the image…');
    try {
      const analysis = await analyzeFieldImage(file, name, this.classifier, (p) => this.onProgress(p));
      this.result?.display.close();
      this.result = analysis;
      this.selectedId = null;
      this.exportOpen = false;
      this.viewState = 'done';
      this.history = [...this.history, { name, totals: analysis.totals }];
      if (!analysis.classified)
        this.message = msg(
          'The model is not loaded yet: cells were found but not classified (all shown as needing review).',
        );
    } catch (err) {
      // Earlier results stay on screen.
      this.viewState = 'error';
      const why = isUserFacingError(err, 'no-cells') ? err.message : describeError(err, 'analyse');
      this.message = `${name}: ${why}`;
      this.history = [...this.history, { name, totals: null }];
    } finally {
      this.progressText = '';
      endBusy();
    }
  }

  /** When the progress line last changed (performance.now()). */
  private progressShownAt = Number.NEGATIVE_INFINITY;

  private onProgress(p: FieldProgress): void {
    // Every change of the line is a new frame (tens of ms of GPU-process CPU where compositing is in
    // software): per batch of crops was ≈ 8 frames a field. Counts at most every
    // PROGRESS_INTERVAL_MS; the phases themselves always show.
    const now = performance.now();
    if (p.phase === 'classifying' && p.done && now - this.progressShownAt < PROGRESS_INTERVAL_MS) return;
    this.progressShownAt = now;
    this.progressText =
      p.phase === 'decoding'
        ? msg('Reading the image…')
        : p.phase === 'detecting'
          ? msg('Finding cells…')
          : msg(str`Classifying cells: ${p.done ?? 0} of ${p.total ?? 0}`);
  }

  /**
   * Checks size/content first (the app's one field-or-cell decision); a single-cell image asks
   * before analysing unless forced. An undecodable file goes to analyze(), which reports it.
   */
  private async take(file: File): Promise<void> {
    const kind = this.forceField ? null : await guessFieldDropKind(file);
    if (kind && kind.kind !== 'field') {
      this.pendingSingleCell = { file, name: file.name, notACell: kind.kind === 'neither' ? kind.reason : null };
      this.message = '';
      return;
    }
    await this.analyze(file, file.name || 'field');
  }

  /** Names the file; suggests the Cells tab only when the cell gate would accept the image. */
  private notAFieldText(p: { name: string; notACell: string | null }): string {
    const name = p.name || msg('This image');
    return p.notACell === null
      ? msg(str`${name} looks like a single cell, not a whole field. Classify it in the Cells tab, or`)
      : msg(
          str`${name} is neither a whole-field photo nor a single red cell (${p.notACell}). Check that it is a thin blood smear photographed through the microscope, or`,
        );
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.take(file);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragOver = false;
    const file = e.dataTransfer?.files?.[0];
    if (file) void this.take(file);
  }

  private onSelect(e: CustomEvent<CellSelectDetail>): void {
    this.selectedId = e.detail.id;
  }

  private download(kind: 'json' | 'csv'): void {
    const r = this.result;
    if (!r) return;
    const md = this.classifier?.metadata;
    const exp = buildFieldExport(
      r.name,
      r.width,
      r.height,
      r.cells,
      md ? { name: md.name, threshold: md.decision.threshold, inconclusive: md.decision.inconclusive } : null,
    );
    const text = kind === 'json' ? JSON.stringify(exp, null, 2) : fieldExportToCsv(exp);
    downloadText(
      text,
      kind === 'json' ? 'application/json' : 'text/csv',
      `${(r.name || 'field').replace(/\.[^.]+$/, '')}-analysis.${kind}`,
    );
    this.exportOpen = false;
  }

  private renderResult(r: FieldAnalysis) {
    const t = r.totals;
    const selected = this.selectedId === null ? null : (r.cells.find((c) => c.id === this.selectedId) ?? null);
    return html`
      <div class="layout">
        <field-overlay
          .image=${r.display}
          .imageWidth=${r.width}
          .imageHeight=${r.height}
          .cells=${r.cells}
          .selectedId=${this.selectedId}
          .softwareCanvas=${compositesInSoftware(this.classifier)}
          @cell-select=${this.onSelect}
        ></field-overlay>
        <div class="side">
          <section aria-label=${msg('Field totals')}>
            <p class="name" data-testid="field-name">${r.name}</p>
            <dl class="totals" aria-live="polite">
              <dt>${msg('Red cells')}</dt>
              <dd data-testid="field-red-cells">${t.redCells}</dd>
              <dt>${labelText('Parasitized')}</dt>
              <dd data-testid="field-parasitized">${t.parasitized}</dd>
              <dt>${labelText('Inconclusive')}</dt>
              <dd data-testid="field-inconclusive">${t.inconclusive}</dd>
              <dt>${labelText('Uninfected')}</dt>
              <dd data-testid="field-uninfected">${t.uninfected}</dd>
              <dt>${msg('White blood cells')}</dt>
              <dd data-testid="field-white-cells">${t.whiteBloodCells}</dd>
              <dt>${msg('Not red cells (artefacts)')}</dt>
              <dd data-testid="field-artefacts">${r.artefacts}</dd>
              <dt>${msg('Parasitaemia')}</dt>
              <dd data-testid="field-parasitaemia">${formatPercent(parasitaemiaPercent(t.parasitized, t.redCells))}</dd>
            </dl>
            ${modelShareBasis(msg('Parasitaemia'), 'field-parasitaemia-basis', t)}
          </section>
          <ul class="legend" aria-label=${msg('Outline legend')} data-testid="field-legend">
            ${FIELD_LABELS.map((k) => html`<li>${swatchSvg(FIELD_LOOKS[k])}${labelText(k)}</li>`)}
          </ul>
          <field-cell-detail
            .band=${this.classifier?.metadata.decision.inconclusive ?? null}
            .cell=${selected}
            .crop=${selected ? (r.crops.get(selected.id) ?? null) : null}
          ></field-cell-detail>
          <div class="actions">
            <button
              type="button"
              data-testid="export"
              aria-expanded=${String(this.exportOpen)}
              @click=${() => {
                this.exportOpen = !this.exportOpen;
              }}
            >
              ${msg('Export…')}
            </button>
            ${
              this.exportOpen
                ? html`<div class="export-menu" role="group" aria-label=${msg('Export format')}>
                    <button type="button" data-testid="export-json" @click=${() => this.download('json')}>JSON</button>
                    <button type="button" data-testid="export-csv" @click=${() => this.download('csv')}>CSV</button>
                  </div>`
                : nothing
            }
          </div>
          <details class="meta">
            <summary>${msg('Technical details')}</summary>
            <p data-testid="field-timing" data-pixels-read=${r.pixelsRead}>
              ${r.name}: ${r.width}×${r.height}; decode ${r.timings.decodeMs} ms, detection ${r.timings.detectMs} ms,
              classification ${r.timings.classifyMs} ms, total ${r.timings.totalMs} ms.
            </p>
          </details>
        </div>
      </div>
    `;
  }

  protected override render() {
    return html`
      <div class="inputs">
        <label class="pick"
          >${msg('Choose field photo')}
          <input
            type="file"
            accept="image/*"
            data-testid="field-file-input"
            @change=${this.onPick}
            ?disabled=${this.viewState === 'running'}
          />
        </label>
        <label class="switch"
          ><input
            type="checkbox"
            data-testid="field-force"
            .checked=${this.forceField}
            @change=${(e: Event) => {
              this.forceField = (e.target as HTMLInputElement).checked;
            }}
          />${msg('Always analyse as a whole field')}</label
        >
      </div>
      <div
        class="drop ${this.dragOver ? 'over' : ''}"
        data-testid="field-drop"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragOver = true;
        }}
        @dragleave=${() => {
          this.dragOver = false;
        }}
        @drop=${this.onDrop}
      >
        ${msg('Drop a whole-field microscope photo here (thin smear, 100× objective; take it at the camera’s full resolution).')}
      </div>
      ${
        this.progressText
          ? html`<p class="notice" role="status" data-testid="field-progress">
              ${this.progressText}${this.waiting ? ` ${msg(str`(${this.waiting} more photo(s) waiting)`)}` : ''}
            </p>`
          : nothing
      }
      ${
        this.pendingSingleCell
          ? html`<p
              class="notice"
              role="status"
              data-testid="field-not-a-field"
              data-file=${this.pendingSingleCell.name}
              data-kind=${this.pendingSingleCell.notACell === null ? 'cell' : 'neither'}
            >
              ${this.notAFieldText(this.pendingSingleCell)}
              <button
                type="button"
                data-testid="field-analyse-anyway"
                @click=${() => {
                  const p = this.pendingSingleCell;
                  if (p) void this.analyze(p.file, p.name);
                }}
              >
                ${msg('analyse as a field anyway')}
              </button>
            </p>`
          : nothing
      }
      ${this.message ? html`<p class=${this.viewState === 'error' ? 'error' : 'notice'} role="alert" data-testid="field-message">${coreText(this.message)}</p>` : nothing}
      ${this.result ? this.renderResult(this.result) : nothing}
      ${
        this.history.length > 1
          ? html`<section aria-label=${msg('Photos analysed')}>
              <h3>${msg(str`Photos analysed (${this.history.length})`)}</h3>
              <ol class="history" data-testid="field-history">
                ${this.history.map(
                  (h) =>
                    html`<li
                      data-testid="field-history-item"
                      data-name=${h.name}
                      data-red-cells=${h.totals ? String(h.totals.redCells) : ''}
                    >
                      ${h.name}:
                      ${
                        h.totals
                          ? msg(str`${h.totals.redCells} red cells, ${h.totals.parasitized} infected`)
                          : msg('not analysed')
                      }
                    </li>`,
                )}
              </ol>
            </section>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'field-analysis-view': FieldAnalysisView;
  }
}
