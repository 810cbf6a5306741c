/**
 * The slide-session controller: carries out the user's intents (start, add images, review a cell,
 * undo, end…) against the records store and the image intake, and feeds what they return into the
 * pure reducer (./session-state.ts). Views listen to `change` and render `state`; they hold no
 * session logic. Storage and analysis are ports, so the controller runs in Node tests with the real
 * IndexedDB store (fake-indexeddb) and a scripted intake.
 */
import type { BusyState } from '../shared/busy-state.js';
import type { CellEvidence, FieldRecord, SessionRecord, StoredImage } from '../records/schema.js';
import { isRemoteChange } from '../records/change-events.js';
import { isUserFacingError } from '../shared/user-facing-error.js';
import { parseTargetRedCells, TARGET_INVALID_MESSAGE } from './counts.js';
import type { FieldResult } from './field-result.js';
import type { BloodCountInput } from './parasitaemia.js';
import { makeReview, sameCell, type CellRef } from './review.js';
import { isRedCellLabel, type RejectReason, type ReviewDecision } from '@malaria/contract';
import {
  initialSessionState,
  queueOf,
  reduceSession,
  resultOf,
  type SessionEvent,
  type SessionState,
} from './session-state.js';
import type { SlideResult, SlideVerdictKind } from '@malaria/contract';
import { errorMessage } from '../shared/error-message.js';

/** What the controller needs from the records store (src/services/records/records-store.ts implements it). */
export interface SessionStorePort {
  createSession(input: {
    identifier: string;
    targetRedCells: number;
    confidentProbability: number;
    modelName: string | null;
  }): Promise<SessionRecord>;
  getSession(id: string): Promise<{ session: SessionRecord; fields: FieldRecord[] } | null>;
  listSessions(query?: string): Promise<SessionRecord[]>;
  addField(
    sessionId: string,
    result: FieldResult,
    image: StoredImage | null,
    evidence?: CellEvidence[],
    digest?: string | null,
  ): Promise<{ session: SessionRecord; field: FieldRecord }>;
  reviewCell(
    sessionId: string,
    fieldId: string,
    cell: number,
    review: ReturnType<typeof makeReview> | null,
  ): Promise<{ session: SessionRecord; field: FieldRecord }>;
  updateSettings(
    sessionId: string,
    patch: { targetRedCells?: number; bloodCount?: BloodCountInput | null; reviewer?: string | null },
  ): Promise<SessionRecord>;
  endSession(sessionId: string, result: { verdict: SlideVerdictKind }): Promise<SessionRecord>;
  putEvidence(
    sessionId: string,
    fieldId: string,
    evidence: CellEvidence[],
  ): Promise<{ session: SessionRecord; field: FieldRecord }>;
  addEventListener(type: 'change', listener: (event: Event) => void): void;
}

/** One image analysed and ready to store. */
export interface IntakeEntry {
  result: FieldResult;
  image: StoredImage | null;
  evidence: CellEvidence[];
}

/**
 * Per-file outcome of the intake: an entry to store, or a message saying why the file was not added.
 * `source` is the File it came from: the controller hashes it for the duplicate check (an outcome
 * without it is not checked; names are not unique — every iPhone photo is "image.jpg").
 */
export type IntakeOutcome =
  { file: string; source?: File; entry: IntakeEntry } | { file: string; source?: File; error: string };

export type IntakeKind = 'field' | 'cell' | 'auto';

/**
 * Turns files into analysed entries (browser: decode, detect, classify, crop evidence). Yields one
 * outcome per file as soon as it is ready, so each image is saved before the next is analysed.
 */
export interface ImageIntake {
  analyse(files: readonly File[], kind: IntakeKind, onProgress: (text: string) => void): AsyncIterable<IntakeOutcome>;
}

export interface SessionModelInfo {
  name: string | null;
  /** Share of parasitized cells the model puts into the queue (metadata.json reviewQueue.recall). */
  queueRecall: number | null;
  /** Kept in the record for its counts of confident model calls (legacy column). */
  confidentProbability: number;
}

export interface SessionControllerDeps {
  store: () => Promise<SessionStorePort>;
  /**
   * The image intake; a promise while the model is still loading (photos picked meanwhile are
   * analysed once it is ready); null when images cannot be analysed at all.
   */
  intake: () => ImageIntake | Promise<ImageIntake> | null;
  model: () => SessionModelInfo;
  /**
   * The file's content digest (SHA-256, hex; src/services/session/file-digest.ts): the same photo
   * added twice would count its cells twice. Optional (tests, a browser without crypto.subtle on
   * plain http): without it, or when it throws, no duplicate check is made for the file.
   */
  digest?: (file: File) => Promise<string>;
  /** A review crop for a cell added by hand after its image was saved (browser only; optional). */
  evidenceFor?: (field: FieldRecord, cell: number) => Promise<CellEvidence | null>;
  now?: () => number;
  /** Marks saves as running so an app update waits for them (the app's one BusyState; optional in tests). */
  busy?: Pick<BusyState, 'start'>;
}

export class SessionController extends EventTarget {
  private current: SessionState = initialSessionState();
  private store: SessionStorePort | null = null;
  private readonly now: () => number;
  /** Reviews are written one at a time, in order (a fast double tap must not reorder them). */
  private reviewChain: Promise<void> = Promise.resolve();
  /**
   * Store writes of this controller still to be announced by the store's `change` event: those are
   * already in the state, so re-reading the session for them would only cost time (a 1,000-image
   * batch would re-read the whole session 1,000 times).
   */
  private ownWrites = 0;

  constructor(private readonly deps: SessionControllerDeps) {
    super();
    this.now = deps.now ?? Date.now;
  }

  get state(): SessionState {
    return this.current;
  }

  /** The slide result from the stored reviews, or null with no session open. */
  get result(): SlideResult | null {
    return resultOf(this.current, this.deps.model().queueRecall);
  }

  private send(event: SessionEvent): void {
    const next = reduceSession(this.current, event);
    if (next === this.current) return;
    this.current = next;
    this.dispatchEvent(new Event('change'));
  }

  /** Opens the store and lists unfinished sessions. Safe to call again after a failure. */
  async connect(): Promise<void> {
    try {
      const store = await this.deps.store();
      if (this.store !== store) {
        this.store = store;
        // Another view (Records: import, delete) or another tab changed the records: refresh what is
        // shown. Only this tab's own writes are skipped; a write of another tab always refreshes.
        store.addEventListener('change', (event) => {
          if (isRemoteChange(event)) void this.refresh();
          else if (this.ownWrites > 0) this.ownWrites--;
          else void this.refresh();
        });
      }
      this.send({ type: 'store-ready', openSessions: await this.openSessions() });
    } catch (err) {
      this.send({ type: 'store-failed', message: errorMessage(err) });
    }
  }

  private async openSessions(): Promise<SessionRecord[]> {
    return this.store ? (await this.store.listSessions()).filter((s) => s.endedAt === null) : [];
  }

  /** Re-reads the open session and the list of unfinished sessions from the store. */
  async refresh(): Promise<void> {
    if (!this.store) return;
    this.send({ type: 'open-sessions', sessions: await this.openSessions() });
    const open = this.current.session;
    if (!open) return;
    const full = await this.store.getSession(open.id);
    if (!full) {
      this.send({ type: 'session-closed' });
      this.send({
        type: 'storage-error',
        message: 'This session was deleted on this device (Records or another tab).',
      });
      return;
    }
    this.send({ type: 'session-opened', session: full.session, fields: full.fields });
  }

  /** Runs one write of this controller's (see ownWrites); a failed write announces nothing. */
  private async own<T>(write: () => Promise<T>): Promise<T> {
    this.ownWrites++;
    try {
      return await write();
    } catch (err) {
      this.ownWrites = Math.max(0, this.ownWrites - 1);
      throw err;
    }
  }

  private async guarded(what: string, fn: (store: SessionStorePort) => Promise<void>): Promise<void> {
    const store = this.store;
    if (!store) {
      this.send({
        type: 'storage-error',
        message: 'Records storage is not available on this device, so the session cannot be saved.',
      });
      return;
    }
    const end = this.deps.busy?.start(what) ?? (() => undefined);
    try {
      await fn(store);
    } catch (err) {
      this.send({ type: 'storage-error', message: errorMessage(err) });
    } finally {
      end();
    }
  }

  // ---- session lifecycle ---------------------------------------------------------------------------

  /**
   * Starts a new slide. Returns a message for the user when the input is not acceptable (nothing is
   * started then). `target`: as typed (parseCount: "1.500" = 1,500 in every locale) or a number.
   */
  async start(identifier: string, target: string | number): Promise<string | null> {
    const id = identifier.trim();
    if (!id) return 'Enter a patient or slide identifier.';
    const t = parseTargetRedCells(target);
    if (t === null) return TARGET_INVALID_MESSAGE;
    const model = this.deps.model();
    await this.guarded('session save', async (store) => {
      const session = await this.own(() =>
        store.createSession({
          identifier: id,
          targetRedCells: t,
          confidentProbability: model.confidentProbability,
          modelName: model.name,
        }),
      );
      this.send({ type: 'session-opened', session, fields: [] });
      this.send({ type: 'open-sessions', sessions: await this.openSessions() });
    });
    return null;
  }

  async open(sessionId: string): Promise<void> {
    await this.guarded('session open', async (store) => {
      const full = await store.getSession(sessionId);
      if (!full) throw new Error('This session no longer exists (it was deleted).');
      this.send({ type: 'session-opened', session: full.session, fields: full.fields });
    });
  }

  /** Back to the start screen; the session stays saved (and open, if it was). */
  leave(): void {
    this.send({ type: 'session-closed' });
    void this.openSessions().then((sessions) => this.send({ type: 'open-sessions', sessions }));
  }

  /**
   * Ends the session with the result from the review, stored with the reviewer's name. A slide
   * without a named reviewer still ends (the view says so before, and the printed report leaves a
   * line to sign): refusing would strand a finished review on a shared tablet with no name to hand.
   */
  async end(): Promise<void> {
    const session = this.current.session;
    const result = this.result;
    if (!session || !result) return;
    await this.guarded('session save', async (store) => {
      const saved = await this.own(() => store.endSession(session.id, { verdict: result.verdict }));
      this.send({ type: 'session-saved', session: saved });
      this.send({ type: 'open-sessions', sessions: await this.openSessions() });
    });
  }

  /** Changes the target; an invalid one changes nothing and returns the message to show. */
  async setTarget(target: string | number): Promise<string | null> {
    if (!this.current.session) return null;
    const t = parseTargetRedCells(target);
    if (t === null) return TARGET_INVALID_MESSAGE;
    if (t !== this.current.session.targetRedCells) await this.saveSettings({ targetRedCells: t });
    return null;
  }

  async setBloodCount(input: BloodCountInput | null): Promise<void> {
    await this.saveSettings({ bloodCount: input });
  }

  async setReviewer(name: string): Promise<void> {
    const trimmed = name.trim().slice(0, 100);
    await this.saveSettings({ reviewer: trimmed || null });
  }

  private async saveSettings(patch: Parameters<SessionStorePort['updateSettings']>[1]): Promise<void> {
    const session = this.current.session;
    if (!session) return;
    await this.guarded('session save', async (store) => {
      this.send({ type: 'session-saved', session: await this.own(() => store.updateSettings(session.id, patch)) });
    });
  }

  // ---- adding images -------------------------------------------------------------------------------

  /**
   * The content digest of a photo that came out of the intake as a whole field, for the duplicate
   * check (see addFilesInTurn). Single cells get none: a cell image counted twice adds one red cell, a
   * field photo counted twice adds hundreds and can reach the target on its own. A file that cannot be
   * hashed here (or an outcome without its File) gets none, and is not checked.
   */
  private async fieldDigest(outcome: IntakeOutcome): Promise<string | null> {
    const make = this.deps.digest;
    if (!make || !outcome.source) return null;
    try {
      return await make(outcome.source);
    } catch {
      return null;
    }
  }

  /** Batches added while one runs (a second drop, another picker) wait their turn, in order. */
  private adding: Promise<void> = Promise.resolve();

  /**
   * Analyses and saves each file in turn; a file that fails says why and the batch goes on. Batches
   * run one after another, so a photo given twice in two quick drops is seen as stored by the second.
   */
  addFiles(files: readonly File[], kind: IntakeKind): Promise<void> {
    const session = this.current.session;
    if (!files.length || !session) return Promise.resolve();
    const run = this.adding.then(() => this.addFilesInTurn(session, files, kind));
    this.adding = run.catch(() => undefined);
    return run;
  }

  private async addFilesInTurn(session: SessionRecord, files: readonly File[], kind: IntakeKind): Promise<void> {
    const pending = this.deps.intake();
    if (!pending) {
      this.send({
        type: 'file-error',
        message: 'The model could not be loaded, so images cannot be analysed. Reload to try again.',
      });
      return;
    }
    this.send({ type: 'batch-started' });
    let intake: ImageIntake;
    if (pending instanceof Promise) {
      // The app paints before the model has loaded: keep the photos and start once it is ready.
      this.send({
        type: 'working',
        text: `Waiting for the model to load before analysing ${files.length === 1 ? files[0]!.name : `${files.length} images`}…`,
      });
      intake = await pending;
    } else {
      intake = pending;
    }
    await this.guarded('session save', async (store) => {
      try {
        for await (const outcome of intake.analyse(files, kind, (text) => this.send({ type: 'working', text }))) {
          if ('error' in outcome) {
            this.send({ type: 'file-error', message: `${outcome.file}: ${outcome.error}` });
            continue;
          }
          const { result, image, evidence } = outcome.entry;
          // The same field photo again (same bytes, whatever its name; also twice in one batch, as the
          // first copy is stored by then): refused, or its cells would be counted twice. Images stored
          // without a digest (before it was kept, or imported) are not compared.
          const digest = result.kind === 'field' ? await this.fieldDigest(outcome) : null;
          const twin = digest ? this.current.fields.find((f) => f.digest === digest) : null;
          if (twin) {
            this.send({
              type: 'file-error',
              message: `${outcome.file}: This photo is already in this slide (image ${twin.index}, “${twin.name}”), so its cells would be counted twice. The image was not added.`,
            });
            continue;
          }
          try {
            const saved = await this.own(() => store.addField(session.id, result, image, evidence, digest));
            this.send({ type: 'field-saved', session: saved.session, field: saved.field });
          } catch (err) {
            // Stop the batch: nothing more fits, or the database is gone (upgraded in another tab).
            if (isUserFacingError(err, 'storage-full', 'records-unavailable')) throw err;
            this.send({ type: 'file-error', message: `${outcome.file}: not saved (${errorMessage(err)}).` });
          }
        }
      } finally {
        this.send({ type: 'working', text: null });
      }
    });
  }

  // ---- review --------------------------------------------------------------------------------------

  /** Records the microscopist's decision on a queued cell and moves to the next pending one. */
  decide(ref: CellRef, decision: ReviewDecision, reason: RejectReason | null = null): Promise<void> {
    return this.writeReview(ref, () => makeReview(decision, this.now(), reason), decision !== 'pending');
  }

  /** Puts a cell the model did not flag into the queue (a tap on it in the overlay) and shows it. */
  async addToQueue(ref: CellRef): Promise<void> {
    const cell = this.current.fields.find((f) => f.id === ref.fieldId)?.cells[ref.cell];
    // White cells and artefacts are never red-cell candidates: nothing to review.
    if (!cell || !isRedCellLabel(cell.label)) return;
    const queued = queueOf(this.current).some((q) => sameCell(q, ref));
    if (!queued) await this.writeReview(ref, () => makeReview('pending', this.now()), false);
    this.send({ type: 'cursor', to: ref });
    await this.addEvidence(ref);
  }

  /** Stores a review crop for a queued cell that has none (cells added by hand). */
  private async addEvidence(ref: CellRef): Promise<void> {
    const session = this.current.session;
    const field = this.current.fields.find((f) => f.id === ref.fieldId);
    const make = this.deps.evidenceFor;
    if (!session || !field || !make || field.evidence.some((e) => e.cell === ref.cell)) return;
    let evidence: CellEvidence | null;
    try {
      evidence = await make(field, ref.cell);
    } catch {
      evidence = null; // the review works without a crop (the whole field is shown)
    }
    if (!evidence) return;
    const found = evidence;
    await this.guarded('review save', async (store) => {
      const saved = await this.own(() => store.putEvidence(session.id, field.id, [found]));
      this.send({ type: 'field-saved', session: saved.session, field: saved.field });
    });
  }

  /** Takes back the last decision (reviews are restored exactly as they were). */
  undo(): Promise<void> {
    const last = this.current.undo.at(-1);
    const session = this.current.session;
    if (!last || !session) return Promise.resolve();
    return this.enqueueReview(async (store) => {
      const saved = await this.own(() => store.reviewCell(session.id, last.ref.fieldId, last.ref.cell, last.previous));
      this.send({ type: 'undo-applied', session: saved.session, field: saved.field, ref: last.ref });
    });
  }

  select(ref: CellRef): void {
    this.send({ type: 'cursor', to: ref });
  }

  move(delta: number): void {
    this.send({ type: 'move', delta });
  }

  private writeReview(ref: CellRef, review: () => ReturnType<typeof makeReview>, advance: boolean): Promise<void> {
    const session = this.current.session;
    if (!session) return Promise.resolve();
    return this.enqueueReview(async (store) => {
      const field = this.current.fields.find((f) => f.id === ref.fieldId);
      const cell = field?.cells[ref.cell];
      if (!field || !cell) throw new Error('This cell is no longer in the session.');
      const previous = cell.review ?? null;
      const saved = await this.own(() => store.reviewCell(session.id, ref.fieldId, ref.cell, review()));
      this.send({
        type: 'cell-reviewed',
        session: saved.session,
        field: saved.field,
        ref,
        undo: { ref, previous },
        advance,
      });
    });
  }

  private enqueueReview(fn: (store: SessionStorePort) => Promise<void>): Promise<void> {
    const run = this.reviewChain.then(() => this.guarded('review save', fn));
    this.reviewChain = run.catch(() => undefined);
    return run;
  }
}
