/**
 * <records-view>: every slide session saved on this device.
 *  - list newest first, search by identifier, open (report), print, delete one, delete all;
 *  - storage used / available and a request for persistent storage;
 *  - export: sessions CSV, per-cell CSV, JSON archive (images included); import of an archive.
 * Test hooks: rows `data-testid="record"` with `data-identifier`; `data-testid` on every action.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { classifierContext, recordsStoreContext, type RecordsStoreAccess } from './app-context.js';
import type { LoadedClassifier } from '../services/model/classifier.js';
import { busy } from '../services/busy.js';
import { buildArchive, parseArchiveText, storedSessionProblem, type CheckedRecords } from '../core/records/archive.js';
import type { MergeReport } from '../core/records/merge.js';
import { cellsCsv, sessionsCsv } from '../core/records/csv.js';
import type { RecordsStore, SessionWithFields } from '../services/records/records-store.js';
import type { SessionRecord } from '../core/records/schema.js';
import { requestPersistence, storageInfo, type StorageInfo } from '../services/records/storage.js';
import { formatBytes } from '../core/format/format.js';
import { coreText, recordTime } from './core-text.js';
import { downloadText as download } from './download.js';
import { printSessionReport } from './print-report.js';
import { sessionStyles } from './session-styles.js';
import './session-report.js';
import { errorMessage } from '../core/shared/error-message.js';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

const VERDICTS = ['positive', 'negative', 'incomplete'] as const;
type Verdict = (typeof VERDICTS)[number];
function verdictWords(v: Verdict): string {
  return v === 'positive' ? msg('Positive') : v === 'negative' ? msg('Negative') : msg('Ended, not finished');
}

/** An import's outcome in words (core/records/merge.ts describeMergeReport, translated). */
function mergeText(r: MergeReport): string {
  const copies = r.copies ? msg(str`, ${r.copies} imported as separate copies`) : '';
  const reopened = r.reopened ? msg(str`, ${r.reopened} re-opened`) : '';
  return msg(
    str`${r.added} new sessions, ${r.updated} updated, ${r.unchanged} already here${copies}${reopened}; ${r.fieldsAdded} images added, ${r.reviewsUpdated} reviews updated.`,
  );
}

/**
 * Counted words agree with their number ("1 session", "2 sessions"), as in result-words.ts: whole
 * sentences per form, since French and Portuguese also change the participle ("exportée(s)").
 */
function exportedCsvText(n: number, what: string): string {
  return n === 1 ? msg(str`Exported ${n} session (${what}).`) : msg(str`Exported ${n} sessions (${what}).`);
}

function exportedArchiveText(n: number, images: number): string {
  const imagesText = images === 1 ? msg(str`${images} image`) : msg(str`${images} images`);
  return n === 1
    ? msg(str`Exported ${n} session with ${imagesText}.`)
    : msg(str`Exported ${n} sessions with ${imagesText}.`);
}

/** What an export left out, in words (empty when nothing). */
function skippedText(r: CheckedRecords): string {
  const parts: string[] = [];
  if (r.skipped.length) {
    const list = r.skipped
      .slice(0, 5)
      .map((k) => `“${k.identifier ?? k.id}” (${k.reason})`)
      .join('; ');
    const more = r.skipped.length > 5 ? '; …' : '';
    const n = r.skipped.length;
    parts.push(
      n === 1
        ? msg(
            str`${n} session was left out because a stored value is invalid or out of range: ${list}${more}. Open it in the list below to check it, then delete it.`,
          )
        : msg(
            str`${n} sessions were left out because a stored value is invalid or out of range: ${list}${more}. Open it in the list below to check it, then delete it.`,
          ),
    );
  }
  if (r.orphanImages) parts.push(msg(str`${r.orphanImages} image(s) without a session left out.`));
  return parts.join(' ');
}

/** A row of the list, safe for any stored record (a damaged one included). */
function rowOf(s: SessionRecord): {
  identifier: string;
  started: string;
  red: string;
  flagged: string;
  pending: string;
  confirmed: string;
  verdict: Verdict | null;
  ended: boolean;
  problem: string | null;
} {
  const r = typeof s.review === 'object' && s.review !== null ? s.review : null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '?');
  const v = typeof s.verdict === 'object' && s.verdict !== null ? s.verdict.verdict : null;
  return {
    identifier: typeof s.identifier === 'string' ? s.identifier : String(s.id),
    started: recordTime(s.createdAt),
    red: n(r?.redCells),
    flagged: n(r?.queued),
    pending: n(r?.pending),
    confirmed: n(r?.confirmed),
    verdict: v !== null && (VERDICTS as readonly string[]).includes(v) ? (v as Verdict) : null,
    ended: s.endedAt !== null,
    problem: storedSessionProblem(s),
  };
}

@customElement('records-view')
@localized()
export class RecordsView extends LitElement {
  /** From the app shell (./app-context.ts). */
  @consume({ context: recordsStoreContext })
  private recordsStore!: RecordsStoreAccess;
  @consume({ context: classifierContext, subscribe: true })
  @state()
  private classifier: LoadedClassifier | null = null;

  /** The shipped model's review-queue recall, for the report (null while the model loads). */
  private get queueRecall(): number | null {
    return this.classifier?.metadata.reviewQueue?.recall ?? null;
  }

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
      .hint {
        margin: 0.4rem 0 0;
        font-size: 0.9rem;
      }
    `,
  ];

  @state() private store: RecordsStore | null = null;
  @state() private sessions: SessionRecord[] = [];
  @state() private query = '';
  @state() private opened: SessionWithFields | null = null;
  @state() private storage: StorageInfo | null = null;
  @state() private message = '';
  /** Lines under the message: what an import did per session, what an export left out. */
  @state() private details: string[] = [];
  @state() private error = '';
  @state() private confirmDeleteAll = false;
  @state() private confirmDeleteOne = false;
  @state() private loaded = false;
  /** A session whose record is too damaged to open (it can still be deleted). */
  @state() private damagedId: string | null = null;

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
      this.store = await this.recordsStore();
      this.store.addEventListener('change', this.onChange);
      await this.refresh();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private async refresh(): Promise<void> {
    if (!this.store) return;
    try {
      this.sessions = await this.store.listSessions(this.query);
      const was = this.opened;
      if (was) {
        const now = await this.store.getSession(was.session.id);
        // The recount is saved at once (and announced): keep saying what was recounted.
        this.opened = now && !now.repairs.length && was.repairs.length ? { ...now, repairs: was.repairs } : now;
      }
    } catch (err) {
      this.error = errorMessage(err);
    }
    this.storage = await storageInfo();
    this.loaded = true;
  }

  private async search(e: Event): Promise<void> {
    this.query = (e.target as HTMLInputElement).value;
    await this.refresh();
  }

  private async open(id: string): Promise<void> {
    if (!this.store) return;
    this.confirmDeleteOne = false;
    this.message = '';
    this.details = [];
    this.error = '';
    try {
      this.opened = await this.store.getSession(id);
    } catch (err) {
      this.opened = null;
      this.error = errorMessage(err);
      this.damagedId = id;
      return;
    }
    this.damagedId = null;
    await this.updateComplete;
    (this.renderRoot.querySelector('#detail-title') as HTMLElement | null)?.focus();
  }

  private async guarded(label: string, fn: () => Promise<void>): Promise<void> {
    const end = busy.start(label);
    this.error = '';
    this.message = '';
    this.details = [];
    try {
      await fn();
    } catch (err) {
      this.error = errorMessage(err);
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
      this.message = msg(str`Deleted the session “${name}”.`);
    });
  }

  private deleteAll(): Promise<void> {
    return this.guarded('session save', async () => {
      if (!this.store) return;
      await this.store.deleteAll();
      this.opened = null;
      this.confirmDeleteAll = false;
      this.message = msg('All records were deleted from this device.');
    });
  }

  /** Exports only the records an import accepts; says how many were left out and why. */
  private exportCsv(kind: 'sessions' | 'cells'): Promise<void> {
    return this.guarded('records export', async () => {
      if (!this.store) return;
      const checked = await this.store.everything();
      const { sessions, fields } = checked;
      if (kind === 'sessions') download(sessionsCsv(sessions), 'text/csv', `malaria-sessions-${stamp()}.csv`);
      else download(cellsCsv(sessions, fields), 'text/csv', `malaria-cells-${stamp()}.csv`);
      const what = kind === 'sessions' ? msg('sessions CSV') : msg('per-cell CSV');
      this.message = `${exportedCsvText(sessions.length, what)} ${skippedText(checked)}`.trim();
    });
  }

  private exportArchive(): Promise<void> {
    return this.guarded('records export', async () => {
      if (!this.store) return;
      const checked = await this.store.everything();
      const { sessions, fields } = checked;
      download(JSON.stringify(buildArchive(sessions, fields)), 'application/json', `malaria-records-${stamp()}.json`);
      this.message = `${exportedArchiveText(sessions.length, fields.length)} ${skippedText(checked)}`.trim();
    });
  }

  private async importPicked(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    await this.importFile(file);
  }

  /**
   * Imports one archive file: from the Import button, or dropped on the page while Records shows
   * (the app shell routes the drop here), so both give the same messages.
   */
  async importFile(file: File): Promise<void> {
    await this.guarded('session save', async () => {
      if (!this.store) return;
      const { sessions, fields, notes } = parseArchiveText(await file.text());
      const r = await this.store.merge(sessions, fields);
      this.message = msg(str`Imported ${file.name}: ${mergeText(r)}`);
      this.details = [...r.details, ...notes.map((n) => msg(str`Recomputed from the cells: ${n}`))];
    });
  }

  private async persist(): Promise<void> {
    const granted = await requestPersistence();
    this.message =
      granted === true
        ? msg('The browser will keep these records even when storage runs low.')
        : granted === false
          ? msg('The browser declined persistent storage (installing the app usually allows it). Export regularly.')
          : msg('This browser cannot make storage persistent. Export regularly.');
    this.storage = await storageInfo();
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="records-title">
        <h2 id="records-title">${msg('Records on this device')}</h2>
        ${this.renderStorage()}
        <div class="toolbar">
          <div class="field search">
            <label for="search">${msg('Search by identifier')}</label>
            <input id="search" type="search" data-testid="records-search" .value=${this.query} @input=${this.search} />
          </div>
          <button class="secondary" data-testid="export-sessions-csv" @click=${() => this.exportCsv('sessions')}>
            ${msg('Sessions CSV')}
          </button>
          <button class="secondary" data-testid="export-cells-csv" @click=${() => this.exportCsv('cells')}>
            ${msg('Per-cell CSV')}
          </button>
          <button class="secondary" data-testid="export-archive" @click=${this.exportArchive}>
            ${msg('Export archive (JSON)')}
          </button>
          <button
            class="secondary"
            data-testid="import-archive"
            @click=${() => (this.renderRoot.querySelector('#import-input') as HTMLInputElement).click()}
          >
            ${msg('Import archive')}
          </button>
          <input
            id="import-input"
            data-testid="import-archive-input"
            type="file"
            accept="application/json,.json"
            @change=${this.importPicked}
          />
        </div>
        <p class="hint">${msg('You can also drop an archive file (.json) on this page to import it.')}</p>
        ${
          this.message
            ? html`<div class="message info" role="status" data-testid="records-message">
                <p>${this.message}</p>
                ${
                  this.details.length
                    ? html`<ul data-testid="records-details">
                        ${this.details.map((d) => html`<li>${d}</li>`)}
                      </ul>`
                    : nothing
                }
              </div>`
            : nothing
        }
        ${this.error ? html`<p class="message error" role="alert" data-testid="records-error">${coreText(this.error)}</p>` : nothing}
        ${
          this.damagedId
            ? html`<button class="danger" data-testid="delete-damaged" @click=${this.deleteDamaged}>
                ${msg('Delete the damaged record')}
              </button>`
            : nothing
        }
      </section>
      ${this.opened ? this.renderDetail(this.opened) : nothing}
      <section class="card" aria-labelledby="list-title">
        <h3 id="list-title">
          ${this.query ? msg(str`Sessions (${this.sessions.length} matching “${this.query}”)`) : msg(str`Sessions (${this.sessions.length})`)}
        </h3>
        ${
          this.loaded && !this.sessions.length
            ? html`<p data-testid="records-empty">
                ${this.query ? msg('No session matches this identifier.') : msg('No sessions saved yet.')}
              </p>`
            : nothing
        }
        <ul class="list">
          ${this.sessions.map((s) => this.renderRow(s))}
        </ul>
        ${
          this.sessions.length && !this.query
            ? this.confirmDeleteAll
              ? html`<div class="message error" role="alert">
                  <p>
                    ${msg(str`Delete all ${this.sessions.length} sessions from this device? This cannot be undone; export first if unsure.`)}
                  </p>
                  <div class="row">
                    <button class="danger" data-testid="confirm-delete-all" @click=${this.deleteAll}>
                      ${msg('Delete all')}
                    </button>
                    <button class="secondary" @click=${() => (this.confirmDeleteAll = false)}>${msg('Cancel')}</button>
                  </div>
                </div>`
              : html`<button class="danger" data-testid="delete-all" @click=${() => (this.confirmDeleteAll = true)}>
                  ${msg('Delete all records…')}
                </button>`
            : nothing
        }
      </section>
    `;
  }

  private renderStorage() {
    const s = this.storage;
    if (!s) return nothing;
    return html`<p data-testid="storage-info">
      ${
        s.quota !== null
          ? msg(
              str`Storage used: ${s.usage === null ? '—' : formatBytes(s.usage)} of ${formatBytes(s.quota)} available.`,
            )
          : msg(str`Storage used: ${s.usage === null ? '—' : formatBytes(s.usage)}.`)
      }
      ${
        s.persisted === true
          ? msg('Records are kept persistently.')
          : html`${msg('Records may be cleared by the browser when space runs low.')}
              <button class="secondary" data-testid="persist" @click=${this.persist}>
                ${msg('Keep records on this device')}
              </button>`
      }
    </p>`;
  }

  private renderRow(s: SessionRecord) {
    const r = rowOf(s);
    return html`<li data-testid="record" data-identifier=${r.identifier} data-session-id=${s.id}>
      <button class="open" @click=${() => this.open(s.id)}>
        <span class="id">${r.identifier}</span>
        <span data-testid="record-started">${r.started}</span>
        <span class="stats">
          <span data-testid="record-red-cells">${r.red}</span> ${msg('red cells')} ·
          <span data-testid="record-flagged">${r.flagged}</span> ${msg('flagged')} ·
          <span data-testid="record-pending">${r.pending}</span> ${msg('not reviewed')} ·
          <span data-testid="record-confirmed">${r.confirmed}</span> ${msg('confirmed')}
        </span>
        <strong
          data-testid="record-verdict"
          data-verdict=${r.verdict ?? 'open'}
          class=${r.verdict ? `verdict-${r.verdict}` : ''}
        >
          ${r.verdict ? verdictWords(r.verdict) : r.ended ? msg('Ended, not reviewed') : msg('In progress')}
        </strong>
        ${
          r.problem
            ? html`<span class="message error" data-testid="record-problem"
                >${msg(str`Damaged record, left out of exports: ${r.problem}.`)}</span
              >`
            : nothing
        }
      </button>
    </li>`;
  }

  /**
   * Asks the app shell to show this slide in the Slide tab, where its reviews can be changed. Nothing
   * is written here: the stored end (time, result, reviewer) stays until a review or a photo actually
   * changes, which re-opens the slide in the store (records-store.ts); leaving without a change keeps
   * the earlier end intact.
   */
  private reopen(sessionId: string): void {
    this.dispatchEvent(new CustomEvent<string>('open-slide', { detail: sessionId, bubbles: true, composed: true }));
  }

  private deleteDamaged(): Promise<void> {
    return this.guarded('session save', async () => {
      if (!this.store || !this.damagedId) return;
      await this.store.deleteSession(this.damagedId);
      this.damagedId = null;
      this.message = msg('The damaged record was deleted.');
    });
  }

  private renderDetail(o: SessionWithFields) {
    return html`<section class="card" aria-labelledby="detail-title" data-testid="record-detail">
      <h3 id="detail-title" tabindex="-1">${msg(str`Session “${o.session.identifier}”`)}</h3>
      ${
        o.repairs.length
          ? html`<div class="message info" role="status" data-testid="record-repairs">
              <p>${msg("This slide's saved counts disagreed with its cells and were recounted from them:")}</p>
              <ul>
                ${o.repairs.map((r) => html`<li>${r}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <session-report .session=${o.session} .fields=${o.fields} .queueRecall=${this.queueRecall}></session-report>
      <div class="row">
        <button data-testid="print-report" @click=${() => printSessionReport(o.session, o.fields, this.queueRecall)}>
          ${msg('Print report')}
        </button>
        ${
          o.session.endedAt !== null
            ? html`<button class="secondary" data-testid="reopen-record" @click=${() => this.reopen(o.session.id)}>
                ${msg('Reopen to correct')}
              </button>`
            : nothing
        }
        <button class="secondary" data-testid="close-record" @click=${() => (this.opened = null)}>
          ${msg('Close')}
        </button>
        ${
          this.confirmDeleteOne
            ? html`<span role="alert">${msg('Delete this session?')}</span>
                <button class="danger" data-testid="confirm-delete-record" @click=${this.deleteOpened}>
                  ${msg('Delete')}
                </button>
                <button class="secondary" @click=${() => (this.confirmDeleteOne = false)}>${msg('Cancel')}</button>`
            : html`<button class="danger" data-testid="delete-record" @click=${() => (this.confirmDeleteOne = true)}>
                ${msg('Delete…')}
              </button>`
        }
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'records-view': RecordsView;
  }
}
