/**
 * <records-view>: every slide session saved on this device.
 *  - list newest first, search by identifier, open (report), print, delete one, delete all;
 *  - storage used / available and a request for persistent storage;
 *  - export: sessions CSV, per-cell CSV, JSON archive (images included); import of an archive.
 * Test hooks: rows `data-testid="record"` with `data-identifier`; `data-testid` on every action.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { busy } from '../core/busy-state.js';
import { buildArchive, parseArchiveText } from '../core/records/archive.js';
import { cellsCsv, sessionsCsv } from '../core/records/csv.js';
import { getRecordsStore } from '../core/records/records-service.js';
import type { RecordsStore, SessionWithFields } from '../core/records/records-store.js';
import type { SessionRecord } from '../core/records/schema.js';
import { formatBytes, requestPersistence, storageInfo, type StorageInfo } from '../core/records/storage.js';
import { parasitaemiaPercent } from '../core/slide/parasitaemia.js';
import { formatPercent } from '../core/slide/session-summary.js';
import { printSessionReport } from './print-report.js';
import { sessionStyles } from './session-styles.js';
import './session-report.js';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

function download(content: string, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

@customElement('records-view')
export class RecordsView extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .search {
        flex: 1 1 16rem;
      }
      .search input {
        width: 100%;
      }
      ul.list {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.list li {
        border-bottom: 1px solid #dde3e8;
      }
      ul.list button.open {
        width: 100%;
        justify-content: space-between;
        flex-wrap: wrap;
        background: #fff;
        color: inherit;
        border: none;
        border-radius: 0;
        padding: 0.6rem 0.5rem;
        text-align: left;
        font-weight: 400;
      }
      ul.list button.open:hover {
        background: #f2f6f8;
      }
      .id {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .stats {
        font-variant-numeric: tabular-nums;
      }
      input[type='file'] {
        display: none;
      }
    `,
  ];

  @state() private store: RecordsStore | null = null;
  @state() private sessions: SessionRecord[] = [];
  @state() private query = '';
  @state() private opened: SessionWithFields | null = null;
  @state() private storage: StorageInfo | null = null;
  @state() private message = '';
  @state() private error = '';
  @state() private confirmDeleteAll = false;
  @state() private confirmDeleteOne = false;
  @state() private loaded = false;

  private readonly onChange = () => void this.refresh();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.store?.removeEventListener('change', this.onChange);
  }

  private async init(): Promise<void> {
    try {
      this.store = await getRecordsStore();
      this.store.addEventListener('change', this.onChange);
      await this.refresh();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async refresh(): Promise<void> {
    if (!this.store) return;
    this.sessions = await this.store.listSessions(this.query);
    if (this.opened) this.opened = await this.store.getSession(this.opened.session.id);
    this.storage = await storageInfo();
    this.loaded = true;
  }

  private async search(e: Event): Promise<void> {
    this.query = (e.target as HTMLInputElement).value;
    await this.refresh();
  }

  private async open(id: string): Promise<void> {
    if (!this.store) return;
    this.opened = await this.store.getSession(id);
    this.confirmDeleteOne = false;
    this.message = '';
    this.error = '';
    await this.updateComplete;
    (this.renderRoot.querySelector('#detail-title') as HTMLElement | null)?.focus();
  }

  private async guarded(label: string, fn: () => Promise<void>): Promise<void> {
    const end = busy.start(label);
    this.error = '';
    this.message = '';
    try {
      await fn();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      end();
    }
  }

  private deleteOpened(): Promise<void> {
    return this.guarded('session save', async () => {
      if (!this.store || !this.opened) return;
      const name = this.opened.session.identifier;
      await this.store.deleteSession(this.opened.session.id);
      this.opened = null;
      this.confirmDeleteOne = false;
      this.message = `Deleted the session “${name}”.`;
    });
  }

  private deleteAll(): Promise<void> {
    return this.guarded('session save', async () => {
      if (!this.store) return;
      await this.store.deleteAll();
      this.opened = null;
      this.confirmDeleteAll = false;
      this.message = 'All records were deleted from this device.';
    });
  }

  private exportCsv(kind: 'sessions' | 'cells'): Promise<void> {
    return this.guarded('records export', async () => {
      if (!this.store) return;
      const { sessions, fields } = await this.store.everything();
      if (kind === 'sessions') download(sessionsCsv(sessions), 'text/csv', `malaria-sessions-${stamp()}.csv`);
      else download(cellsCsv(sessions, fields), 'text/csv', `malaria-cells-${stamp()}.csv`);
    });
  }

  private exportArchive(): Promise<void> {
    return this.guarded('records export', async () => {
      if (!this.store) return;
      const { sessions, fields } = await this.store.everything();
      download(JSON.stringify(buildArchive(sessions, fields)), 'application/json', `malaria-records-${stamp()}.json`);
      this.message = `Exported ${sessions.length} sessions with ${fields.length} images.`;
    });
  }

  private async importPicked(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    await this.guarded('session save', async () => {
      if (!this.store) return;
      const { sessions, fields } = parseArchiveText(await file.text());
      const r = await this.store.merge(sessions, fields);
      this.message =
        `Imported ${file.name}: ${r.added} new sessions, ${r.updated} updated, ${r.unchanged} already here; ` +
        `${r.fieldsAdded} images added.`;
    });
  }

  private async persist(): Promise<void> {
    const granted = await requestPersistence();
    this.message =
      granted === true
        ? 'The browser will keep these records even when storage runs low.'
        : granted === false
          ? 'The browser declined persistent storage (installing the app usually allows it). Export regularly.'
          : 'This browser cannot make storage persistent. Export regularly.';
    this.storage = await storageInfo();
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="records-title">
        <h2 id="records-title">Records on this device</h2>
        ${this.renderStorage()}
        <div class="toolbar">
          <div class="field search">
            <label for="search">Search by identifier</label>
            <input id="search" type="search" data-testid="records-search" .value=${this.query} @input=${this.search} />
          </div>
          <button class="secondary" data-testid="export-sessions-csv" @click=${() => this.exportCsv('sessions')}>Sessions CSV</button>
          <button class="secondary" data-testid="export-cells-csv" @click=${() => this.exportCsv('cells')}>Per-cell CSV</button>
          <button class="secondary" data-testid="export-archive" @click=${this.exportArchive}>Export archive (JSON)</button>
          <button class="secondary" data-testid="import-archive" @click=${() => (this.renderRoot.querySelector('#import-input') as HTMLInputElement).click()}>
            Import archive
          </button>
          <input id="import-input" data-testid="import-archive-input" type="file" accept="application/json,.json" @change=${this.importPicked} />
        </div>
        ${this.message ? html`<p class="message info" role="status" data-testid="records-message">${this.message}</p>` : nothing}
        ${this.error ? html`<p class="message error" role="alert" data-testid="records-error">${this.error}</p>` : nothing}
      </section>
      ${this.opened ? this.renderDetail(this.opened) : nothing}
      <section class="card" aria-labelledby="list-title">
        <h3 id="list-title">Sessions (${this.sessions.length}${this.query ? ` matching “${this.query}”` : ''})</h3>
        ${this.loaded && !this.sessions.length
          ? html`<p data-testid="records-empty">${this.query ? 'No session matches this identifier.' : 'No sessions saved yet.'}</p>`
          : nothing}
        <ul class="list">
          ${this.sessions.map((s) => this.renderRow(s))}
        </ul>
        ${this.sessions.length && !this.query
          ? this.confirmDeleteAll
            ? html`<div class="message error" role="alert">
                <p>Delete all ${this.sessions.length} sessions from this device? This cannot be undone; export first if unsure.</p>
                <div class="row">
                  <button class="danger" data-testid="confirm-delete-all" @click=${this.deleteAll}>Delete all</button>
                  <button class="secondary" @click=${() => (this.confirmDeleteAll = false)}>Cancel</button>
                </div>
              </div>`
            : html`<button class="danger" data-testid="delete-all" @click=${() => (this.confirmDeleteAll = true)}>Delete all records…</button>`
          : nothing}
      </section>
    `;
  }

  private renderStorage() {
    const s = this.storage;
    if (!s) return nothing;
    return html`<p data-testid="storage-info">
      Storage used: ${formatBytes(s.usage)}${s.quota !== null ? html` of ${formatBytes(s.quota)} available` : nothing}.
      ${s.persisted === true
        ? 'Records are kept persistently.'
        : html`Records may be cleared by the browser when space runs low.
            <button class="secondary" data-testid="persist" @click=${this.persist}>Keep records on this device</button>`}
    </p>`;
  }

  private renderRow(s: SessionRecord) {
    const t = s.totals;
    return html`<li data-testid="record" data-identifier=${s.identifier} data-session-id=${s.id}>
      <button class="open" @click=${() => this.open(s.id)} aria-label="Open session ${s.identifier}">
        <span class="id">${s.identifier}</span>
        <span>${new Date(s.createdAt).toLocaleString()}</span>
        <span class="stats">
          <span data-testid="record-red-cells">${t.redCells}</span> red ·
          <span data-testid="record-parasitized">${t.parasitized}</span> parasitized ·
          <span data-testid="record-inconclusive">${t.inconclusive}</span> inconclusive ·
          <span data-testid="record-parasitaemia">${formatPercent(parasitaemiaPercent(t.parasitized, t.redCells))}</span>
        </span>
        <strong data-testid="record-verdict" class=${s.verdict ? `verdict-${s.verdict.verdict}` : ''}>
          ${s.verdict?.verdict ?? 'In progress'}
        </strong>
      </button>
    </li>`;
  }

  private renderDetail(o: SessionWithFields) {
    return html`<section class="card" aria-labelledby="detail-title" data-testid="record-detail">
      <h3 id="detail-title" tabindex="-1">Session “${o.session.identifier}”</h3>
      <session-report .session=${o.session} .fields=${o.fields}></session-report>
      <div class="row">
        <button data-testid="print-report" @click=${() => printSessionReport(o.session, o.fields)}>Print report</button>
        <button class="secondary" data-testid="close-record" @click=${() => (this.opened = null)}>Close</button>
        ${this.confirmDeleteOne
          ? html`<span role="alert">Delete this session?</span>
              <button class="danger" data-testid="confirm-delete-record" @click=${this.deleteOpened}>Delete</button>
              <button class="secondary" @click=${() => (this.confirmDeleteOne = false)}>Cancel</button>`
          : html`<button class="danger" data-testid="delete-record" @click=${() => (this.confirmDeleteOne = true)}>Delete…</button>`}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'records-view': RecordsView;
  }
}
