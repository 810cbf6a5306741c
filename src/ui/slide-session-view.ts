/**
 * <slide-session-view>: the slide workflow, the app's first screen.
 *  1. New slide: identifier and target count (or continue any unfinished slide).
 *  2. Field photos (file input, camera, drop): each analysed field joins the session with its map.
 *  3. Review: every flagged cell, most suspicious first (<review-queue>); a tap on a field's cell
 *     adds it to the queue and shows it.
 *  4. Result from the review (<slide-result-panel>); end the slide, print the report.
 * The view renders the SessionController's state and sends it intents; it holds no session logic.
 * Services from the app shell through @lit/context (./app-context.ts): the SessionController and the
 * classifier (null while the model loads).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { classifierContext, sessionControllerContext } from './app-context.js';
import type { LoadedClassifier } from '../services/model/classifier.js';
import { requestPersistence } from '../services/records/storage.js';
import { DEFAULT_TARGET_RED_CELLS, TARGET_INVALID_MESSAGE } from '../core/slide/counts.js';
import { countArtefacts } from '../core/cells/cell-counts.js';
import { validateBloodCount, type BloodCountInput } from '../core/slide/parasitaemia.js';
import type { CellRef } from '../core/slide/review.js';
import type { SessionController, IntakeKind } from '../core/slide/session-controller.js';
import { initialSessionState, queueOf, type SessionState } from '../core/slide/session-state.js';
import { printSessionReport } from './print-report.js';
import type { ReviewDecideDetail } from './review-queue.js';
import { sessionStyles } from './session-styles.js';
import { formatNumber, parseDecimal } from '../core/format/format.js';
import { coreText, recordTime } from './core-text.js';
import { clinicName, setClinicName } from './device-settings.js';
import { SESSION_LOOKS, swatchSvg, type SessionLookKey } from './palette.js';
import './review-queue.js';
import './session-field-map.js';
import './session-totals.js';
import './slide-result-panel.js';

/** Single-cell images shown as pictures (the newest); the rest are counted in words. */
const SHOWN_CELL_IMAGES = 48;

/** The reviewer's name or initials, entered once per device and offered for every new slide. */
const REVIEWER_KEY = 'malaria-screen.reviewer';

function rememberedReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Reads a measurement typed with a decimal comma or point and thousands spaces ("4 500 000", "38,5"):
 * src/core/format. Not for counts: the red-cell target is read by the controller (parseCount), where
 * "1.500" is 1,500 in every locale.
 */
export function parseTypedNumber(text: string): number {
  return parseDecimal(text);
}

@customElement('slide-session-view')
@localized()
export class SlideSessionView extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      .drop {
        border: 3px dashed #5a6b78;
        border-radius: 0.75rem;
        padding: 1rem;
      }
      .drop.over {
        border-color: #0f4c5c;
        background: #e7f1f6;
      }
      input[type='file'] {
        display: none;
      }
      .identifier {
        font-size: 1.25rem;
        overflow-wrap: anywhere;
      }
      .maps {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
      }
      .maps.cells {
        grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
        margin-top: 0.75rem;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        font-size: 0.9rem;
        margin: 0.25rem 0 0.5rem;
      }
      .legend svg {
        vertical-align: middle;
      }
      ul.open {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      .spaced {
        margin-top: 0.75rem;
      }
    `,
  ];

  @consume({ context: classifierContext, subscribe: true })
  @state()
  private classifier: LoadedClassifier | null = null;

  /** The slide session (made and wired by the app shell). */
  @consume({ context: sessionControllerContext })
  private controller!: SessionController;

  @state() private snapshot: SessionState = initialSessionState();
  @state() private identifierError = '';
  /** Why the typed target was refused (start screen / slide screen); nothing was started or changed. */
  @state() private startTargetError = '';
  @state() private targetError = '';
  @state() private dragOver = false;
  @state() private bloodKind: BloodCountInput['kind'] = 'rbc';
  @state() private bloodText = '';
  @state() private bloodError = '';

  @query('#identifier') private identifierInput?: HTMLInputElement;
  @query('#start-target') private targetInput?: HTMLInputElement;
  @query('#reviewer') private reviewerInput?: HTMLInputElement;

  private readonly onChange = (): void => {
    this.snapshot = this.controller.state;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.controller.addEventListener('change', this.onChange);
    void this.controller.connect();
  }

  override disconnectedCallback(): void {
    this.controller.removeEventListener('change', this.onChange);
    super.disconnectedCallback();
  }

  // ---- intents ---------------------------------------------------------------------------------------

  private async start(): Promise<void> {
    const problem = await this.controller.start(this.identifierInput?.value ?? '', this.targetInput?.value ?? '');
    const targetProblem = problem === TARGET_INVALID_MESSAGE;
    this.identifierError = problem && !targetProblem ? coreText(problem) : '';
    this.startTargetError = targetProblem ? coreText(problem) : '';
    if (problem) {
      (targetProblem ? this.targetInput : this.identifierInput)?.focus();
      return;
    }
    this.targetError = '';
    const reviewer = rememberedReviewer();
    if (reviewer) await this.controller.setReviewer(reviewer);
    this.bloodText = '';
    this.bloodError = '';
    void requestPersistence();
  }

  /**
   * Opens a saved slide here: "Continue", and Records' "Reopen to correct" (through the app shell),
   * so the blood-count field is filled from the record either way.
   */
  async openSession(id: string): Promise<void> {
    await this.controller.open(id);
    this.targetError = '';
    const b = this.controller.state.session?.bloodCount ?? null;
    this.bloodKind = b?.kind ?? 'rbc';
    this.bloodText = b
      ? formatNumber(b.kind === 'rbc' ? b.rbcPerMicrolitre : b.haematocritPercent, b.kind === 'rbc' ? 0 : 1).replace(
          /[\u00a0\u202f]/g,
          ' ',
        )
      : '';
    this.bloodError = '';
  }

  private addFiles(files: File[], kind: IntakeKind): void {
    void this.controller.addFiles(files, kind);
  }

  private onPicked(e: Event, kind: IntakeKind): void {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.addFiles(files, kind);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragOver = false;
    const files = [...(e.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith('image/') || f.type === '');
    this.addFiles(files, 'auto');
  }

  private setReviewer(e: Event): void {
    void this.saveReviewer((e.target as HTMLInputElement).value);
  }

  private async saveReviewer(name: string): Promise<void> {
    try {
      localStorage.setItem(REVIEWER_KEY, name.trim());
    } catch {
      // private mode: the name still goes into this session's record
    }
    await this.controller.setReviewer(name);
  }

  private async setTarget(e: Event): Promise<void> {
    const problem = await this.controller.setTarget((e.target as HTMLInputElement).value);
    this.targetError = problem ? coreText(problem) : '';
  }

  /** Ends the slide with the reviewer's name as on screen. */
  private async end(): Promise<void> {
    // A name typed (or cleared) and End pressed at once: save the field first (its change event may
    // still be on its way), so the stored result carries the name that is on screen.
    const typed = this.reviewerInput?.value ?? '';
    if (typed.trim() !== (this.snapshot.session?.reviewer ?? '')) await this.saveReviewer(typed);
    await this.controller.end();
  }

  private bloodInput(): BloodCountInput | null {
    if (!this.bloodText.trim()) return null;
    const v = parseTypedNumber(this.bloodText);
    return this.bloodKind === 'rbc'
      ? { kind: 'rbc', rbcPerMicrolitre: v }
      : { kind: 'haematocrit', haematocritPercent: v };
  }

  private async applyBlood(): Promise<void> {
    const input = this.bloodInput();
    const problem = input ? validateBloodCount(input) : null;
    this.bloodError = problem ? coreText(problem) : '';
    if (!problem) await this.controller.setBloodCount(input);
  }

  private onCellTap(e: CustomEvent<CellRef>): void {
    void this.controller.addToQueue(e.detail).then(() => {
      this.renderRoot.querySelector('review-queue')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
  }

  /** From the queue back to the cell in its field (the field map rings the current cell). */
  private onLocate(e: CustomEvent<CellRef>): void {
    const maps = [...this.renderRoot.querySelectorAll('session-field-map')];
    const map = maps.find((m) => m.field?.id === e.detail.fieldId);
    map?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    map?.focus();
  }

  private async printReport(): Promise<void> {
    const s = this.snapshot.session;
    if (!s) return;
    printSessionReport(s, this.snapshot.fields, this.classifier?.metadata.reviewQueue?.recall ?? null);
  }

  // ---- rendering -------------------------------------------------------------------------------------

  override render() {
    const s = this.snapshot;
    if (s.store === 'unavailable') {
      return html`<section class="card">
        <p class="message error" role="alert" data-testid="store-error">
          ${msg('Slide sessions are off: they cannot be saved on this device, and a review that cannot be saved could be lost.')}
          ${s.storeError} ${msg('The Field and Cells views still analyse images, but nothing is saved.')}
          <button class="secondary" @click=${() => this.controller.connect()}>${msg('Try again')}</button>
        </p>
      </section>`;
    }
    return s.session ? this.renderSession(s) : this.renderStart(s);
  }

  private renderStart(s: SessionState) {
    return html`
      <section class="card" aria-labelledby="start-title">
        <h2 id="start-title">${msg('New slide')}</h2>
        <p>
          ${msg('Photograph microscope fields of one thin smear. The app finds the red cells and flags suspicious ones; you confirm or reject each flag, and the slide result comes from what you confirmed.')}
        </p>
        <!-- No <form>: the app's CSP has form-action 'none', which also blocks submit events. -->
        <div
          class="row"
          role="group"
          aria-labelledby="start-title"
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') void this.start();
          }}
        >
          <div class="field">
            <label for="identifier">${msg('Patient or slide identifier')}</label>
            <input
              id="identifier"
              data-testid="session-identifier"
              autocomplete="off"
              maxlength="200"
              aria-describedby="identifier-hint ${this.identifierError ? 'identifier-error' : ''}"
              aria-invalid=${this.identifierError ? 'true' : 'false'}
            />
            <small id="identifier-hint">${msg('A code only — do not enter names or other personal data.')}</small>
          </div>
          <div class="field">
            <label for="start-target">${msg('Red cells to count')}</label>
            <input
              id="start-target"
              data-testid="target"
              inputmode="numeric"
              value=${DEFAULT_TARGET_RED_CELLS}
              aria-describedby=${this.startTargetError ? 'start-target-error' : nothing}
              aria-invalid=${this.startTargetError ? 'true' : 'false'}
            />
          </div>
          <button type="button" data-testid="start-session" ?disabled=${s.store !== 'ready'} @click=${this.start}>
            ${msg('Start slide')}
          </button>
        </div>
        ${this.identifierError ? html`<p id="identifier-error" class="message error" role="alert">${this.identifierError}</p>` : nothing}
        ${
          this.startTargetError
            ? html`<p id="start-target-error" class="message error" role="alert" data-testid="target-error">
                ${this.startTargetError}
              </p>`
            : nothing
        }
        ${s.storageError ? html`<p class="message error" role="alert" data-testid="storage-error">${coreText(s.storageError)}</p>` : nothing}
      </section>
      ${
        s.openSessions.length
          ? html`<section class="card" aria-labelledby="open-title">
              <h3 id="open-title">${msg('Unfinished slides on this device')}</h3>
              <ul class="open">
                ${s.openSessions.map(
                  (o) =>
                    html`<li>
                      <button
                        class="secondary"
                        data-testid="resume-session"
                        data-identifier=${o.identifier}
                        @click=${() => this.openSession(o.id)}
                      >
                        ${msg(str`Continue “${o.identifier}” · ${o.fieldCount} images · started ${recordTime(o.createdAt, 'date')}`)}
                      </button>
                    </li>`,
                )}
              </ul>
            </section>`
          : nothing
      }
    `;
  }

  private renderAdd(s: SessionState) {
    const ready = !!this.classifier;
    const working = !!s.working;
    return html`<section class="card" aria-labelledby="add-title">
      <h3 id="add-title">${msg('Add field photos')}</h3>
      <div
        class="drop ${this.dragOver ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragOver = true;
        }}
        @dragleave=${() => (this.dragOver = false)}
        @drop=${this.onDrop}
      >
        <div class="row">
          <label class="button" data-testid="add-fields">
            ${msg('Choose field photos')}
            <input
              data-testid="add-fields-input"
              type="file"
              accept="image/*"
              multiple
              ?disabled=${working}
              @change=${(e: Event) => this.onPicked(e, 'field')}
            />
          </label>
          <label class="button secondary" data-testid="take-photo">
            ${msg('Take a photo')}
            <input
              data-testid="camera-input"
              type="file"
              accept="image/*"
              capture="environment"
              ?disabled=${working}
              @change=${(e: Event) => this.onPicked(e, 'field')}
            />
          </label>
          <label class="button secondary" data-testid="add-cells">
            ${msg('Add single-cell images')}
            <input
              data-testid="add-cells-input"
              type="file"
              accept="image/*"
              multiple
              ?disabled=${working}
              @change=${(e: Event) => this.onPicked(e, 'cell')}
            />
          </label>
        </div>
        <p>${msg("…or drop photos here. Photograph at the camera's full resolution.")}</p>
      </div>
      ${!ready ? html`<p class="message info" role="status">${msg('The model is loading; photos added now are analysed as soon as it is ready.')}</p>` : nothing}
      <p role="status" aria-live="polite" data-testid="session-working">${s.working ? coreText(s.working) : ''}</p>
      ${
        s.errors.length
          ? html`<ul class="message error" role="alert" data-testid="session-errors">
              ${s.errors.map((m) => html`<li>${coreText(m)}</li>`)}
            </ul>`
          : nothing
      }
    </section>`;
  }

  private renderLegend() {
    const item = (key: SessionLookKey, text: string) =>
      html`<span>${swatchSvg(SESSION_LOOKS[key], key === 'confirmed')} ${text}</span>`;
    return html`<div class="legend" role="group" aria-label=${msg('Outline legend')} data-testid="session-legend">
      ${item('model-parasitized', msg('Model: looks infected'))} ${item('model-uncertain', msg('Model: uncertain'))}
      ${item('confirmed', msg('You: parasite'))} ${item('rejected', msg('You: not a parasite'))}
      ${item('unsure', msg('You: unsure'))} ${item('white-cell', msg('White blood cell'))}
      ${item('artefact', msg('Not a red cell (artefact)'))}
    </div>`;
  }

  private renderSession(s: SessionState) {
    const session = s.session!;
    const ended = session.endedAt !== null;
    const result = this.controller.result;
    const queue = queueOf(s);
    return html`
      <section class="card" aria-labelledby="session-title">
        <h2 id="session-title">${msg('Slide')}</h2>
        <p class="identifier">
          ${msg('Patient / slide:')} <strong data-testid="session-current-identifier">${session.identifier}</strong>
        </p>
        <session-totals
          .counts=${result?.counts ?? null}
          .target=${session.targetRedCells}
          .artefacts=${countArtefacts(s.fields.flatMap((f) => f.cells))}
        ></session-totals>
        <div class="row spaced">
          <div class="field">
            <label for="target">${msg('Red cells to count')}</label>
            <input
              id="target"
              data-testid="target"
              inputmode="numeric"
              .value=${String(session.targetRedCells)}
              aria-describedby=${this.targetError ? 'target-error' : nothing}
              aria-invalid=${this.targetError ? 'true' : 'false'}
              @change=${this.setTarget}
            />
          </div>
          <div class="field">
            <label for="reviewer">${msg('Reviewed by (name or initials)')}</label>
            <input
              id="reviewer"
              data-testid="reviewer"
              maxlength="100"
              autocomplete="name"
              .value=${session.reviewer ?? ''}
              @change=${this.setReviewer}
            />
          </div>
          <div class="field">
            <label for="clinic">${msg('Clinic or laboratory (printed on reports)')}</label>
            <input
              id="clinic"
              data-testid="clinic-name"
              maxlength="200"
              autocomplete="organization"
              .value=${clinicName()}
              @change=${(e: Event) => setClinicName((e.target as HTMLInputElement).value)}
            />
          </div>
        </div>
        ${
          this.targetError
            ? html`<p id="target-error" class="message error" role="alert" data-testid="target-error">
                ${this.targetError}
              </p>`
            : nothing
        }
      </section>

      ${ended ? nothing : this.renderAdd(s)}
      ${s.storageError ? html`<p class="message error" role="alert" data-testid="storage-error">${coreText(s.storageError)}</p>` : nothing}

      <review-queue
        .band=${this.classifier?.metadata.decision.inconclusive ?? null}
        .queue=${queue}
        .fields=${s.fields}
        .cursor=${s.cursor}
        ?canUndo=${s.undo.length > 0}
        @review-decide=${(e: CustomEvent<ReviewDecideDetail>) => void this.controller.decide(e.detail.ref, e.detail.decision, e.detail.reason)}
        @review-select=${(e: CustomEvent<CellRef>) => this.controller.select(e.detail)}
        @review-move=${(e: CustomEvent<number>) => this.controller.move(e.detail)}
        @review-undo=${() => void this.controller.undo()}
        @review-locate=${this.onLocate}
      ></review-queue>

      <section class="card" aria-labelledby="result-title">
        <h3 id="result-title">${msg('Slide result')}</h3>
        <slide-result-panel .result=${result} .bloodCount=${session.bloodCount}></slide-result-panel>
        <div class="row">
          ${
            ended
              ? html`<button data-testid="new-session" @click=${() => this.controller.leave()}>
                  ${msg('New slide')}
                </button>`
              : html`<button
                    data-testid="end-session"
                    ?disabled=${!!s.working}
                    aria-describedby=${session.reviewer?.trim() ? nothing : 'reviewer-missing'}
                    @click=${this.end}
                  >
                    ${msg('End slide and save the result')}
                  </button>
                  <button
                    class="secondary"
                    data-testid="leave-session"
                    ?disabled=${!!s.working}
                    @click=${() => this.controller.leave()}
                  >
                    ${msg('Leave for later')}
                  </button>`
          }
          <button class="secondary" data-testid="print-report" @click=${this.printReport}>
            ${msg('Print report')}
          </button>
        </div>
        ${
          session.reviewer?.trim()
            ? nothing
            : html`<p id="reviewer-missing" class="message" data-testid="reviewer-missing">
                ${msg('No reviewer named: the result is saved without a name, and the printed report leaves a line to sign. Enter them in “Reviewed by” above.')}
              </p>`
        }
        ${ended ? html`<p data-testid="session-ended">${msg(str`Ended ${recordTime(session.endedAt)}. Adding a photo or changing a review re-opens the slide.`)}</p>` : nothing}
      </section>

      ${this.renderBlood()} ${s.fields.length ? this.renderImages(s) : nothing}
    `;
  }

  /** Newest first; single-cell images beyond the last few are only counted (a slide can hold 1,000). */
  private renderImages(s: SessionState) {
    const newest = [...s.fields].reverse();
    const fields = newest.filter((f) => f.kind === 'field');
    const cells = newest.filter((f) => f.kind === 'cell');
    const shownCells = cells.slice(0, SHOWN_CELL_IMAGES);
    return html`<section class="card" aria-labelledby="fields-title">
      <h3 id="fields-title">
        ${msg(str`Images in this slide (${fields.length} fields, ${cells.length} single cells)`)}
      </h3>
      <p>
        ${msg('Tap a cell to review it (cells the model did not flag are added to the queue).')}
        ${msg('With a keyboard: Tab to an image, move between its cells with the arrow keys, and press Enter to add the outlined cell.')}
      </p>
      ${this.renderLegend()}
      <div class="maps" data-testid="session-items" @cell-tap=${this.onCellTap}>
        ${fields.map((f) => html`<session-field-map .field=${f} .cursor=${s.cursor}></session-field-map>`)}
      </div>
      ${
        shownCells.length
          ? html`<div class="maps cells" data-testid="session-cell-images" @cell-tap=${this.onCellTap}>
                ${shownCells.map((f) => html`<session-field-map .field=${f} .cursor=${s.cursor}></session-field-map>`)}
              </div>
              ${
                cells.length > shownCells.length
                  ? html`<p>
                      ${msg(str`… and ${cells.length - shownCells.length} earlier single-cell images (all counted; flagged ones are in the queue).`)}
                    </p>`
                  : nothing
              }`
          : nothing
      }
    </section>`;
  }

  private renderBlood() {
    return html`<section class="card" aria-labelledby="blood-title">
      <h3 id="blood-title">${msg('Parasites per µL (optional)')}</h3>
      <div class="row">
        <div class="field">
          <label for="blood-kind">${msg("Patient's blood count")}</label>
          <select
            id="blood-kind"
            data-testid="blood-kind"
            .value=${this.bloodKind}
            @change=${(e: Event) => {
              this.bloodKind = (e.target as HTMLSelectElement).value as BloodCountInput['kind'];
              void this.applyBlood();
            }}
          >
            <option value="rbc">${msg('Red-cell count (cells per µL)')}</option>
            <option value="haematocrit">${msg('Haematocrit (%)')}</option>
          </select>
        </div>
        <div class="field">
          <label for="blood-value">${this.bloodKind === 'rbc' ? msg('Red cells per µL') : msg('Haematocrit %')}</label>
          <input
            id="blood-value"
            data-testid="blood-value"
            inputmode="decimal"
            .value=${this.bloodText}
            placeholder=${this.bloodKind === 'rbc' ? msg(str`e.g. ${formatNumber(4500000)}`) : msg(str`e.g. ${formatNumber(38.5, 1)}`)}
            @input=${(e: Event) => (this.bloodText = (e.target as HTMLInputElement).value)}
            @change=${this.applyBlood}
            aria-invalid=${this.bloodError ? 'true' : 'false'}
          />
        </div>
      </div>
      ${this.bloodError ? html`<p class="message error" role="alert">${this.bloodError}</p>` : nothing}
      <p>
        ${msg('Parasites per µL are shown with the slide result once a parasite is confirmed; never estimated without a blood count.')}
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slide-session-view': SlideSessionView;
  }
}
