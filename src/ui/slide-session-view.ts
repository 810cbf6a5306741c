/**
 * <slide-session-view>: count one slide across several images.
 *  1. Start with a free-text patient/slide identifier (nothing else personal is asked for).
 *  2. Add whole-field photos or single-cell images, one batch after another; each image is saved to
 *     the device (records) as soon as it is analysed, with the running totals.
 *  3. Running totals, progress toward the target red-cell count, optional RBC count / haematocrit →
 *     parasites per µL with the formula.
 *  4. End session → slide verdict with the rule shown.
 * Property: `classifier` (null while the model loads). Optional `fieldAnalyzer` (whole-field pipeline).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Classifier } from '../core/classifier-types.js';
import { busy } from '../core/busy-state.js';
import { decodeImageFile, describeError, type DecodedImage } from '../core/decode-image.js';
import { StorageFullError } from '../core/records/errors.js';
import { getRecordsStore } from '../core/records/records-service.js';
import type { RecordsStore } from '../core/records/records-store.js';
import type { SessionRecord, StoredImage } from '../core/records/schema.js';
import {
  downscaleForStorage,
  STORED_CELL_MAX_SIDE,
  STORED_FIELD_MAX_SIDE,
} from '../core/records/stored-image.js';
import { requestPersistence } from '../core/records/storage.js';
import { DEFAULT_TARGET_RED_CELLS, type SlideCounts } from '../core/slide/counts.js';
import type { FieldAnalyzer } from '../core/slide/field-analyzer.js';
import { singleCellResult, type FieldKind, type FieldResult } from '../core/slide/field-result.js';
import { looksLikeField } from '../core/field/looks-like-field.js';
import {
  parasiteDensity,
  validateBloodCount,
  type BloodCountInput,
} from '../core/slide/parasitaemia.js';
import { summarizeSession } from '../core/slide/session-summary.js';
import { decideVerdict, verdictRuleFor, type VerdictRuleSource } from '../core/slide/verdict.js';
import { printSessionReport } from './print-report.js';
import { ruleSummary } from './session-report.js';
import { sessionStyles } from './session-styles.js';
import { defaultFieldAnalyzer } from './session-field-analyzer.js';
import './session-totals.js';

/** Single cells are classified this many at a time (one batched forward pass each). */
const CELL_BATCH = 16;

interface AddedItem {
  index: number;
  name: string;
  kind: FieldKind;
  counts: SlideCounts;
}

@customElement('slide-session-view')
export class SlideSessionView extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      .add {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .drop {
        border: 3px dashed #8796a2;
        border-radius: 0.75rem;
        padding: 1rem;
        text-align: center;
      }
      .drop.over {
        border-color: #0f4c5c;
        background: #e7f1f6;
      }
      .verdict {
        font-size: 2rem;
        font-weight: 800;
        margin: 0.25rem 0;
      }
      ul.items {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 16rem;
        overflow: auto;
      }
      ul.items li {
        padding: 0.3rem 0;
        border-bottom: 1px solid #dde3e8;
      }
      input[type='file'] {
        display: none;
      }
      .spaced {
        margin-top: 0.75rem;
      }
      .identifier {
        font-size: 1.25rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) classifier: Classifier | null = null;
  /** Whole-field analysis; defaults to the app's field pipeline when it is available. */
  @property({ attribute: false }) fieldAnalyzer: FieldAnalyzer | null = defaultFieldAnalyzer;

  @state() private store: RecordsStore | null = null;
  @state() private storeError = '';
  @state() private session: SessionRecord | null = null;
  @state() private resumable: SessionRecord | null = null;
  @state() private items: AddedItem[] = [];
  @state() private working = '';
  @state() private errors: string[] = [];
  @state() private storageError = '';
  @state() private bloodKind: BloodCountInput['kind'] = 'rbc';
  @state() private bloodText = '';
  @state() private bloodError = '';
  @state() private dragOver = false;
  @state() private identifierError = '';

  @query('#identifier') private identifierInput!: HTMLInputElement;
  @query('#cells-input') private cellsInput!: HTMLInputElement;
  @query('#fields-input') private fieldsInput!: HTMLInputElement;

  private get ruleSource(): VerdictRuleSource {
    return verdictRuleFor(this.classifier?.metadata);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.openStore();
  }

  private async openStore(): Promise<void> {
    try {
      this.store = await getRecordsStore();
      this.resumable = await this.store.latestOpenSession();
    } catch (err) {
      this.storeError = err instanceof Error ? err.message : String(err);
    }
  }

  // ---- session lifecycle -----------------------------------------------------------------------

  private async start(): Promise<void> {
    if (!this.store) return;
    const identifier = this.identifierInput.value.trim();
    if (!identifier) {
      this.identifierError = 'Enter a patient or slide identifier.';
      this.identifierInput.focus();
      return;
    }
    this.identifierError = '';
    const target = Number((this.renderRoot.querySelector('#start-target') as HTMLInputElement | null)?.value);
    const end = busy.start('session save');
    try {
      this.session = await this.store.createSession({
        identifier,
        targetRedCells: Number.isFinite(target) && target >= 1 ? Math.round(target) : DEFAULT_TARGET_RED_CELLS,
        confidentProbability: this.ruleSource.rule.confidentProbability,
        modelName: this.classifier?.metadata.name ?? null,
      });
      this.items = [];
      this.errors = [];
      this.storageError = '';
      this.bloodText = '';
      this.bloodError = '';
      this.resumable = null;
      void requestPersistence();
    } catch (err) {
      this.storageError = err instanceof Error ? err.message : String(err);
    } finally {
      end();
    }
  }

  private async resume(): Promise<void> {
    if (!this.store || !this.resumable) return;
    const full = await this.store.getSession(this.resumable.id);
    if (!full) {
      this.resumable = null;
      return;
    }
    this.session = full.session;
    this.items = full.fields.map((f) => ({
      index: f.index,
      name: f.name,
      kind: f.kind,
      counts: summarizeSession([f], full.session, 1).totals,
    }));
    const b = full.session.bloodCount;
    this.bloodKind = b?.kind ?? 'rbc';
    this.bloodText = b ? String(b.kind === 'rbc' ? b.rbcPerMicrolitre : b.haematocritPercent) : '';
    this.errors = [];
    this.storageError = '';
    this.resumable = null;
  }

  private newSession(): void {
    this.session = null;
    this.items = [];
    this.errors = [];
    this.storageError = '';
    void this.store?.latestOpenSession().then((s) => (this.resumable = s));
  }

  private async endSession(): Promise<void> {
    if (!this.store || !this.session) return;
    const end = busy.start('session save');
    try {
      const full = await this.store.getSession(this.session.id);
      if (!full) throw new Error('This session no longer exists (it was deleted).');
      const src = this.ruleSource;
      const summary = summarizeSession(full.fields, src.rule, full.session.targetRedCells);
      const verdict = decideVerdict(summary.totals, src);
      this.session = await this.store.endSession(this.session.id, verdict, {
        totals: summary.totals,
        confidentProbability: src.rule.confidentProbability,
      });
      this.storageError = '';
    } catch (err) {
      this.storageError = err instanceof Error ? err.message : String(err);
    } finally {
      end();
    }
  }

  private async printReport(): Promise<void> {
    if (!this.store || !this.session) return;
    const full = await this.store.getSession(this.session.id);
    if (full) printSessionReport(full.session, full.fields);
  }

  // ---- adding images ---------------------------------------------------------------------------

  private async addFiles(files: File[], kind: FieldKind | 'auto'): Promise<void> {
    if (!files.length || !this.session || !this.store) return;
    const classifier = this.classifier;
    if (!classifier) {
      this.errors = ['The model is still loading; add the images again in a moment.'];
      return;
    }
    this.errors = [];
    this.storageError = '';
    const end = busy.start('session save');
    try {
      const cells: { file: File; decoded: DecodedImage }[] = [];
      const flushCells = async () => {
        const batch = cells.splice(0, cells.length);
        if (batch.length) await this.addCellBatch(batch, classifier);
      };
      for (const [i, file] of files.entries()) {
        this.working = `Analysing ${file.name} (${i + 1} of ${files.length})…`;
        if (kind === 'field') {
          await flushCells();
          await this.addField(file, classifier);
          continue;
        }
        let decoded: DecodedImage;
        try {
          decoded = await decodeImageFile(file);
        } catch (err) {
          this.errors = [...this.errors, `${file.name}: ${describeError(err)}`];
          continue;
        }
        const k = kind === 'auto' ? (looksLikeField(decoded.width, decoded.height).isField ? 'field' : 'cell') : kind;
        if (k === 'cell') {
          cells.push({ file, decoded });
          if (cells.length >= CELL_BATCH) await flushCells();
        } else {
          decoded.close();
          await flushCells();
          await this.addField(file, classifier);
        }
      }
      await flushCells();
    } catch (err) {
      if (err instanceof StorageFullError) this.storageError = err.message;
      else this.errors = [...this.errors, err instanceof Error ? err.message : String(err)];
    } finally {
      this.working = '';
      end();
    }
  }

  private async save(result: FieldResult, image: StoredImage | null): Promise<void> {
    if (!this.store || !this.session) return;
    const updated = await this.store.addField(this.session.id, result, image);
    this.session = updated;
    this.items = [
      ...this.items,
      {
        index: updated.fieldCount,
        name: result.name,
        kind: result.kind,
        counts: summarizeSession([result], updated, 1).totals,
      },
    ];
  }

  /** Classifies decoded single-cell images in one batch and saves each as its own entry. */
  private async addCellBatch(batch: { file: File; decoded: DecodedImage }[], classifier: Classifier): Promise<void> {
    try {
      const predictions = await classifier.classifyBatch(batch.map((b) => b.decoded.source));
      for (const [i, { file, decoded }] of batch.entries()) {
        const p = predictions[i];
        if (!p) continue;
        const image = await downscaleForStorage(decoded.source, decoded.width, decoded.height, STORED_CELL_MAX_SIDE);
        await this.save(singleCellResult(file.name, decoded.width, decoded.height, p), image);
      }
    } finally {
      for (const b of batch) b.decoded.close();
    }
  }

  private async addField(file: File, classifier: Classifier): Promise<void> {
    const analyze = this.fieldAnalyzer;
    if (!analyze) {
      this.errors = [...this.errors, `${file.name}: whole-field analysis is not available in this version; add single-cell images instead.`];
      return;
    }
    let analyzed;
    try {
      analyzed = await analyze(file, classifier);
    } catch (err) {
      // "No cells found" and rejected images come with their own clear message.
      const own = err instanceof Error && (err.name === 'NoCellsFoundError' || err.name === 'ImageRejectedError');
      this.errors = [...this.errors, `${file.name}: ${own ? (err as Error).message : describeError(err)}`];
      return;
    }
    try {
      if (analyzed.result.cells.length === 0) {
        this.errors = [...this.errors, `${file.name}: no cells found; the image was not added.`];
        return;
      }
      const p = analyzed.preview;
      const image = p ? await downscaleForStorage(p.source, p.width, p.height, STORED_FIELD_MAX_SIDE) : null;
      await this.save(analyzed.result, image);
    } finally {
      analyzed.preview?.close();
    }
  }

  private pick(kind: 'cells' | 'fields'): void {
    (kind === 'cells' ? this.cellsInput : this.fieldsInput).click();
  }

  private onPicked(e: Event, kind: FieldKind): void {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void this.addFiles(files, kind);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragOver = false;
    const files = [...(e.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith('image/') || f.type === '');
    void this.addFiles(files, 'auto');
  }

  // ---- settings --------------------------------------------------------------------------------

  private async setTarget(e: Event): Promise<void> {
    const v = Number((e.target as HTMLInputElement).value);
    if (!this.store || !this.session || !Number.isFinite(v) || v < 1) return;
    await this.saveSettings({ targetRedCells: Math.round(v) });
  }

  private bloodInput(): BloodCountInput | null {
    const v = Number(this.bloodText.replace(/[\s,]/g, ''));
    if (!this.bloodText.trim()) return null;
    return this.bloodKind === 'rbc' ? { kind: 'rbc', rbcPerMicrolitre: v } : { kind: 'haematocrit', haematocritPercent: v };
  }

  private async applyBlood(): Promise<void> {
    const input = this.bloodInput();
    if (input) {
      const problem = validateBloodCount(input);
      this.bloodError = problem ?? '';
      if (problem) return;
    } else {
      this.bloodError = '';
    }
    await this.saveSettings({ bloodCount: input });
  }

  private async saveSettings(patch: Parameters<RecordsStore['updateSettings']>[1]): Promise<void> {
    if (!this.store || !this.session) return;
    const end = busy.start('session save');
    try {
      this.session = await this.store.updateSettings(this.session.id, patch);
    } catch (err) {
      this.storageError = err instanceof Error ? err.message : String(err);
    } finally {
      end();
    }
  }

  // ---- rendering -------------------------------------------------------------------------------

  override render() {
    if (this.storeError) {
      return html`<p class="message error" role="alert">${this.storeError}</p>`;
    }
    return this.session ? this.renderSession(this.session) : this.renderStart();
  }

  private renderStart() {
    return html`
      <section class="card" aria-labelledby="start-title">
        <h2 id="start-title">Start a slide session</h2>
        <p>Count one slide across several photos until the target number of red cells is reached.</p>
        <!-- No <form>: the app's CSP has form-action 'none', which also blocks submit events. -->
        <div class="row" role="group" aria-labelledby="start-title"
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') void this.start();
          }}>
          <div class="field">
            <label for="identifier">Patient or slide identifier</label>
            <input
              id="identifier"
              data-testid="session-identifier"
              autocomplete="off"
              maxlength="200"
              aria-describedby="identifier-hint ${this.identifierError ? 'identifier-error' : ''}"
              aria-invalid=${this.identifierError ? 'true' : 'false'}
            />
            <small id="identifier-hint">A code only — do not enter names or other personal data.</small>
          </div>
          <div class="field">
            <label for="start-target">Target red cells</label>
            <input id="start-target" type="number" min="1" step="100" value=${DEFAULT_TARGET_RED_CELLS} inputmode="numeric" />
          </div>
          <button type="button" data-testid="start-session" ?disabled=${!this.store} @click=${this.start}>Start session</button>
        </div>
        ${this.identifierError
          ? html`<p id="identifier-error" class="message error" role="alert">${this.identifierError}</p>`
          : nothing}
        ${this.resumable
          ? html`<p>
              An unfinished session is saved on this device:
              <button class="secondary" data-testid="resume-session" @click=${this.resume}>
                Continue “${this.resumable.identifier}” (${this.resumable.totals.redCells} red cells)
              </button>
            </p>`
          : nothing}
        ${this.storageError ? html`<p class="message error" role="alert" data-testid="storage-error">${this.storageError}</p>` : nothing}
      </section>
    `;
  }

  private renderSession(s: SessionRecord) {
    const ended = s.endedAt !== null;
    const blood = this.bloodInput();
    const density =
      blood && !validateBloodCount(blood) ? parasiteDensity(s.totals.parasitized, s.totals.redCells, blood) : null;
    const src = this.ruleSource;
    return html`
      <section class="card" aria-labelledby="session-title">
        <h2 id="session-title">Slide session</h2>
        <p class="identifier">Patient / slide: <strong data-testid="session-current-identifier">${s.identifier}</strong></p>
        <session-totals .totals=${s.totals} .target=${s.targetRedCells}></session-totals>
        <div class="row spaced">
          <div class="field">
            <label for="target">Target red cells</label>
            <input id="target" data-testid="target" type="number" min="1" step="100" inputmode="numeric"
              .value=${String(s.targetRedCells)} @change=${this.setTarget} />
          </div>
        </div>
      </section>

      ${ended
        ? nothing
        : html`<section class="card" aria-labelledby="add-title">
            <h3 id="add-title">Add images</h3>
            <div
              class="drop ${this.dragOver ? 'over' : ''}"
              @dragover=${(e: DragEvent) => {
                e.preventDefault();
                this.dragOver = true;
              }}
              @dragleave=${() => (this.dragOver = false)}
              @drop=${this.onDrop}
            >
              <div class="add">
                <button data-testid="add-fields" @click=${() => this.pick('fields')} ?disabled=${!!this.working || !this.classifier || !this.fieldAnalyzer}>
                  Add field photos
                </button>
                <button class="secondary" data-testid="add-cells" @click=${() => this.pick('cells')} ?disabled=${!!this.working || !this.classifier}>
                  Add single-cell images
                </button>
              </div>
              <p>…or drop images here (small images are treated as single cells, large ones as fields).</p>
              <input id="fields-input" data-testid="add-fields-input" type="file" accept="image/*" multiple
                @change=${(e: Event) => this.onPicked(e, 'field')} />
              <input id="cells-input" data-testid="add-cells-input" type="file" accept="image/*" multiple
                @change=${(e: Event) => this.onPicked(e, 'cell')} />
            </div>
            ${!this.classifier ? html`<p class="message info" role="status">The model is loading; adding images will be possible in a moment.</p>` : nothing}
            ${!this.fieldAnalyzer ? html`<p>Whole-field analysis is not available in this version: add single-cell images.</p>` : nothing}
            <p role="status" aria-live="polite" data-testid="session-working">${this.working}</p>
          </section>`}

      ${this.storageError ? html`<p class="message error" role="alert" data-testid="storage-error">${this.storageError}</p>` : nothing}
      ${this.errors.length
        ? html`<ul class="message error" role="alert" data-testid="session-errors">${this.errors.map((m) => html`<li>${m}</li>`)}</ul>`
        : nothing}

      <section class="card" aria-labelledby="blood-title">
        <h3 id="blood-title">Parasites per µL (optional)</h3>
        <div class="row">
          <div class="field">
            <label for="blood-kind">Patient's blood count</label>
            <select id="blood-kind" data-testid="blood-kind" .value=${this.bloodKind}
              @change=${(e: Event) => {
                this.bloodKind = (e.target as HTMLSelectElement).value as BloodCountInput['kind'];
                void this.applyBlood();
              }}>
              <option value="rbc">Red-cell count (cells per µL)</option>
              <option value="haematocrit">Haematocrit (%)</option>
            </select>
          </div>
          <div class="field">
            <label for="blood-value">${this.bloodKind === 'rbc' ? 'Red cells per µL' : 'Haematocrit %'}</label>
            <input id="blood-value" data-testid="blood-value" inputmode="decimal" .value=${this.bloodText}
              placeholder=${this.bloodKind === 'rbc' ? 'e.g. 4500000' : 'e.g. 38'}
              @input=${(e: Event) => (this.bloodText = (e.target as HTMLInputElement).value)}
              @change=${this.applyBlood} aria-invalid=${this.bloodError ? 'true' : 'false'} />
          </div>
        </div>
        ${this.bloodError ? html`<p class="message error" role="alert">${this.bloodError}</p>` : nothing}
        ${density
          ? html`<p>
              <strong data-testid="density">${Math.round(density.perMicrolitre).toLocaleString('en-US')}</strong> parasitized
              red cells per µL<br /><small data-testid="density-formula">${density.formula}</small>
            </p>`
          : html`<p>Enter the patient's red-cell count or haematocrit to estimate parasites per µL (never estimated without it).</p>`}
      </section>

      <section class="card" aria-labelledby="verdict-title">
        <h3 id="verdict-title">Slide verdict</h3>
        ${ended && s.verdict
          ? html`<p class="verdict verdict-${s.verdict.verdict}" data-testid="verdict">${s.verdict.verdict}</p>
              <p data-testid="verdict-reason">${s.verdict.reason}</p>
              ${ruleSummary(s.verdict.rule, s.verdict.ruleFromModel)}
              <div class="row">
                <button data-testid="new-session" @click=${this.newSession}>Start a new session</button>
                <button class="secondary" @click=${this.printReport}>Print report</button>
              </div>`
          : html`<p>Rule that will be applied:</p>
              ${ruleSummary(src.rule, src.fromModel)}
              <div class="row">
                <button data-testid="end-session" @click=${this.endSession} ?disabled=${!!this.working}>
                  End session and get verdict
                </button>
                <button class="secondary" @click=${this.newSession} ?disabled=${!!this.working}>
                  Leave for later
                </button>
              </div>`}
      </section>

      ${this.items.length
        ? html`<section class="card" aria-labelledby="items-title">
            <h3 id="items-title">Images in this session (${this.items.length})</h3>
            <ul class="items" data-testid="session-items">
              ${[...this.items].reverse().map(
                (it) => html`<li>
                  ${it.index}. ${it.name} (${it.kind === 'field' ? 'field' : 'cell'}): ${it.counts.redCells} red,
                  ${it.counts.parasitized} parasitized, ${it.counts.inconclusive} inconclusive${it.counts.whiteBloodCells ? html`, ${it.counts.whiteBloodCells} white` : nothing}
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slide-session-view': SlideSessionView;
  }
}
