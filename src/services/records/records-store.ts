/**
 * The records repository: slide sessions and their fields in IndexedDB (via `idb`).
 * Every write that changes a session is one transaction (field + updated totals and review counts
 * together), so a failed write — storage full included — leaves earlier data exactly as it was.
 *
 * Invariants kept by every write (schema v3, schema.ts):
 *  - `session.review` = countReviews over all the session's stored cells;
 *  - an ended session's stored result (`verdict`) matches its stored cells: any write that can change
 *    the result (a new image, a review, a new target) re-opens the session and clears it.
 * And checked on every read (integrity.ts): a session whose derived values (image count and
 * numbering, model counts, review counts, result) disagree with its stored cells is recounted when
 * opened (`getSession` repairs it and says what it changed in `repairs`), and exported recounted.
 *
 * Across tabs: every committed write dispatches `change` (a RecordsChangeEvent) here and is
 * announced on the BroadcastChannel named after the database, so the stores of other tabs dispatch
 * `change` too (origin 'other-tab'); see change-events.ts.
 *
 * A newer app version in another tab closes this tab's connection (`blocking`) so its upgrade is
 * never stuck. The next call reopens the database transparently and a write that met the closing
 * connection is retried once; when the database is now at a newer version than this code knows,
 * the call fails with RecordsUpgradedError: "… was NOT saved … Reload this page".
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { addCounts, countCells, ZERO_COUNTS } from '../../core/cells/cell-counts.js';
import type { FieldResult } from '../../core/slide/field-result.js';
import { validateBloodCount, type BloodCountInput } from '../../core/slide/parasitaemia.js';
import { toCellReview } from '../../core/slide/review.js';
import { type CellReview } from '@malaria/contract';
import { countReviews, slideResult, type SlideVerdictKind } from '@malaria/contract';
import { checkStoredRecords, type CheckedRecords } from '../../core/records/archive.js';
import {
  clockProblem,
  isRecordTime,
  isTarget,
  MAX_TARGET_RED_CELLS,
  timeRangeText,
} from '../../core/records/bounds.js';
import {
  fromChangeMessage,
  RecordsChangeEvent,
  toChangeMessage,
  type RecordsChangeKind,
} from '../../core/records/change-events.js';
import { openChangeChannel } from './change-channel.js';
import { checkEvidence, mergeEvidence } from '../../core/records/evidence.js';
import {
  isClosedConnectionError,
  isQuotaError,
  isVersionError,
  RecordsUnavailableError,
  RecordsUpgradedError,
  StorageFullError,
} from '../../core/records/errors.js';
import { deriveSession, fieldsBySession } from '../../core/records/integrity.js';
import {
  asCopy,
  emptyMergeReport,
  mergeSession,
  type MergeOutcome,
  type MergeReport,
  type SessionBundle,
} from '../../core/records/merge.js';
import { missingSentences, resultReason } from '../../core/slide/result-text.js';
import { runMigrations } from './db-upgrade.js';
import type { RecordsDbSchema } from './db-schema.js';
import {
  DB_NAME,
  DB_VERSION,
  identifierKey,
  type CellEvidence,
  type FieldRecord,
  type SessionRecord,
  type StoredImage,
} from '../../core/records/schema.js';
import { combineReviewCounts, normaliseReviewer, toStoredCells } from '../../core/records/session-review.js';
import { ZERO_REVIEW_COUNTS } from '@malaria/contract';
import { errorMessage } from '../../core/shared/error-message.js';

export type { MergeReport } from '../../core/records/merge.js';

export interface NewSession {
  identifier: string;
  targetRedCells: number;
  /** From the verdict rule in force when the session starts. */
  confidentProbability: number;
  modelName: string | null;
  /** Name or initials of the reviewer (trimmed; empty → null; ≤ 100 characters). */
  reviewer?: string | null;
}

export interface SessionWithFields {
  session: SessionRecord;
  fields: FieldRecord[];
  /**
   * What opening it corrected because the stored record disagreed with its cells (integrity.ts),
   * in words; empty when nothing was. The corrections are saved.
   */
  repairs: string[];
}

/** What a write that changes one image returns: the updated session and the updated image. */
export interface SessionAndField {
  session: SessionRecord;
  field: FieldRecord;
}

/** The slide result to store when a session ends (a SlideResult from slide-result.ts fits). */
/** What the caller saw when it ended the session; the stored words are made from the stored cells. */
export interface EndResult {
  verdict: SlideVerdictKind;
}

type Db = IDBPDatabase<RecordsDbSchema>;
type WriteTx = IDBPTransaction<RecordsDbSchema, ('sessions' | 'fields')[], 'readwrite'>;

const SESSION_GONE = 'This session no longer exists (it was deleted).';

/** Re-opening an ended session: its stored result no longer matches its cells. */
const REOPEN = { endedAt: null, verdict: null } as const;

/** Copies of one conflicting session tried before giving up on it (each has its own id). */
const MAX_COPY_ATTEMPTS = 8;

function newId(): string {
  return crypto.randomUUID();
}

/** The time of a write; refuses a device clock no record can carry (before 2000). */
function clockNow(): number {
  const now = Date.now();
  const problem = clockProblem(now);
  if (problem) throw new Error(problem);
  return now;
}

function openFailure(err: unknown): RecordsUnavailableError {
  return new RecordsUnavailableError(
    `Records storage could not be opened (${errorMessage(err)}). Private browsing, blocked site data or a full disk ` +
      'can cause this.',
  );
}

export class RecordsStore extends EventTarget {
  private db: Db | null;
  private reopening: Promise<Db> | null = null;
  private closedByCaller = false;
  private readonly channel: BroadcastChannel | null;

  private constructor(
    private readonly name: string,
    db: Db,
  ) {
    super();
    this.db = db;
    this.channel = openChangeChannel(name);
    if (this.channel) {
      this.channel.onmessage = (e: MessageEvent<unknown>) => {
        const change = fromChangeMessage(e.data);
        if (change) this.dispatchEvent(new RecordsChangeEvent({ ...change, origin: 'other-tab' }));
      };
    }
  }

  /** Opens (creating or migrating) the database; `onClosed` hears when another tab's upgrade closes it. */
  private static async connect(name: string, onClosed: (db: Db) => void): Promise<Db> {
    const db: Db = await openDB<RecordsDbSchema>(name, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        const anyDb = database as unknown as IDBPDatabase<unknown>;
        const anyTx = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
        runMigrations(anyDb, oldVersion, anyTx).catch(() => {
          try {
            tx.abort();
          } catch {
            // already finished/aborted
          }
        });
      },
      blocking() {
        // A newer version of the app wants to upgrade the schema (another tab): let it.
        db.close();
        onClosed(db);
      },
      terminated() {
        onClosed(db);
      },
    });
    return db;
  }

  /** Opens (creating or migrating) the records database. */
  static async open(name = DB_NAME): Promise<RecordsStore> {
    const holder: { store: RecordsStore | null } = { store: null };
    let db: Db;
    try {
      db = await RecordsStore.connect(name, (closed) => holder.store?.connectionClosed(closed));
    } catch (err) {
      throw openFailure(err);
    }
    holder.store = new RecordsStore(name, db);
    return holder.store;
  }

  close(): void {
    this.closedByCaller = true;
    this.db?.close();
    this.db = null;
    this.channel?.close();
  }

  private connectionClosed(db: Db): void {
    if (this.db === db) this.db = null;
  }

  /** The open connection, reopened after another tab's upgrade closed it. */
  private async connection(what: string | null): Promise<Db> {
    if (this.db) return this.db;
    if (this.closedByCaller) throw new RecordsUnavailableError('The records store was closed.');
    this.reopening ??= RecordsStore.connect(this.name, (closed) => this.connectionClosed(closed)).finally(() => {
      this.reopening = null;
    });
    try {
      this.db = await this.reopening;
      return this.db;
    } catch (err) {
      if (isVersionError(err)) throw new RecordsUpgradedError(what);
      throw openFailure(err);
    }
  }

  /** Runs `fn` on the connection; when the connection turns out closed, reopens and retries once. */
  private async withConnection<T>(what: string | null, fn: (db: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const db = await this.connection(what);
      try {
        return await fn(db);
      } catch (err) {
        const closed =
          (err as { name?: unknown } | null)?.name === 'InvalidStateError' &&
          (this.db !== db || isClosedConnectionError(err));
        if (!closed) throw err;
        this.connectionClosed(db);
        if (attempt >= 2) throw new RecordsUpgradedError(what);
      }
    }
  }

  /** Announces a committed write here and to every other tab. */
  private changed(kind: RecordsChangeKind, sessionId: string | null): void {
    this.dispatchEvent(new RecordsChangeEvent({ sessionId, kind, origin: 'this-tab' }));
    try {
      this.channel?.postMessage(toChangeMessage({ sessionId, kind }));
    } catch {
      // a closed channel: this tab is going away
    }
  }

  /**
   * A read-write transaction whose `done` rejection is observed at once (an aborted write would
   * otherwise surface as an unhandled rejection); callers still await `tx.done` to see the error.
   */
  private readwrite(db: Db): WriteTx {
    const tx = db.transaction(['sessions', 'fields'], 'readwrite');
    tx.done.catch(() => undefined);
    return tx;
  }

  /**
   * Runs a write (one transaction, reopened and retried once after another tab's upgrade), then
   * announces it. Maps quota failures to StorageFullError (the transaction is rolled back).
   */
  private async write<T>(
    what: string,
    kind: RecordsChangeKind,
    sessionId: string | null,
    fn: (tx: WriteTx) => Promise<T>,
  ): Promise<T> {
    try {
      const out = await this.withConnection(what, (db) => fn(this.readwrite(db)));
      this.changed(kind, sessionId);
      return out;
    } catch (err) {
      if (isQuotaError(err)) throw new StorageFullError(what);
      throw err;
    }
  }

  async createSession(input: NewSession): Promise<SessionRecord> {
    const identifier = input.identifier.trim();
    if (!identifier) throw new Error('Enter a patient or slide identifier to start a session.');
    if (identifier.length > 200) throw new Error('The identifier is too long (at most 200 characters).');
    if (!isTarget(input.targetRedCells)) {
      throw new Error(
        `The red-cell target must be a whole number from 1 to ${MAX_TARGET_RED_CELLS.toLocaleString('en-US')}.`,
      );
    }
    const reviewer = normaliseReviewer(input.reviewer);
    const now = clockNow();
    const session: SessionRecord = {
      id: newId(),
      identifier,
      identifierKey: identifierKey(identifier),
      createdAt: now,
      updatedAt: now,
      endedAt: null,
      targetRedCells: input.targetRedCells,
      bloodCount: null,
      totals: { ...ZERO_COUNTS },
      confidentProbability: input.confidentProbability,
      fieldCount: 0,
      reviewer,
      review: { ...ZERO_REVIEW_COUNTS },
      verdict: null,
      legacyModelVerdict: null,
      modelName: input.modelName,
    };
    await this.write('the new session', 'session-created', session.id, async (tx) => {
      await tx.objectStore('sessions').put(session);
      await tx.done;
    });
    return session;
  }

  /**
   * The session inside a write, its derived values checked cheaply (image count) and, when they
   * disagree with the stored images, recomputed from all of them (renumbered images written).
   */
  private async sessionIn(tx: WriteTx, sessionId: string): Promise<SessionRecord> {
    const session = await tx.objectStore('sessions').get(sessionId);
    if (!session) throw new Error(SESSION_GONE);
    const n = await tx.objectStore('fields').index('sessionId').count(sessionId);
    if (n === session.fieldCount) return session;
    const d = deriveSession(session, await tx.objectStore('fields').index('sessionId').getAll(sessionId));
    for (const f of d.renumbered) await tx.objectStore('fields').put(f);
    return d.session;
  }

  /**
   * Adds a field (or single cell) with its review evidence, and updates the session totals and review
   * counts, in one transaction. Cells are stored with `review` (null when absent). Evidence is
   * checked first (cell indices within the cells, one entry per cell, sizes): EvidenceError.
   * Adding to an ended session re-opens it.
   */
  async addField(
    sessionId: string,
    result: FieldResult,
    image: StoredImage | null,
    evidence: readonly CellEvidence[] = [],
    digest: string | null = null,
  ): Promise<SessionAndField> {
    const cells = toStoredCells(result.cells);
    checkEvidence(evidence, cells.length);
    const now = clockNow();
    return this.write(`"${result.name}"`, 'image-added', sessionId, async (tx) => {
      const session = await this.sessionIn(tx, sessionId);
      const field: FieldRecord = {
        id: newId(),
        sessionId,
        index: session.fieldCount + 1,
        addedAt: now,
        kind: result.kind,
        name: result.name,
        width: result.width,
        height: result.height,
        cells,
        image,
        evidence: [...evidence].sort((a, b) => a.cell - b.cell),
        ...(digest ? { digest } : {}),
      };
      const updated: SessionRecord = {
        ...session,
        fieldCount: session.fieldCount + 1,
        totals: addCounts(session.totals, countCells(cells, session.confidentProbability)),
        review: combineReviewCounts(session.review, countReviews([field])),
        updatedAt: field.addedAt,
        ...REOPEN,
      };
      await tx.objectStore('fields').put(field);
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return { session: updated, field };
    });
  }

  /** Reads a session and one of its fields inside `tx`, with clear errors when either is missing. */
  private async sessionAndField(tx: WriteTx, sessionId: string, fieldId: string): Promise<SessionAndField> {
    const session = await this.sessionIn(tx, sessionId);
    const field = await tx.objectStore('fields').get(fieldId);
    if (!field || field.sessionId !== sessionId) {
      throw new Error(
        `Image ${fieldId} is not part of session "${session.identifier}" (it was deleted or never saved).`,
      );
    }
    return { session, field };
  }

  /**
   * Stores (or, with null, clears) the microscopist's review of one cell, and updates the session's
   * review counts, in one transaction. `cell` indexes the field's `cells`. An ended session is
   * re-opened (its stored result no longer matches). Storing the review a cell already has changes
   * nothing. Throws when the session, image or cell does not exist, for a white blood cell (never
   * reviewed), for a malformed review (ReviewError) and for a review time outside 2000 – now + 1 day.
   */
  async reviewCell(
    sessionId: string,
    fieldId: string,
    cell: number,
    review: CellReview | null,
  ): Promise<SessionAndField> {
    const checked = toCellReview(review);
    const now = clockNow();
    if (checked && !isRecordTime(checked.at, now)) {
      throw new Error(`The review's time must be ${timeRangeText(now)}; check the device's date and time.`);
    }
    return this.write('the review', 'review', sessionId, async (tx) => {
      const { session, field } = await this.sessionAndField(tx, sessionId, fieldId);
      const old = Number.isInteger(cell) ? field.cells[cell] : undefined;
      if (!old) {
        throw new Error(
          `Cell ${String(cell)} does not exist in image "${field.name}" (it has ${field.cells.length} cells).`,
        );
      }
      if (old.label === 'WhiteBloodCell' && checked !== null) {
        throw new Error(`Cell ${cell} of image "${field.name}" is a white blood cell; only red cells are reviewed.`);
      }
      if (old.label === 'Artefact' && checked !== null) {
        throw new Error(
          `Cell ${cell} of image "${field.name}" is an artefact, not a red cell; only red cells are reviewed.`,
        );
      }
      const same =
        (old.review === null && checked === null) ||
        (old.review !== null &&
          checked !== null &&
          old.review.decision === checked.decision &&
          old.review.reason === checked.reason &&
          old.review.at === checked.at);
      if (same) {
        await tx.done;
        return { session, field };
      }
      const cells = field.cells.slice();
      cells[cell] = { ...old, review: checked };
      const updatedField: FieldRecord = { ...field, cells };
      const delta = combineReviewCounts(countReviews([updatedField]), countReviews([field]), -1);
      const updated: SessionRecord = {
        ...session,
        review: combineReviewCounts(session.review, delta),
        updatedAt: now,
        ...(session.endedAt !== null || session.verdict !== null ? REOPEN : {}),
      };
      await tx.objectStore('fields').put(updatedField);
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return { session: updated, field: updatedField };
    });
  }

  /**
   * Adds or replaces review evidence (crop + where map) for cells of a stored image, e.g. for a cell
   * the user put into the queue after the image was added. Entries replace those for the same cell.
   * Does not change the slide result (the session stays as it is) but bumps `updatedAt` so an
   * archive carries the newer copy.
   */
  async putEvidence(sessionId: string, fieldId: string, evidence: readonly CellEvidence[]): Promise<SessionAndField> {
    const now = clockNow();
    return this.write('the review images', 'evidence', sessionId, async (tx) => {
      const { session, field } = await this.sessionAndField(tx, sessionId, fieldId);
      checkEvidence(evidence, field.cells.length);
      const updatedField: FieldRecord = { ...field, evidence: mergeEvidence(field.evidence, evidence) };
      const updated: SessionRecord = { ...session, updatedAt: now };
      await tx.objectStore('fields').put(updatedField);
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return { session: updated, field: updatedField };
    });
  }

  /**
   * Changes session settings. `reviewer` is trimmed (empty → null, > 100 characters → Error); the
   * target must be a whole number 1 – 1,000,000 and a blood count plausible (parasitaemia.ts).
   * Changing the target of an ended session re-opens it (a negative result depends on the target).
   */
  async updateSettings(
    sessionId: string,
    patch: { targetRedCells?: number; bloodCount?: BloodCountInput | null; reviewer?: string | null },
  ): Promise<SessionRecord> {
    const clean: Partial<Pick<SessionRecord, 'targetRedCells' | 'bloodCount' | 'reviewer'>> = {};
    if (patch.targetRedCells !== undefined) {
      if (!isTarget(patch.targetRedCells)) {
        throw new Error(
          `The red-cell target must be a whole number from 1 to ${MAX_TARGET_RED_CELLS.toLocaleString('en-US')}.`,
        );
      }
      clean.targetRedCells = patch.targetRedCells;
    }
    if (patch.bloodCount !== undefined) {
      const problem = patch.bloodCount ? validateBloodCount(patch.bloodCount) : null;
      if (problem) throw new Error(problem);
      clean.bloodCount = patch.bloodCount;
    }
    if (patch.reviewer !== undefined) clean.reviewer = normaliseReviewer(patch.reviewer);
    const now = clockNow();
    return this.write('the session settings', 'settings', sessionId, async (tx) => {
      const s = await tx.objectStore('sessions').get(sessionId);
      if (!s) throw new Error(SESSION_GONE);
      const targetChanged = clean.targetRedCells !== undefined && clean.targetRedCells !== s.targetRedCells;
      const updated: SessionRecord = {
        ...s,
        ...clean,
        updatedAt: now,
        ...(targetChanged && (s.endedAt !== null || s.verdict !== null) ? REOPEN : {}),
      };
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return updated;
    });
  }

  /**
   * Ends a session with its review-based slide result (slideResult from slide-result.ts), stored
   * with the time and the session's reviewer. In the same transaction every derived value is
   * recomputed from the stored cells, and the result's verdict is checked against slideResult of
   * the stored cells and target: a result computed from stale cells is refused (Error), never stored.
   */
  async endSession(sessionId: string, result: EndResult): Promise<SessionRecord> {
    const now = clockNow();
    return this.write('the slide result', 'session-ended', sessionId, async (tx) => {
      const s = await tx.objectStore('sessions').get(sessionId);
      if (!s) throw new Error(SESSION_GONE);
      const d = deriveSession(s, await tx.objectStore('fields').index('sessionId').getAll(sessionId));
      const stored = slideResult(d.fields, d.session.targetRedCells, null);
      if (stored.verdict !== result.verdict) {
        throw new Error(
          `The slide result (${result.verdict}) does not match the saved reviews, which give ${stored.verdict}. ` +
            'Reload the session and end it again.',
        );
      }
      const updated: SessionRecord = {
        ...d.session,
        review: stored.counts,
        endedAt: now,
        updatedAt: now,
        verdict: {
          verdict: result.verdict,
          reason: resultReason(stored),
          missing: missingSentences(stored),
          decidedAt: now,
          reviewer: d.session.reviewer,
        },
      };
      for (const f of d.renumbered) await tx.objectStore('fields').put(f);
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return updated;
    });
  }

  /**
   * Sessions newest first; `query` filters by identifier (case-insensitive substring). Every stored
   * session is listed, a damaged one too (so it can be seen and deleted): read with getAll, not the
   * createdAt index, which leaves out a record whose createdAt is not a number.
   */
  async listSessions(query = ''): Promise<SessionRecord[]> {
    const q = identifierKey(query);
    const all = await this.withConnection(null, (db) => db.getAll('sessions'));
    const time = (s: SessionRecord) =>
      typeof s.createdAt === 'number' && !Number.isNaN(s.createdAt) ? s.createdAt : -Infinity;
    const key = (s: SessionRecord) =>
      typeof s.identifierKey === 'string'
        ? s.identifierKey
        : typeof s.identifier === 'string'
          ? identifierKey(s.identifier)
          : '';
    return all
      .filter((s) => !q || key(s).includes(q))
      .sort((a, b) => time(b) - time(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * A session with its images in order. Its derived values are checked against its cells; when they
   * disagree (an older version, a bad import, a device swap) they are recounted, saved, and listed in
   * `repairs` (integrity.ts). A record too damaged to recount gives a clear Error.
   */
  async getSession(id: string): Promise<SessionWithFields | null> {
    const raw = await this.withConnection(null, async (db) => {
      const tx = db.transaction(['sessions', 'fields']);
      const session = await tx.objectStore('sessions').get(id);
      if (!session) return null;
      const fields = await tx.objectStore('fields').index('sessionId').getAll(id);
      return { session, fields };
    });
    if (!raw) return null;
    let d: ReturnType<typeof deriveSession>;
    try {
      d = deriveSession(raw.session, raw.fields);
    } catch (err) {
      throw new Error(
        `The stored record of this slide is damaged (${errorMessage(err)}), so it cannot be opened. ` +
          'Export your other records, then delete this one.',
        { cause: err },
      );
    }
    if (d.repairs.length) {
      try {
        await this.repair(id);
      } catch {
        // not saved (storage full, connection closed): shown recounted now, repaired on a later open
      }
    }
    return { session: d.session, fields: d.fields, repairs: d.repairs };
  }

  /** Saves the recount of one session (its derived values from its cells). */
  private async repair(id: string): Promise<void> {
    await this.write('the recount', 'repair', id, async (tx) => {
      const session = await tx.objectStore('sessions').get(id);
      if (!session) return;
      const d = deriveSession(session, await tx.objectStore('fields').index('sessionId').getAll(id));
      if (!d.repairs.length) return;
      for (const f of d.renumbered) await tx.objectStore('fields').put(f);
      await tx.objectStore('sessions').put(d.session);
      await tx.done;
    });
  }

  /** Most recent session that has not been ended (to resume after a reload). */
  async latestOpenSession(): Promise<SessionRecord | null> {
    return (await this.listSessions()).find((s) => s.endedAt === null) ?? null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.write('the deletion', 'session-deleted', id, async (tx) => {
      const keys = await tx.objectStore('fields').index('sessionId').getAllKeys(id);
      for (const k of keys) await tx.objectStore('fields').delete(k);
      await tx.objectStore('sessions').delete(id);
      await tx.done;
    });
  }

  async deleteAll(): Promise<void> {
    await this.write('the deletion', 'all-deleted', null, async (tx) => {
      await tx.objectStore('fields').clear();
      await tx.objectStore('sessions').clear();
      await tx.done;
    });
  }

  /**
   * Everything an export can carry: sessions newest first, images in session order, each session's
   * derived values recounted from its cells. A stored session with a value the archive import would
   * refuse (out of range, wrong type — e.g. createdAt = 1e308) is left out with its images and
   * listed in `skipped`, so one bad record never stops the export of the others.
   */
  async everything(now = Date.now()): Promise<CheckedRecords> {
    const raw = await this.withConnection(null, async (db) => {
      const tx = db.transaction(['sessions', 'fields']);
      const sessions = await tx.objectStore('sessions').getAll();
      const fields = await tx.objectStore('fields').getAll();
      return { sessions, fields };
    });
    const time = (s: SessionRecord) =>
      typeof s.createdAt === 'number' && !Number.isNaN(s.createdAt) ? s.createdAt : -Infinity;
    const sessions = [...raw.sessions].sort((a, b) => time(b) - time(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return checkStoredRecords(sessions, raw.fields, now);
  }

  /** The session here with all its images, inside `tx` (null when none). */
  private async bundleIn(tx: WriteTx, id: string): Promise<SessionBundle | null> {
    const session = await tx.objectStore('sessions').get(id);
    if (!session) return null;
    return { session, fields: await tx.objectStore('fields').index('sessionId').getAll(id) };
  }

  /** Session ids of images here that have the ids of incoming images not already the local session's. */
  private async ownersIn(
    tx: WriteTx,
    incoming: readonly FieldRecord[],
    local: SessionBundle | null,
  ): Promise<Map<string, string>> {
    const mine = new Set(local?.fields.map((f) => f.id) ?? []);
    const owners = new Map<string, string>();
    for (const f of incoming) {
      if (mine.has(f.id)) continue;
      const key = await tx.objectStore('fields').getKey(f.id);
      if (key === undefined) continue;
      const other = await tx.objectStore('fields').get(f.id);
      owners.set(f.id, typeof other?.sessionId === 'string' ? other.sessionId : '');
    }
    return owners;
  }

  /**
   * Imports sessions and images (validated by the caller, e.g. parseArchive) in one transaction,
   * never replacing data here silently (merge.ts): a session new here is added; the same session
   * here is merged image by image and cell by cell (union of images, newer review per cell); a
   * session that conflicts with one here (same id, different slide or different cells) is imported
   * as a separate copy with new ids and “(imported copy)” after its identifier. Every session written
   * has its derived values recomputed from its cells. The report says what happened, per session.
   */
  async merge(sessions: readonly SessionRecord[], fields: readonly FieldRecord[]): Promise<MergeReport> {
    const bySession = fieldsBySession(fields);
    return this.write('the import', 'import', null, async (tx) => {
      const report = emptyMergeReport();
      for (const s of sessions) {
        const incoming: SessionBundle = { session: s, fields: bySession.get(s.id) ?? [] };
        let bundle = incoming;
        let conflict: string | null = null;
        let outcome: MergeOutcome | null = null;
        for (let attempt = 0; attempt <= MAX_COPY_ATTEMPTS; attempt++) {
          if (attempt > 0) bundle = asCopy(incoming, attempt);
          const local = await this.bundleIn(tx, bundle.session.id);
          const owners = await this.ownersIn(tx, bundle.fields, local);
          const o = mergeSession(local, bundle, (id) => owners.get(id));
          if (o.kind !== 'conflict') {
            outcome = o;
            break;
          }
          conflict ??= o.reason;
        }
        const name = `“${s.identifier}”`;
        if (!outcome) {
          report.details.push(
            `${name}: not imported — ${conflict ?? 'it conflicts with records here'}, and so does every copy tried`,
          );
          continue;
        }
        const copyNote = conflict ? ` as a separate copy “${bundle.session.identifier}” because ${conflict}` : '';
        if (conflict) report.copies += outcome.kind === 'unchanged' ? 0 : 1;
        if (outcome.kind === 'unchanged') {
          report.unchanged++;
          if (conflict) report.details.push(`${name}: already here${copyNote}`);
          continue;
        }
        for (const f of outcome.write) await tx.objectStore('fields').put(f);
        await tx.objectStore('sessions').put(outcome.session);
        if (outcome.kind === 'new') {
          report.added++;
          report.fieldsAdded += outcome.write.length;
          if (conflict) report.details.push(`${name}: imported${copyNote}`);
          for (const r of outcome.repairs) report.details.push(`${name}: ${r}`);
          continue;
        }
        report.updated++;
        report.fieldsAdded += outcome.imagesAdded;
        report.fieldsUpdated += outcome.imagesUpdated;
        report.reviewsUpdated += outcome.reviewsUpdated;
        if (outcome.reopened) report.reopened++;
        const what = [
          outcome.imagesAdded ? `${outcome.imagesAdded} image${outcome.imagesAdded === 1 ? '' : 's'} added` : '',
          outcome.reviewsUpdated
            ? `${outcome.reviewsUpdated} review${outcome.reviewsUpdated === 1 ? '' : 's'} updated (newer review kept)`
            : '',
          outcome.settingsTaken ? 'settings taken from the copy changed last' : '',
          outcome.reopened ? 're-opened: the merged reviews no longer give its stored result, end it again' : '',
        ].filter(Boolean);
        report.details.push(`${name}: merged${copyNote}${what.length ? ` — ${what.join('; ')}` : ''}`);
        for (const r of outcome.repairs) report.details.push(`${name}: ${r}`);
      }
      await tx.done;
      return report;
    });
  }
}
