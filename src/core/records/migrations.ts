/**
 * Schema migrations, applied in order inside the `versionchange` transaction so an upgrade is
 * all-or-nothing: if anything throws, the database stays at its old version with its old records.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { countCells } from '../slide/counts.js';
import { toSessionCell, type SessionCell } from '../slide/field-result.js';
import { DEFAULT_SLIDE_VERDICT_RULE, type SlideVerdict } from '../slide/verdict.js';
import { identifierKey, type FieldRecord, type SessionRecord } from './schema.js';

/** The v1 session layout (kept only so the migration and its test can read it). */
export interface V1Session {
  id: string;
  identifier: string;
  /** ISO 8601. */
  createdAt: string;
  endedAt?: string | null;
  target?: number;
  redCells: number;
  parasitized: number;
  inconclusive: number;
  verdict?: SlideVerdict | null;
  fields?: { name: string; width: number; height: number; cells: unknown[] }[];
}

type AnyDb = IDBPDatabase<unknown>;
type AnyTx = IDBPTransaction<unknown, string[], 'versionchange'>;

export function createV1Schema(db: AnyDb): void {
  const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
  sessions.createIndex('createdAt', 'createdAt');
}

function toMillis(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/** Converts one v1 session into the v2 session + field records. Pure; exported for tests. */
export function migrateV1Session(old: V1Session): { session: SessionRecord; fields: FieldRecord[] } {
  const confidentProbability = DEFAULT_SLIDE_VERDICT_RULE.confidentProbability;
  const createdAt = toMillis(old.createdAt) ?? Date.now();
  const endedAt = toMillis(old.endedAt ?? null);
  const fields: FieldRecord[] = (old.fields ?? []).map((f, i) => {
    const cells: SessionCell[] = [];
    for (const raw of f.cells) {
      try {
        cells.push(toSessionCell(raw));
      } catch {
        // an unreadable cell is dropped; the session totals below keep the v1 counters
      }
    }
    return {
      id: `${old.id}-f${i + 1}`,
      sessionId: old.id,
      index: i + 1,
      addedAt: createdAt,
      kind: 'field',
      name: f.name,
      width: f.width,
      height: f.height,
      cells,
      image: null,
    };
  });
  // Totals: the v1 counters are the record of truth (they were shown to the clinician);
  // the finer split comes from the cells where they are present.
  const fromCells = countCells(fields.flatMap((f) => f.cells), confidentProbability);
  const totals = {
    redCells: old.redCells,
    parasitized: old.parasitized,
    inconclusive: old.inconclusive,
    uninfected: Math.max(0, old.redCells - old.parasitized - old.inconclusive),
    whiteBloodCells: fromCells.whiteBloodCells,
    confidentParasitized: fromCells.confidentParasitized,
  };
  const session: SessionRecord = {
    id: old.id,
    identifier: old.identifier,
    identifierKey: identifierKey(old.identifier),
    createdAt,
    updatedAt: endedAt ?? createdAt,
    endedAt,
    targetRedCells: old.target ?? 1000,
    bloodCount: null,
    totals,
    confidentProbability,
    fieldCount: fields.length,
    verdict: old.verdict
      ? {
          verdict: old.verdict,
          reason: 'Recorded by an earlier version of the app (schema v1), which did not store the rule.',
          rule: null,
          ruleFromModel: false,
          decidedAt: endedAt ?? createdAt,
        }
      : null,
    modelName: null,
  };
  return { session, fields };
}

async function migrateV1ToV2(db: AnyDb, tx: AnyTx): Promise<void> {
  const sessions = tx.objectStore('sessions');
  sessions.createIndex('identifierKey', 'identifierKey');
  const fieldStore = db.createObjectStore('fields', { keyPath: 'id' });
  fieldStore.createIndex('sessionId', 'sessionId');
  const old = (await sessions.getAll()) as V1Session[];
  for (const o of old) {
    const { session, fields } = migrateV1Session(o);
    await sessions.put(session);
    for (const f of fields) await tx.objectStore('fields').put(f);
  }
}

/** Runs every migration from oldVersion up to the current version. */
export async function runMigrations(db: AnyDb, oldVersion: number, tx: AnyTx): Promise<void> {
  if (oldVersion < 1) createV1Schema(db);
  if (oldVersion < 2) await migrateV1ToV2(db, tx);
}
