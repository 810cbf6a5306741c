import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { FieldResult, SessionCell } from '../../core/slide/field-result.js';
import { slideResult } from '@malaria/contract';
import { buildArchive, parseArchive, parseArchiveText, type RecordsArchive } from '../../core/records/archive.js';
import { base64ToBytes, bytesToBase64 } from '../../core/records/base64.js';
import { cellsCsv, SESSION_CSV_HEADER, sessionsCsv } from '../../core/records/csv.js';
import { csvValue } from '../../core/shared/csv-writer.js';
import { ArchiveError, isQuotaError, StorageFullError } from '../../core/records/errors.js';
import { migrateV1Session, type V1Session } from '../../core/records/migrations.js';
import { RecordsStore } from './records-store.js';
import { DB_VERSION } from '../../core/records/schema.js';

let dbCounter = 0;
const freshName = () => `test-records-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

function cell(label: SessionCell['label'], probability: number, x = 10): SessionCell {
  return { x, y: 20, box: { x: x - 5, y: 15, width: 10, height: 10 }, label, probability };
}

function field(name: string, cells: SessionCell[]): FieldResult {
  return { kind: 'field', name, width: 640, height: 480, cells };
}

const image = (n: number) => ({
  bytes: new Uint8Array([n, 1, 2, 3, 255]).buffer,
  type: 'image/webp',
  width: 64,
  height: 48,
});

async function sessionWithTwoFields(store: RecordsStore, identifier: string) {
  const s = await store.createSession({
    identifier,
    targetRedCells: 1000,
    confidentProbability: 0.9,
    modelName: 'test-model',
  });
  await store.addField(
    s.id,
    field('a.jpg', [cell('Parasitized', 0.97), cell('Uninfected', 0.01), cell('WhiteBloodCell', 0)]),
    image(1),
  );
  const after = await store.addField(
    s.id,
    field('b.jpg', [cell('Inconclusive', 0.5), cell('Parasitized', 0.8)]),
    image(2),
  );
  return after.session;
}

/** The review-based result of a stored session, as the session screen computes it. */
async function resultOf(store: RecordsStore, sessionId: string) {
  const full = await store.getSession(sessionId);
  return slideResult(full!.fields, full!.session.targetRedCells, null);
}

describe('RecordsStore', () => {
  it('keeps running totals across fields, lists newest first, searches by identifier', async () => {
    const store = await RecordsStore.open(freshName());
    const first = await sessionWithTwoFields(store, 'Slide-A 001');
    expect(first.totals).toEqual({
      redCells: 4,
      parasitized: 2,
      uninfected: 1,
      inconclusive: 1,
      whiteBloodCells: 1,
      confidentParasitized: 1,
    });
    expect(first.fieldCount).toBe(2);
    await new Promise((r) => setTimeout(r, 5));
    await store.createSession({
      identifier: 'slide-b 002',
      targetRedCells: 500,
      confidentProbability: 0.9,
      modelName: null,
    });
    const all = await store.listSessions();
    expect(all.map((s) => s.identifier)).toEqual(['slide-b 002', 'Slide-A 001']);
    expect((await store.listSessions('SLIDE-A')).map((s) => s.identifier)).toEqual(['Slide-A 001']);
    expect(await store.listSessions('zzz')).toEqual([]);

    const opened = await store.getSession(first.id);
    expect(opened?.fields.map((f) => [f.index, f.name, f.cells.length])).toEqual([
      [1, 'a.jpg', 3],
      [2, 'b.jpg', 2],
    ]);
    expect(new Uint8Array(opened!.fields[1]!.image!.bytes)).toEqual(new Uint8Array([2, 1, 2, 3, 255]));
    store.close();
  });

  it('rejects an empty identifier and a field for a deleted session', async () => {
    const store = await RecordsStore.open(freshName());
    await expect(
      store.createSession({ identifier: '  ', targetRedCells: 1000, confidentProbability: 0.9, modelName: null }),
    ).rejects.toThrow(/identifier/);
    const s = await store.createSession({
      identifier: 'x',
      targetRedCells: 1000,
      confidentProbability: 0.9,
      modelName: null,
    });
    await store.deleteSession(s.id);
    await expect(store.addField(s.id, field('a', []), null)).rejects.toThrow(/no longer exists/);
    store.close();
  });

  it('ends a session with its review-based result; adding a field re-opens it', async () => {
    const store = await RecordsStore.open(freshName());
    const s = await sessionWithTwoFields(store, 'P-1');
    const ended = await store.endSession(s.id, await resultOf(store, s.id));
    expect(ended.verdict?.verdict).toBe('incomplete');
    expect(ended.verdict?.missing).toHaveLength(2); // red cells to the target; 3 flagged cells pending
    expect(ended.endedAt).not.toBeNull();
    expect(await store.latestOpenSession()).toBeNull();
    const reopened = (await store.addField(s.id, field('c', [cell('Uninfected', 0.02)]), null)).session;
    expect(reopened.verdict).toBeNull();
    expect(reopened.endedAt).toBeNull();
    expect((await store.latestOpenSession())?.id).toBe(s.id);
    const withBlood = await store.updateSettings(s.id, {
      bloodCount: { kind: 'rbc', rbcPerMicrolitre: 4.5e6 },
      targetRedCells: 2000,
    });
    expect(withBlood.targetRedCells).toBe(2000);
    store.close();
  });

  it('deletes one session with its fields, and everything', async () => {
    const store = await RecordsStore.open(freshName());
    const a = await sessionWithTwoFields(store, 'A');
    const b = await sessionWithTwoFields(store, 'B');
    await store.deleteSession(a.id);
    const left = await store.everything();
    expect(left.sessions.map((s) => s.id)).toEqual([b.id]);
    expect(left.fields.every((f) => f.sessionId === b.id)).toBe(true);
    expect(left.fields).toHaveLength(2);
    await store.deleteAll();
    expect(await store.everything()).toMatchObject({ sessions: [], fields: [], skipped: [] });
    store.close();
  });

  it("keeps a field photo's digest on the device only: stored and read back, never in the archive", async () => {
    const store = await RecordsStore.open(freshName());
    const s = await store.createSession({
      identifier: 'PHOTO-1',
      targetRedCells: 1000,
      confidentProbability: 0.9,
      modelName: 'test-model',
    });
    await store.addField(s.id, field('a.jpg', [cell('Uninfected', 0.01)]), image(1), [], 'ab12');
    await store.addField(s.id, field('b.jpg', [cell('Uninfected', 0.01)]), image(2));
    const full = await store.getSession(s.id);
    expect(full!.fields.map((f) => f.digest)).toEqual(['ab12', undefined]);
    const text = JSON.stringify(buildArchive([full!.session], full!.fields));
    expect(text).not.toContain('"digest"');
    expect(text).not.toContain('ab12');
  });

  it('notifies listeners on change', async () => {
    const store = await RecordsStore.open(freshName());
    let n = 0;
    store.addEventListener('change', () => n++);
    await sessionWithTwoFields(store, 'N');
    expect(n).toBe(3);
    store.close();
  });
});

describe('schema migration v1 → v2 → v3', () => {
  const v1Sessions: V1Session[] = [
    {
      id: 'old-1',
      identifier: 'Ward 3 / slide 17',
      createdAt: '2024-05-01T08:30:00.000Z',
      endedAt: '2024-05-01T08:45:00.000Z',
      target: 1000,
      redCells: 3,
      parasitized: 1,
      inconclusive: 0,
      verdict: 'Inconclusive',
      fields: [
        {
          name: 'f1.jpg',
          width: 4000,
          height: 3000,
          cells: [
            { x: 1, y: 2, box: { x: 0, y: 0, width: 4, height: 4 }, label: 'Parasitized', probability: 0.95 },
            { x: 9, y: 9, box: { x: 5, y: 5, width: 8, height: 8 }, label: 'Uninfected', probability: 0.01 },
            { x: 19, y: 19, box: { x: 15, y: 15, width: 8, height: 8 }, label: 'Uninfected', probability: 0.02 },
          ],
        },
      ],
    },
    {
      id: 'old-2',
      identifier: 'B-2',
      createdAt: '2024-05-02T10:00:00.000Z',
      redCells: 0,
      parasitized: 0,
      inconclusive: 0,
    },
  ];

  async function seedV1(name: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const s = req.result.createObjectStore('sessions', { keyPath: 'id' });
        s.createIndex('createdAt', 'createdAt');
        for (const v of v1Sessions) s.put(v);
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
  }

  it('keeps every v1 record, moves embedded fields to their own store', async () => {
    const name = freshName();
    await seedV1(name);
    const store = await RecordsStore.open(name);
    const list = await store.listSessions();
    expect(list.map((s) => s.id)).toEqual(['old-2', 'old-1']);
    const old1 = await store.getSession('old-1');
    expect(old1?.session).toMatchObject({
      identifier: 'Ward 3 / slide 17',
      identifierKey: 'ward 3 / slide 17',
      createdAt: Date.parse('2024-05-01T08:30:00.000Z'),
      endedAt: Date.parse('2024-05-01T08:45:00.000Z'),
      fieldCount: 1,
      totals: { redCells: 3, parasitized: 1, uninfected: 2, inconclusive: 0, confidentParasitized: 1 },
      // v1 → v2 → v3: the model-only verdict is kept as legacy; no review-based result yet
      verdict: null,
      legacyModelVerdict: { verdict: 'Inconclusive', rule: null },
      reviewer: null,
      review: { redCells: 3, queued: 1, pending: 1, confirmed: 0 },
    });
    expect(old1?.fields[0]?.cells.every((c) => c.review === null)).toBe(true);
    expect(old1?.fields[0]?.evidence).toEqual([]);
    expect(old1?.fields).toHaveLength(1);
    expect(old1?.fields[0]?.cells).toHaveLength(3);
    expect((await store.listSessions('ward 3')).length).toBe(1);
    // the migrated database is fully usable
    await store.addField('old-2', field('new.jpg', [cell('Uninfected', 0.1)]), null);
    expect((await store.getSession('old-2'))?.session.review.redCells).toBe(1);
    expect((await store.getSession('old-2'))?.session.totals.redCells).toBe(1);
    store.close();
    const version = await new Promise<number>((resolve) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => {
        resolve(req.result.version);
        req.result.close();
      };
    });
    expect(version).toBe(DB_VERSION);
  });

  it('migrateV1Session keeps v1 counters as the record of truth', () => {
    const { session, fields } = migrateV1Session({ ...v1Sessions[0]!, redCells: 10, parasitized: 4, inconclusive: 1 });
    expect(session.totals).toMatchObject({ redCells: 10, parasitized: 4, inconclusive: 1, uninfected: 5 });
    expect(fields[0]?.id).toBe('old-1-f1');
  });
});

describe('exports', () => {
  it('sessions CSV: one row per session with totals and verdict; cells CSV: one row per cell', async () => {
    const store = await RecordsStore.open(freshName());
    const s = await sessionWithTwoFields(store, '=HYPERLINK("x"), "quoted"');
    await store.updateSettings(s.id, { bloodCount: { kind: 'rbc', rbcPerMicrolitre: 4_000_000 } });
    await store.endSession(s.id, await resultOf(store, s.id));
    const { sessions, fields } = await store.everything();
    const csv = sessionsCsv(sessions).trimEnd().split('\r\n');
    expect(csv[0]).toBe(SESSION_CSV_HEADER.join(','));
    expect(csv).toHaveLength(2);
    const row = csv[1]!;
    expect(row.startsWith(`"'=HYPERLINK(""x""), ""quoted"""`)).toBe(true);
    // Model label counts (2 parasitized of 4 red cells) stay in their columns, but parasitaemia and
    // parasites/µL come from confirmed cells only: none confirmed → 0, never the model's 50 %.
    expect(row).toContain(',2,4,2,1,1,1,1,0,1000,4000000,0,incomplete,');
    expect(row).toContain(',microscopist review,test-model,,0,3,3,0,0,incomplete,');
    // One cell confirmed: 1 of 4 red cells → 25 %, 1,000,000 parasitized cells/µL at 4,000,000 RBC/µL.
    const full = await store.getSession(s.id);
    const parasitized = full!.fields[0]!;
    await store.reviewCell(s.id, parasitized.id, 0, { decision: 'confirmed', reason: null, at: 1_700_000_000_000 });
    const [after] = (await store.everything()).sessions;
    expect(sessionsCsv([after!]).split('\r\n')[1]).toContain(',2,4,2,1,1,1,1,25,1000,4000000,1000000,,');
    const cellsRows = cellsCsv(sessions, fields).trimEnd().split('\r\n');
    expect(cellsRows).toHaveLength(1 + 5);
    expect(cellsRows[1]).toMatch(/,1,a\.jpg,field,640,480,1,10,20,5,15,10,10,Parasitized,0\.97,1,pending,,$/);
    store.close();
  });

  it('csvValue quotes and neutralises formulas', () => {
    expect(csvValue('plain')).toBe('plain');
    expect(csvValue('a,b')).toBe('"a,b"');
    expect(csvValue('+1')).toBe("'+1");
    expect(csvValue(-3)).toBe('-3');
    expect(csvValue(null)).toBe('');
  });
});

describe('JSON archive', () => {
  it('round-trips into a fresh database with identical records, and merges without duplicates', async () => {
    const source = await RecordsStore.open(freshName());
    await sessionWithTwoFields(source, 'Device-1 slide');
    await sessionWithTwoFields(source, 'Device-1 other');
    const before = await source.everything();
    const text = JSON.stringify(buildArchive(before.sessions, before.fields));

    const target = await RecordsStore.open(freshName());
    const parsed = parseArchiveText(text);
    expect(await target.merge(parsed.sessions, parsed.fields)).toMatchObject({
      added: 2,
      updated: 0,
      unchanged: 0,
      copies: 0,
      fieldsAdded: 4,
      fieldsUpdated: 0,
    });
    const after = await target.everything();
    expect(after.sessions).toEqual(before.sessions);
    expect(after.fields.map((f) => ({ ...f, image: null }))).toEqual(before.fields.map((f) => ({ ...f, image: null })));
    expect(after.fields.map((f) => bytesToBase64(f.image!.bytes))).toEqual(
      before.fields.map((f) => bytesToBase64(f.image!.bytes)),
    );

    // importing again adds nothing
    expect(await target.merge(parsed.sessions, parsed.fields)).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
      fieldsAdded: 0,
      fieldsUpdated: 0,
      details: [],
    });
    expect((await target.everything()).sessions).toHaveLength(2);
    source.close();
    target.close();
  });

  it('rejects malformed archives with a clear message and writes nothing', () => {
    expect(() => parseArchiveText('not json')).toThrow(/not valid JSON/);
    expect(() => parseArchive({ format: 'other' })).toThrow(/not a records archive/);
    const good = buildArchive(
      [
        {
          id: 's1',
          identifier: 'x',
          identifierKey: 'x',
          createdAt: 1_700_000_000_000,
          updatedAt: 1_700_000_000_000,
          endedAt: null,
          targetRedCells: 1000,
          bloodCount: null,
          confidentProbability: 0.9,
          fieldCount: 1,
          verdict: null,
          modelName: null,
          totals: {
            redCells: 1,
            parasitized: 0,
            uninfected: 1,
            inconclusive: 0,
            whiteBloodCells: 0,
            confidentParasitized: 0,
          },
          reviewer: null,
          legacyModelVerdict: null,
          review: { redCells: 1, whiteBloodCells: 0, queued: 0, pending: 0, confirmed: 0, rejected: 0, unsure: 0 },
        },
      ],
      [
        {
          id: 'f1',
          sessionId: 's1',
          index: 1,
          addedAt: 1_700_000_000_000,
          kind: 'cell',
          name: 'c',
          width: 64,
          height: 64,
          cells: [{ ...cell('Uninfected', 0.1), review: null }],
          image: image(7),
          evidence: [],
        },
      ],
    );
    expect(parseArchive(JSON.parse(JSON.stringify(good))).fields).toHaveLength(1);
    const broken = (mutate: (a: RecordsArchive) => void) => {
      const a = JSON.parse(JSON.stringify(good)) as RecordsArchive;
      mutate(a);
      return () => parseArchive(a);
    };
    expect(broken((a) => (a.sessions[0]!.totals.redCells = 5))).toThrow(/do not add up/);
    expect(broken((a) => (a.fields[0]!.sessionId = 'nope'))).toThrow(/belongs to no session/);
    expect(broken((a) => ((a.fields[0]!.cells[0] as { label: string }).label = 'Dog'))).toThrow(ArchiveError);
    expect(broken((a) => (a.fields[0]!.image!.base64 = '@@@'))).toThrow(/base64/);
    expect(broken((a) => (a.fields[0]!.image!.type = 'text/html'))).toThrow(/not accepted/);
    expect(broken((a) => a.sessions.push(a.sessions[0]!))).toThrow(/twice/);
    expect(broken((a) => ((a as { formatVersion: number }).formatVersion = 99))).toThrow(/not supported/);
  });
});

describe('errors and helpers', () => {
  it('recognises quota errors and explains that earlier data is safe', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('boom'))).toBe(false);
    expect(new StorageFullError('"a.jpg"').message).toMatch(/"a\.jpg" was not saved\. Everything saved before is safe/);
  });

  it('base64 round-trips bytes', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
    expect(new Uint8Array(base64ToBytes(bytesToBase64(bytes.buffer)))).toEqual(bytes);
    expect(() => base64ToBytes('a$b=')).toThrow();
  });
});

describe('stored image size', () => {
  it('fits within the maximum side without upscaling', async () => {
    const { fitWithin } = await import('../../core/records/image-sizes.js');
    expect(fitWithin(4000, 3000, 1024)).toEqual({ width: 1024, height: 768 });
    expect(fitWithin(3000, 4000, 1024)).toEqual({ width: 768, height: 1024 });
    expect(fitWithin(120, 90, 160)).toEqual({ width: 120, height: 90 });
  });
});
