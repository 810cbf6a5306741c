/**
 * The records repository: slide sessions and their fields in IndexedDB (via `idb`).
 * Every write that changes a session is one transaction (field + updated totals together), so a
 * failed write — storage full included — leaves earlier data exactly as it was.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { SlideVerdictRule } from '../model-metadata.js';
import { addCounts, countCells, ZERO_COUNTS, type SlideCounts } from '../slide/counts.js';
import type { FieldResult } from '../slide/field-result.js';
import type { BloodCountInput } from '../slide/parasitaemia.js';
import type { VerdictResult } from '../slide/verdict.js';
import { isQuotaError, RecordsUnavailableError, StorageFullError } from './errors.js';
import { runMigrations } from './migrations.js';
import {
  DB_NAME,
  DB_VERSION,
  identifierKey,
  type FieldRecord,
  type RecordsDbSchema,
  type SessionRecord,
  type StoredImage,
} from './schema.js';

export interface NewSession {
  identifier: string;
  targetRedCells: number;
  /** From the verdict rule in force when the session starts. */
  confidentProbability: number;
  modelName: string | null;
}

export interface SessionWithFields {
  session: SessionRecord;
  fields: FieldRecord[];
}

type Db = IDBPDatabase<RecordsDbSchema>;

function newId(): string {
  return crypto.randomUUID();
}

export class RecordsStore extends EventTarget {
  private constructor(private readonly db: Db) {
    super();
  }

  /** Opens (creating or migrating) the records database. */
  static async open(name = DB_NAME): Promise<RecordsStore> {
    let db: Db;
    try {
      db = await openDB<RecordsDbSchema>(name, DB_VERSION, {
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
        },
      });
    } catch (err) {
      throw new RecordsUnavailableError(
        `Records storage could not be opened (${err instanceof Error ? err.message : String(err)}). ` +
          'Private browsing or a full disk can cause this; results are still shown but not saved.',
      );
    }
    return new RecordsStore(db);
  }

  close(): void {
    this.db.close();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /**
   * A read-write transaction whose `done` rejection is observed at once (an aborted write would
   * otherwise surface as an unhandled rejection); callers still await `tx.done` to see the error.
   */
  private readwrite() {
    const tx = this.db.transaction(['sessions', 'fields'], 'readwrite');
    tx.done.catch(() => undefined);
    return tx;
  }

  /** Runs a write; maps quota failures to StorageFullError (the transaction is rolled back). */
  private async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      this.changed();
      return out;
    } catch (err) {
      if (isQuotaError(err)) throw new StorageFullError(what);
      throw err;
    }
  }

  async createSession(input: NewSession): Promise<SessionRecord> {
    const identifier = input.identifier.trim();
    if (!identifier) throw new Error('Enter a patient or slide identifier to start a session.');
    const now = Date.now();
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
      verdict: null,
      modelName: input.modelName,
    };
    await this.write('the new session', () => this.db.put('sessions', session));
    return session;
  }

  /** Adds a field (or single cell) and updates the session totals in one transaction. */
  async addField(sessionId: string, result: FieldResult, image: StoredImage | null): Promise<SessionWithFields['session']> {
    return this.write(`"${result.name}"`, async () => {
      const tx = this.readwrite();
      const session = await tx.objectStore('sessions').get(sessionId);
      if (!session) throw new Error('This session no longer exists (it was deleted).');
      const field: FieldRecord = {
        id: newId(),
        sessionId,
        index: session.fieldCount + 1,
        addedAt: Date.now(),
        kind: result.kind,
        name: result.name,
        width: result.width,
        height: result.height,
        cells: result.cells,
        image,
      };
      const updated: SessionRecord = {
        ...session,
        fieldCount: session.fieldCount + 1,
        totals: addCounts(session.totals, countCells(result.cells, session.confidentProbability)),
        updatedAt: field.addedAt,
        // adding to an ended session re-opens it: the old verdict no longer matches the counts
        endedAt: null,
        verdict: null,
      };
      await tx.objectStore('fields').put(field);
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return updated;
    });
  }

  async updateSettings(
    sessionId: string,
    patch: { targetRedCells?: number; bloodCount?: BloodCountInput | null },
  ): Promise<SessionRecord> {
    return this.write('the session settings', async () => {
      const tx = this.readwrite();
      const s = await tx.objectStore('sessions').get(sessionId);
      if (!s) throw new Error('This session no longer exists (it was deleted).');
      const updated: SessionRecord = { ...s, ...patch, updatedAt: Date.now() };
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return updated;
    });
  }

  /**
   * Ends a session with its verdict. `recount` replaces the stored totals when they were recomputed
   * from the cells with the rule in force at the end (its confidentProbability may differ from the
   * one used while counting, e.g. when the model finished loading after the session started).
   */
  async endSession(
    sessionId: string,
    verdict: VerdictResult,
    recount?: { totals: SlideCounts; confidentProbability: number },
  ): Promise<SessionRecord> {
    return this.write('the verdict', async () => {
      const tx = this.readwrite();
      const s = await tx.objectStore('sessions').get(sessionId);
      if (!s) throw new Error('This session no longer exists (it was deleted).');
      const now = Date.now();
      const updated: SessionRecord = {
        ...s,
        ...(recount ?? {}),
        endedAt: now,
        updatedAt: now,
        verdict: {
          verdict: verdict.verdict,
          reason: verdict.reason,
          rule: verdict.rule as SlideVerdictRule,
          ruleFromModel: verdict.ruleFromModel,
          decidedAt: now,
        },
      };
      await tx.objectStore('sessions').put(updated);
      await tx.done;
      return updated;
    });
  }

  /** Sessions newest first; `query` filters by identifier (case-insensitive substring). */
  async listSessions(query = ''): Promise<SessionRecord[]> {
    const q = identifierKey(query);
    const out: SessionRecord[] = [];
    let cursor = await this.db.transaction('sessions').store.index('createdAt').openCursor(null, 'prev');
    while (cursor) {
      if (!q || cursor.value.identifierKey.includes(q)) out.push(cursor.value);
      cursor = await cursor.continue();
    }
    return out;
  }

  async getSession(id: string): Promise<SessionWithFields | null> {
    const tx = this.db.transaction(['sessions', 'fields']);
    const session = await tx.objectStore('sessions').get(id);
    if (!session) return null;
    const fields = await tx.objectStore('fields').index('sessionId').getAll(id);
    fields.sort((a, b) => a.index - b.index);
    return { session, fields };
  }

  /** Most recent session that has not been ended (to resume after a reload). */
  async latestOpenSession(): Promise<SessionRecord | null> {
    let cursor = await this.db.transaction('sessions').store.index('createdAt').openCursor(null, 'prev');
    while (cursor) {
      if (cursor.value.endedAt === null) return cursor.value;
      cursor = await cursor.continue();
    }
    return null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.write('the deletion', async () => {
      const tx = this.readwrite();
      const keys = await tx.objectStore('fields').index('sessionId').getAllKeys(id);
      for (const k of keys) await tx.objectStore('fields').delete(k);
      await tx.objectStore('sessions').delete(id);
      await tx.done;
    });
  }

  async deleteAll(): Promise<void> {
    await this.write('the deletion', async () => {
      const tx = this.readwrite();
      await tx.objectStore('fields').clear();
      await tx.objectStore('sessions').clear();
      await tx.done;
    });
  }

  /** Everything, for export: sessions newest first, fields in session order. */
  async everything(): Promise<{ sessions: SessionRecord[]; fields: FieldRecord[] }> {
    const sessions = await this.listSessions();
    const fields = await this.db.getAll('fields');
    const order = new Map(sessions.map((s, i) => [s.id, i]));
    fields.sort((a, b) => (order.get(a.sessionId) ?? 0) - (order.get(b.sessionId) ?? 0) || a.index - b.index);
    return { sessions, fields };
  }

  /**
   * Merges sessions and fields (validated by the caller) without duplicates, in one transaction:
   * a session already present is kept unless the incoming copy is newer (updatedAt); a field is
   * added only when its id is not present.
   */
  async merge(
    sessions: readonly SessionRecord[],
    fields: readonly FieldRecord[],
  ): Promise<{ added: number; updated: number; unchanged: number; fieldsAdded: number }> {
    return this.write('the import', async () => {
      const tx = this.readwrite();
      const report = { added: 0, updated: 0, unchanged: 0, fieldsAdded: 0 };
      for (const s of sessions) {
        const existing = await tx.objectStore('sessions').get(s.id);
        if (!existing) {
          await tx.objectStore('sessions').put(s);
          report.added++;
        } else if (s.updatedAt > existing.updatedAt) {
          await tx.objectStore('sessions').put(s);
          report.updated++;
        } else {
          report.unchanged++;
        }
      }
      for (const f of fields) {
        const existingKey = await tx.objectStore('fields').getKey(f.id);
        if (existingKey === undefined) {
          await tx.objectStore('fields').put(f);
          report.fieldsAdded++;
        }
      }
      await tx.done;
      return report;
    });
  }
}
