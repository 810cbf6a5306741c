/**
 * <malaria-app>: the root element. Loads the classifier (progress → warm-up → ready), hosts the
 * header (with <pwa-status>), the tab bar and the views, and routes page-wide drops and pastes to
 * the Cells view. Test hooks: `data-ready` once the model is warmed up, `data-backend`.
 * Provides the shared services to the views through @lit/context (./app-context.ts): the
 * classifier, the records store and the slide session's controller.
 *
 * First load (docs/performance.md): index.html paints a static shell (header, tabs, "Loading the
 * model…") before any script runs; this element replaces it. tfjs and the classifier run in the
 * classifier worker (services/model/classifier-client.ts), started as soon as this element connects;
 * the page never loads tfjs unless the worker cannot run (then it is imported, as one chunk, after
 * this element's first frame). The Field, Cells and Records views are separate chunks, imported
 * the first time their tab is selected (the tab switches once the element is defined). Only the
 * Slide view (the first screen) is in the first chunk.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { provide } from '@lit/context';
import {
  classifierContext,
  recordsStoreContext,
  sessionControllerContext,
  type RecordsStoreAccess,
} from './app-context.js';
import { getRecordsStore } from '../services/records/records-service.js';
import { createAppSession } from '../services/session/app-session.js';
import { parseBackendParam } from '../core/model/backend-select.js';
import type { LoadedClassifier, LoadProgress } from '../services/model/classifier.js';
import { classifierWorkerSupported, loadClassifierClient } from '../services/model/classifier-client.js';
import { sharedPixelDecoder } from '../services/decode/pixel-decoder.js';
import { afterNextPaint } from './after-paint.js';
import { installDebugHooks } from './debug-hooks.js';
import { filesFromDataTransfer } from './dropped-files.js';
import { routeImages } from '../services/field/guess-image-kind.js';
import type { CellClassifierView } from './cell-classifier-view.js';
import './diagnostics-panel.js';
import './slide-session-view.js';
// Defined before <malaria-app> renders its header: imported on its own by the entry, it could be defined
// a frame later, and the header grew under a painted page (Lighthouse mobile: <main> shifted, 0.054).
import './pwa-status.js';
import { errorMessage } from '../core/shared/error-message.js';
import { APP_BUILD_ID } from '../pwa/build-id.js';
import { APP_LOCALES, chooseLocale, currentLocale, LOCALE_NAMES, type AppLocale } from '../i18n/locale.js';
import { screeningAidText, screeningAidTitle } from './words.js';

export type AppView = 'cells' | 'field' | 'session' | 'records';

/** The slide workflow comes first: opening the app leads straight to "New slide". */
/** `testid`: the navigation hooks are a contract (docs/sessions.md), spelled out so they can be found. */
const VIEWS: { id: AppView; label: () => string; testid: string }[] = [
  { id: 'session', label: () => msg('Slide'), testid: 'nav-session' },
  { id: 'field', label: () => msg('Field'), testid: 'nav-field' },
  { id: 'cells', label: () => msg('Cells'), testid: 'nav-cells' },
  { id: 'records', label: () => msg('Records'), testid: 'nav-records' },
];

/**
 * The model-loading line, in the current language (the classifier reports its phase). How far the
 * download is shows in the progress bar under it, not as a number here: formatting the first number
 * (Intl.NumberFormat's first use loads the locale's data) is one 115–136 ms main-thread task at 4×
 * CPU, the largest left while the model loads (docs/performance.md); it now waits for the first
 * result. A live region that changes less is also quieter for screen readers.
 */
function progressText(p: LoadProgress): string {
  switch (p.phase) {
    case 'metadata':
      return msg('Loading the model…');
    case 'weights':
      return msg('Downloading the model…');
    case 'backend':
      return msg('Choosing the fastest engine for this device…');
    case 'warmup':
      return msg('Warming up…');
    default:
      return msg('Ready');
  }
}

/** Views that are not in the first chunk: each is imported the first time its tab is selected. */
const LAZY_VIEWS: Partial<Record<AppView, () => Promise<unknown>>> = {
  field: () => import('./field-analysis-view.js'),
  cells: () => import('./cell-classifier-view.js'),
  records: () => import('./records-view.js'),
};

declare global {
  interface HTMLElementTagNameMap {
    'malaria-app': MalariaApp;
  }
}

@customElement('malaria-app')
// After @customElement in source so it runs first: an element already in the page is upgraded by
// customElements.define, and must have its localize controller by then (else it never re-renders
// when the language changes).
@localized()
export class MalariaApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6rem 1.2rem;
      padding: 0.7rem 1rem;
      background: var(--brand, #0f4c5c);
      color: #fff;
    }
    h1 {
      margin: 0;
      font-size: 1.35rem;
    }
    .grow {
      flex: 1;
    }
    .engine {
      font-size: 0.9rem;
    }
    .lang {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    .lang select,
    header .about {
      min-height: 44px;
      min-width: 44px;
      font: inherit;
      border-radius: 8px;
      border: 2px solid #fff;
      background: var(--brand, #0f4c5c);
      color: #fff;
      padding: 0 0.6rem;
      cursor: pointer;
    }
    .lang select:focus-visible,
    header .about:focus-visible {
      outline: 3px solid var(--focus, #ffbf47);
      outline-offset: 2px;
    }
    .lang option {
      background: #fff;
      color: var(--ink, #102a33);
    }
    nav {
      background: #e3ebee;
    }
    .tabs {
      display: flex;
      gap: 0.25rem;
      padding: 0 0.5rem;
      overflow-x: auto;
    }
    .aid {
      margin: 0;
      padding: 0.6rem 0.9rem;
      border-radius: 8px;
      background: #fff4d6;
      border: 1px solid #e0b54a;
      overflow-wrap: anywhere;
    }
    dialog {
      max-width: min(46rem, calc(100vw - 2rem));
      width: 100%;
      box-sizing: border-box;
      border: 0;
      border-radius: 12px;
      padding: 1rem 1.2rem;
      color: var(--ink, #102a33);
    }
    dialog::backdrop {
      background: rgb(16 42 51 / 0.5);
    }
    dialog h2 {
      margin: 0 0 0.5rem;
      font-size: 1.25rem;
    }
    dialog dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.2rem 1rem;
      margin: 0 0 0.8rem;
    }
    dialog dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    dialog .close {
      min-height: 48px;
      padding: 0 1.2rem;
      font: inherit;
      border-radius: 8px;
      cursor: pointer;
      margin-top: 0.8rem;
    }
    nav button {
      min-height: 52px;
      min-width: 88px;
      padding: 0 1.2rem;
      font: inherit;
      font-weight: 600;
      border: 0;
      border-bottom: 4px solid transparent;
      background: transparent;
      color: var(--ink, #102a33);
      cursor: pointer;
    }
    nav button[aria-selected='true'] {
      border-bottom-color: var(--brand, #0f4c5c);
      color: var(--brand, #0f4c5c);
      background: #fff;
    }
    nav button:focus-visible {
      outline: 3px solid var(--focus, #ffbf47);
      outline-offset: -3px;
    }
    main {
      padding: 1rem;
      /* Room for what <pwa-status> floats at the bottom (it sets the variable to its height), so the
         last controls can always be scrolled clear of it. */
      padding-bottom: calc(1rem + var(--pwa-floating-space, 0px));
      max-width: 1400px;
      margin: 0 auto;
      display: grid;
      gap: 1rem;
      grid-template-columns: minmax(0, 1fr);
    }
    main > * {
      min-width: 0;
    }
    /* Fixed at the bottom (as in index.html's shell): the page does not move when loading ends. */
    .loading {
      position: fixed;
      left: 0;
      right: 0;
      bottom: 0;
      z-index: 5;
      display: grid;
      gap: 0.4rem;
      background: var(--panel, #fff);
      padding: 0.8rem 1rem;
      box-shadow: 0 -2px 8px rgb(16 42 51 / 0.2);
    }
    .loading progress {
      width: 100%;
      height: 1.1rem;
      accent-color: var(--brand, #0f4c5c);
    }
    .error {
      background: #fde8e8;
      border: 2px solid var(--parasitized, #a4161a);
      padding: 0.8rem 1rem;
      border-radius: 10px;
    }
    .error button {
      min-height: 48px;
      padding: 0 1.2rem;
      font: inherit;
      border-radius: 8px;
      cursor: pointer;
    }
    details {
      background: var(--panel, #fff);
      border-radius: 10px;
      padding: 0.6rem 1rem;
    }
    summary {
      min-height: 48px;
      display: flex;
      align-items: center;
      cursor: pointer;
      font-weight: 600;
    }
    .drop-overlay {
      position: fixed;
      inset: 0;
      display: grid;
      place-items: center;
      pointer-events: none;
      background: rgb(15 76 92 / 0.25);
      border: 6px dashed var(--brand, #0f4c5c);
      font-size: 1.6rem;
      font-weight: 700;
      color: var(--brand, #0f4c5c);
      z-index: 10;
    }
    [hidden] {
      display: none !important;
    }
  `;

  @provide({ context: classifierContext })
  @state()
  private classifier: LoadedClassifier | null = null;
  @provide({ context: recordsStoreContext })
  readonly recordsStore: RecordsStoreAccess = getRecordsStore;
  private readonly session = createAppSession(getRecordsStore);
  @provide({ context: sessionControllerContext })
  readonly sessionController = this.session.controller;
  @state() private progress: LoadProgress = { phase: 'metadata', fraction: 0, message: 'Starting…' };
  @state() private aboutOpen = false;
  @query('dialog') private aboutDialog?: HTMLDialogElement;
  @state() private loadError = '';
  @state() private view: AppView = 'session';
  @state() private backend = '';
  @state() private dragging = false;
  /** Views whose element is defined (their module loaded): only these are rendered. */
  @state() private loadedViews: ReadonlySet<AppView> = new Set<AppView>(['session']);
  private readonly viewImports = new Map<AppView, Promise<void>>();
  private selecting = 0;
  @query('cell-classifier-view') private cellsView?: CellClassifierView;
  private dragDepth = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('dragenter', this.onDragEnter);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
    document.addEventListener('paste', this.onPaste);
    installDebugHooks(() => this.classifier);
    void this.load();
  }

  protected override firstUpdated(): void {
    // The static shell from index.html (light DOM, never slotted, so already invisible) is done.
    this.replaceChildren();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('dragenter', this.onDragEnter);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
    document.removeEventListener('paste', this.onPaste);
  }

  private async load(): Promise<void> {
    this.loadError = '';
    this.removeAttribute('data-ready');
    try {
      this.progress = { phase: 'metadata', fraction: 0, message: 'Loading the model…' };
      // tfjs, the model, the backends and the WebGL probe run in the classifier worker, which
      // starts at once: fetching and compiling tfjs there does not hold this thread's frames back.
      // In the page fallback they would: the first render (the Slide view's start screen) reaches
      // the screen first.
      if (!classifierWorkerSupported()) {
        await this.updateComplete;
        await this.renderRoot.querySelector('slide-session-view')?.updateComplete;
        await afterNextPaint(2);
      }
      const classifier = await loadClassifierClient({
        baseUrl: document.baseURI,
        forcedBackend: parseBackendParam(location.search),
        onProgress: (p) => {
          this.progress = p;
        },
      });
      classifier.onBackendChange((change) => {
        this.backend = change.backend;
        this.setAttribute('data-backend', change.backend);
      });
      this.classifier = classifier;
      this.session.setClassifier(classifier);
      this.backend = classifier.backend;
      this.setAttribute('data-backend', classifier.backend);
      this.setAttribute('data-ready', '');
      // Start the decode worker now, so the first pick does not wait for it.
      sharedPixelDecoder();
    } catch (err) {
      this.loadError = errorMessage(err);
    }
  }

  private hasFiles(e: DragEvent): boolean {
    return Array.from(e.dataTransfer?.types ?? []).includes('Files');
  }

  private readonly onDragEnter = (e: DragEvent): void => {
    if (!this.hasFiles(e) || this.view !== 'cells') return;
    this.dragDepth++;
    this.dragging = true;
  };

  private readonly onDragOver = (e: DragEvent): void => {
    if (!this.hasFiles(e)) return;
    // A view's own drop zone (Slide, Field) already accepted the drag: 'none' here would cancel its drop.
    const takenByView = e.defaultPrevented;
    // Always prevent the browser from navigating to a dropped file.
    e.preventDefault();
    if (e.dataTransfer && !takenByView)
      e.dataTransfer.dropEffect = this.view === 'cells' || this.view === 'records' ? 'copy' : 'none';
  };

  private readonly onDragLeave = (): void => {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (!this.dragDepth) this.dragging = false;
  };

  private readonly onDrop = (e: DragEvent): void => {
    this.dragDepth = 0;
    this.dragging = false;
    // Another view (e.g. Field) may handle its own drops and call preventDefault first.
    if (e.defaultPrevented) return;
    e.preventDefault();
    if (this.view === 'records') {
      // An archive dropped anywhere on Records is imported as its Import button would (one file).
      const file = e.dataTransfer?.files[0];
      if (file) void this.renderRoot.querySelector('records-view')?.importFile(file);
      return;
    }
    if (this.view !== 'cells') return;
    void filesFromDataTransfer(e.dataTransfer).then((files) => this.cellsView?.addFiles(files));
  };

  private readonly onPaste = (e: ClipboardEvent): void => {
    if (this.view !== 'cells' || e.defaultPrevented) return;
    const files = Array.from(e.clipboardData?.files ?? []);
    if (!files.length) return;
    e.preventDefault();
    this.cellsView?.addFiles(files);
  };

  /** A whole-field photo (looksLikeField) goes to the Field tab; single cells stay in Cells. */
  private readonly routeFiles = (files: File[]) =>
    routeImages(files, (field) => {
      void this.select('field')
        .then(() => this.updateComplete)
        .then(() => this.renderRoot.querySelector('field-analysis-view')?.analyze(field, field.name || 'field'));
    });

  /** Records' "Reopen to correct": the slide is shown in the Slide tab, where its reviews can change. */
  private readonly openSlide = (e: CustomEvent<string>): void => {
    const id = e.detail;
    void this.select('session').then(() => this.renderRoot.querySelector('slide-session-view')?.openSession(id));
  };

  /** Imports a lazy view's module once; the view is rendered from then on (and stays mounted). */
  private ensureView(view: AppView): Promise<void> {
    let p = this.viewImports.get(view);
    if (!p) {
      const load = LAZY_VIEWS[view];
      p = (load ? load() : Promise.resolve()).then(() => {
        this.loadedViews = new Set([...this.loadedViews, view]);
      });
      // A failed import (e.g. offline without the chunk) may be retried on the next click.
      p.catch(() => this.viewImports.delete(view));
      this.viewImports.set(view, p);
    }
    return p;
  }

  /** Shows a tab. Its view's module is imported first, so the element is defined when the tab shows. */
  private async select(view: AppView, focus = false): Promise<void> {
    const ticket = ++this.selecting;
    if (!this.loadedViews.has(view)) {
      await this.ensureView(view);
      if (ticket !== this.selecting) return; // another tab was chosen meanwhile
    }
    this.view = view;
    await this.updateComplete;
    if (focus) this.renderRoot.querySelector<HTMLButtonElement>(`#tab-${view}`)?.focus();
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = VIEWS.findIndex((v) => v.id === this.view);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % VIEWS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEWS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    void this.select((VIEWS[next] as (typeof VIEWS)[number]).id, true);
  }

  private renderLoading() {
    if (this.loadError) {
      return html`<div class="error" role="alert" data-testid="load-error">
        <strong>${msg('The model could not be loaded.')}</strong> ${this.loadError}
        <div><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></div>
      </div>`;
    }
    if (this.classifier) return nothing;
    return html`<div class="loading" role="status" aria-live="polite">
      <span>${progressText(this.progress)}</span>
      <progress
        data-testid="model-progress"
        max="1"
        .value=${this.progress.fraction}
        aria-label=${msg('Model loading')}
      ></progress>
    </div>`;
  }

  private openAbout(): void {
    this.aboutOpen = true;
    void this.updateComplete.then(() => {
      const d = this.aboutDialog;
      if (d && !d.open) d.showModal();
    });
  }

  private closeAbout(): void {
    this.aboutDialog?.close();
  }

  private onLocaleChange(e: Event): void {
    void chooseLocale((e.target as HTMLSelectElement).value as AppLocale);
  }

  /** Developer facts (engine, build, timings, diagnostics) live here, out of the clinician's way. */
  private renderAbout() {
    const c = this.classifier;
    return html`<dialog
      aria-labelledby="about-title"
      data-testid="about-dialog"
      @close=${() => (this.aboutOpen = false)}
    >
      <h2 id="about-title">${msg('About this app')}</h2>
      <p>
        ${msg('Malaria Screen flags red cells that may be infected in photos of thin blood smears. Everything runs on this device.')}
      </p>
      <dl>
        <dt>${msg('Engine')}</dt>
        <dd data-testid="engine">${c ? this.backend : msg('Loading the model…')}</dd>
        <dt>${msg('App build')}</dt>
        <dd data-testid="build-id">${APP_BUILD_ID}</dd>
      </dl>
      ${this.aboutOpen ? html`<diagnostics-panel backend=${this.backend}></diagnostics-panel>` : nothing}
      <button type="button" class="close" data-testid="about-close" @click=${this.closeAbout}>${msg('Close')}</button>
    </dialog>`;
  }

  protected override render() {
    const locale = currentLocale();
    return html`
      <header>
        <h1>Malaria Screen</h1>
        <span class="grow"></span>
        <pwa-status></pwa-status>
        <label class="lang"
          ><span>${msg('Language')}</span>
          <select data-testid="locale-select" @change=${this.onLocaleChange}>
            ${APP_LOCALES.map((l) => html`<option value=${l} lang=${l} ?selected=${l === locale}>${LOCALE_NAMES[l]}</option>`)}
          </select>
        </label>
        <button type="button" class="about" data-testid="about-open" aria-haspopup="dialog" @click=${this.openAbout}>
          ${msg('About / diagnostics')}
        </button>
      </header>
      <nav aria-label=${msg('Views')}>
        <div class="tabs" role="tablist" aria-label=${msg('Views')} @keydown=${this.onTabKey}>
          ${VIEWS.map(
            (v) =>
              html`<button
                type="button"
                role="tab"
                id="tab-${v.id}"
                data-testid=${v.testid}
                aria-controls="view-${v.id}"
                aria-selected=${this.view === v.id ? 'true' : 'false'}
                tabindex=${this.view === v.id ? 0 : -1}
                @click=${() => void this.select(v.id)}
              >
                ${v.label()}
              </button>`,
          )}
        </div>
      </nav>
      <main>
        <p class="aid" role="note" data-testid="screening-aid">
          <strong>${screeningAidTitle()}</strong> ${screeningAidText()}
        </p>
        ${this.renderLoading()}
        <section role="tabpanel" id="view-cells" aria-labelledby="tab-cells" ?hidden=${this.view !== 'cells'}>
          ${this.loadedViews.has('cells') ? html`<cell-classifier-view .routeFiles=${this.routeFiles}></cell-classifier-view>` : nothing}
        </section>
        <section role="tabpanel" id="view-field" aria-labelledby="tab-field" ?hidden=${this.view !== 'field'}>
          ${this.loadedViews.has('field') ? html`<field-analysis-view></field-analysis-view>` : nothing}
        </section>
        <section role="tabpanel" id="view-session" aria-labelledby="tab-session" ?hidden=${this.view !== 'session'}>
          <slide-session-view></slide-session-view>
        </section>
        <section role="tabpanel" id="view-records" aria-labelledby="tab-records" ?hidden=${this.view !== 'records'}>
          ${this.loadedViews.has('records') ? html`<records-view @open-slide=${this.openSlide}></records-view>` : nothing}
        </section>
      </main>
      ${this.renderAbout()}
      ${this.dragging ? html`<div class="drop-overlay" aria-hidden="true">${msg('Drop images to classify')}</div>` : nothing}
    `;
  }
}
