/**
 * The IndexedDB upgrade: record migrations (../../core/records/migrations.ts) applied in order inside
 * the `versionchange` transaction, so an upgrade is all-or-nothing: if anything throws, the database
 * stays at its old version with its old records.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { countReviews, type ReviewCounts } from '@malaria/contract';
import {
  migrateV1Session,
  migrateV2Field,
  migrateV2Session,
  type V1Session,
  type V2FieldRecord,
  type V2SessionRecord,
} from '../../core/records/migrations.js';
import { combineReviewCounts } from '../../core/records/session-review.js';
import { ZERO_REVIEW_COUNTS } from '@malaria/contract';

type AnyDb = IDBPDatabase<unknown>;
type AnyTx = IDBPTransaction<unknown, string[], 'versionchange'>;

export function createV1Schema(db: AnyDb): void {
  const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
  sessions.createIndex('createdAt', 'createdAt');
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

async function migrateV2ToV3(tx: AnyTx): Promise<void> {
  // Cursors, not getAll: the fields hold images, so a large database is not loaded at once.
  const counts = new Map<string, ReviewCounts>();
  let fc = await tx.objectStore('fields').openCursor();
  while (fc) {
    const field = migrateV2Field(fc.value as V2FieldRecord);
    counts.set(
      field.sessionId,
      combineReviewCounts(counts.get(field.sessionId) ?? ZERO_REVIEW_COUNTS, countReviews([field])),
    );
    await fc.update(field);
    fc = await fc.continue();
  }
  let sc = await tx.objectStore('sessions').openCursor();
  while (sc) {
    const old = sc.value as V2SessionRecord;
    await sc.update(migrateV2Session(old, counts.get(old.id) ?? ZERO_REVIEW_COUNTS));
    sc = await sc.continue();
  }
}

/** Runs every migration from oldVersion up to the current version. */
export async function runMigrations(db: AnyDb, oldVersion: number, tx: AnyTx): Promise<void> {
  if (oldVersion < 1) createV1Schema(db);
  if (oldVersion < 2) await migrateV1ToV2(db, tx);
  if (oldVersion < 3) await migrateV2ToV3(tx);
}
