/**
 * Records schema v3 (the microscopist's review): migration from v2, reviewCell / evidence / result
 * store methods, archive (v3 round trip, v2 import, validation) and the CSV review columns.
 */
import { resultReason } from '../../core/slide/result-text.js';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { FieldResult, SessionCell } from '../../core/slide/field-result.js';
import { makeReview, ReviewError } from '../../core/slide/review.js';
import { type CellReview } from '@malaria/contract';
import { countReviews, slideResult } from '@malaria/contract';
import { buildArchive, parseArchive, type RecordsArchive } from '../../core/records/archive.js';
import { bytesToBase64 } from '../../core/records/base64.js';
import { CELL_CSV_HEADER, cellsCsv, SESSION_CSV_HEADER, sessionsCsv } from '../../core/records/csv.js';
import { EvidenceError, toWhereMapRecord } from '../../core/records/evidence.js';
import { ArchiveError } from '../../core/records/errors.js';
import type { V2FieldRecord, V2SessionRecord } from '../../core/records/migrations.js';
import { RecordsStore } from './records-store.js';
import {
  DB_VERSION,
  type CellEvidence,
  type FieldRecord,
  type SessionRecord,
  type StoredVerdict,
} from '../../core/records/schema.js';

let dbCounter = 0;
const freshName = () => `test-records-v3-${++dbCounter}-${Math.random().toString(36).slice(2)}`;
const tick = () => new Promise((r) => setTimeout(r, 3));

function cell(label: SessionCell['label'], probability: number, x = 10): SessionCell {
  return { x, y: 20, box: { x: x - 5, y: 15, width: 10, height: 10 }, label, probability };
}

function field(name: string, cells: SessionCell[]): FieldResult {
  return { kind: 'field', name, width: 640, height: 480, cells };
}

const image = (n: number, side = 64) => ({
  bytes: new Uint8Array([n, 1, 2, 3, 255]).buffer,
  type: 'image/webp',
  width: side,
  height: side,
});

function evidence(cellIndex: number, n = cellIndex): CellEvidence {
  const values = new Uint8Array(16).map((_, i) => (i * 16 + n) % 256);
  return {
    cell: cellIndex,
    image: image(100 + n, 256),
    region: { x: 0, y: 0, width: 120, height: 120 },
    where: toWhereMapRecord({ width: 4, height: 4, values }, { x: 5, y: 15, width: 10, height: 10 }),
  };
}

/** Replaces every ArrayBuffer by its base64 text, so records compare by their bytes. */
function bytesAsText(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return `bytes:${bytesToBase64(v)}`;
  if (Array.isArray(v)) return v.map(bytesAsText);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bytesAsText(x)]));
  return v;
}

const FLAGGED = [
  cell('Parasitized', 0.97),
  cell('Uninfected', 0.01, 30),
  cell('WhiteBloodCell', 0, 50),
  cell('Inconclusive', 0.5, 70),
];

async function newSession(store: RecordsStore, identifier = 'S-1', targetRedCells = 1000) {
  return store.createSession({ identifier, targetRedCells, confidentProbability: 0.9, modelName: 'test-model' });
}

/** A session with two images; the first carries evidence for its two flagged cells. */
async function seeded(store: RecordsStore, identifier = 'S-1', targetRedCells = 1000) {
  const s = await newSession(store, identifier, targetRedCells);
  const a = await store.addField(s.id, field('a.jpg', FLAGGED), image(1), [evidence(3), evidence(0)]);
  const b = await store.addField(s.id, field('b.jpg', [cell('Parasitized', 0.8), cell('Uninfected', 0.02)]), image(2));
  return { id: s.id, a: a.field, b: b.field, session: b.session };
}

async function storedCounts(store: RecordsStore, id: string) {
  const full = await store.getSession(id);
  return countReviews(full!.fields);
}

const confirmed = (at = 1_700_000_000_000): CellReview => makeReview('confirmed', at);
const rejected = (reason: CellReview['reason'], at = 1_700_000_001_000): CellReview =>
  makeReview('rejected', at, reason);

// ---- migration ---------------------------------------------------------------------------------

const RULE = {
  confidentProbability: 0.825,
  minParasitizedCells: 17,
  minParasitizedFraction: 0,
  minCellsForNegative: 500,
  description: 'Positive if at least 17 red cells are parasitized with P ≥ 0.825.',
  validation: { patients: 25, sensitivity: 0.526, specificity: 1 },
};

/** What the v2 rule gives on the cells of 'ended-1' (3 red cells, 1 confident parasitized): a verdict that agrees with its cells. */
const V2_VERDICT: StoredVerdict = {
  verdict: 'Inconclusive',
  reason: 'Only 3 red cells counted; at least 500 are needed for a negative call',
  rule: RULE,
  ruleFromModel: true,
  decidedAt: 1_714_000_100_000,
};

function v2Session(id: string, over: Partial<V2SessionRecord> = {}): V2SessionRecord {
  return {
    id,
    identifier: `Slide ${id}`,
    identifierKey: `slide ${id}`,
    createdAt: 1_714_000_000_000,
    updatedAt: 1_714_000_100_000,
    endedAt: 1_714_000_100_000,
    targetRedCells: 500,
    bloodCount: { kind: 'rbc', rbcPerMicrolitre: 4_500_000 },
    totals: {
      redCells: 3,
      parasitized: 1,
      uninfected: 1,
      inconclusive: 1,
      whiteBloodCells: 1,
      confidentParasitized: 1,
    },
    confidentProbability: 0.825,
    fieldCount: 1,
    verdict: V2_VERDICT,
    modelName: 'nih-cnn',
    ...over,
  };
}

function v2Field(id: string, sessionId: string, cells: SessionCell[], index = 1): V2FieldRecord {
  return {
    id,
    sessionId,
    index,
    addedAt: 1_714_000_050_000,
    kind: 'field',
    name: `${id}.jpg`,
    width: 4000,
    height: 3000,
    cells,
    image: { bytes: new Uint8Array([9, 8, 7, index]).buffer, type: 'image/jpeg', width: 1024, height: 768 },
  };
}

const V2_SESSIONS = [
  v2Session('ended-1'),
  v2Session('open-2', {
    endedAt: null,
    verdict: null,
    fieldCount: 2,
    updatedAt: 1_714_000_200_000,
    totals: {
      redCells: 3,
      parasitized: 1,
      uninfected: 1,
      inconclusive: 1,
      whiteBloodCells: 0,
      confidentParasitized: 0,
    },
  }),
];
const V2_FIELDS = [
  v2Field('f-1', 'ended-1', FLAGGED),
  v2Field('f-2', 'open-2', [cell('Parasitized', 0.6)], 1),
  v2Field('f-3', 'open-2', [cell('Uninfected', 0.1), cell('Inconclusive', 0.4)], 2),
];

async function seedV2(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.open(name, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
      sessions.createIndex('createdAt', 'createdAt');
      sessions.createIndex('identifierKey', 'identifierKey');
      const fields = db.createObjectStore('fields', { keyPath: 'id' });
      fields.createIndex('sessionId', 'sessionId');
      for (const s of V2_SESSIONS) sessions.put(s);
      for (const f of V2_FIELDS) fields.put(f);
    };
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error);
  });
}

async function dbVersion(name: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      resolve(req.result.version);
      req.result.close();
    };
  });
}

describe('schema migration v2 → v3', () => {
  it('keeps every v2 record; adds reviews, evidence, reviewer, review counts; the model verdict becomes legacy', async () => {
    expect(DB_VERSION).toBe(3);
    const name = freshName();
    await seedV2(name);
    const store = await RecordsStore.open(name);
    const { sessions, fields } = await store.everything();
    expect(sessions.map((s) => s.id).sort()).toEqual(['ended-1', 'open-2']);
    for (const old of V2_SESSIONS) {
      const now = sessions.find((s) => s.id === old.id)!;
      const { verdict: oldVerdict, ...unchanged } = old;
      // nothing of v2 lost or changed (dates included: an ended session stays ended)
      expect(now).toMatchObject(unchanged);
      expect(now.legacyModelVerdict).toEqual(oldVerdict);
      expect(now.verdict).toBeNull();
      expect(now.reviewer).toBeNull();
    }
    const ended = sessions.find((s) => s.id === 'ended-1')!;
    expect(ended.endedAt).toBe(1_714_000_100_000);
    expect(ended.review).toEqual({
      redCells: 3,
      whiteBloodCells: 1,
      queued: 2,
      pending: 2,
      confirmed: 0,
      rejected: 0,
      unsure: 0,
    });
    const open = sessions.find((s) => s.id === 'open-2')!;
    expect(open.review).toEqual({
      redCells: 3,
      whiteBloodCells: 0,
      queued: 2,
      pending: 2,
      confirmed: 0,
      rejected: 0,
      unsure: 0,
    });

    expect(fields).toHaveLength(3);
    for (const old of V2_FIELDS) {
      const now = fields.find((f) => f.id === old.id)!;
      expect(bytesAsText(now)).toEqual(
        bytesAsText({ ...old, cells: old.cells.map((c) => ({ ...c, review: null })), evidence: [] }),
      );
    }
    expect(await store.latestOpenSession()).toMatchObject({ id: 'open-2' });

    // the migrated database is fully usable: review a migrated cell, the ended session re-opens
    const r = await store.reviewCell('ended-1', 'f-1', 0, confirmed());
    expect(r.session).toMatchObject({ endedAt: null, verdict: null, legacyModelVerdict: V2_VERDICT });
    expect(r.session.review).toMatchObject({ confirmed: 1, pending: 1 });
    store.close();
    expect(await dbVersion(name)).toBe(3);
  });

  it('a v1 database goes through v2 to v3 (chain)', async () => {
    const name = freshName();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const s = req.result.createObjectStore('sessions', { keyPath: 'id' });
        s.createIndex('createdAt', 'createdAt');
        s.put({
          id: 'v1-a',
          identifier: 'Old slide',
          createdAt: '2024-05-01T08:30:00.000Z',
          endedAt: '2024-05-01T08:45:00.000Z',
          target: 1000,
          redCells: 2,
          parasitized: 1,
          inconclusive: 0,
          verdict: 'Negative',
          fields: [
            { name: 'x.jpg', width: 100, height: 80, cells: [cell('Parasitized', 0.95), cell('Uninfected', 0.05)] },
          ],
        });
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const store = await RecordsStore.open(name);
    const got = await store.getSession('v1-a');
    expect(got?.session).toMatchObject({
      identifier: 'Old slide',
      endedAt: Date.parse('2024-05-01T08:45:00.000Z'),
      verdict: null,
      legacyModelVerdict: { verdict: 'Negative', rule: null, ruleFromModel: false },
      reviewer: null,
      review: { redCells: 2, queued: 1, pending: 1 },
    });
    expect(got?.fields[0]).toMatchObject({ id: 'v1-a-f1', evidence: [] });
    expect(got?.fields[0]?.cells.map((c) => c.review)).toEqual([null, null]);
    store.close();
    expect(await dbVersion(name)).toBe(3);
  });
});

// ---- store -------------------------------------------------------------------------------------

describe('RecordsStore v3', () => {
  it('addField stores cells with review null, evidence sorted by cell, and returns session + field', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a, session } = await seeded(store);
    expect(a.cells.map((c) => c.review)).toEqual([null, null, null, null]);
    expect(a.evidence.map((e) => e.cell)).toEqual([0, 3]);
    expect(session.review).toEqual({
      redCells: 5,
      whiteBloodCells: 1,
      queued: 3,
      pending: 3,
      confirmed: 0,
      rejected: 0,
      unsure: 0,
    });
    expect(session.totals).toMatchObject({ redCells: 5, parasitized: 2, whiteBloodCells: 1 });
    const stored = await store.getSession(id);
    expect(bytesAsText(stored?.fields[0])).toEqual(bytesAsText(a));
    expect(new Uint8Array(stored!.fields[0]!.evidence[1]!.where!.values)).toEqual(
      new Uint8Array(16).map((_, i) => (i * 16 + 3) % 256),
    );
    // a review already on an incoming cell is kept (e.g. re-analysis of a reviewed image)
    const pre = await store.addField(id, field('c.jpg', [{ ...cell('Parasitized', 0.9), review: confirmed() }]), null);
    expect(pre.field.cells[0]?.review).toEqual(confirmed());
    expect(pre.session.review.confirmed).toBe(1);
    store.close();
  });

  it('addField refuses bad evidence and writes nothing', async () => {
    const store = await RecordsStore.open(freshName());
    const s = await newSession(store);
    const cells = [cell('Parasitized', 0.9), cell('Uninfected', 0.1)];
    const bad: [string, CellEvidence[], RegExp][] = [
      ['index past the cells', [evidence(2)], /2 cells/],
      ['negative index', [evidence(-1)], /cell index -1/],
      ['fractional index', [{ ...evidence(0), cell: 0.5 }], /cell index 0\.5/],
      ['twice the same cell', [evidence(0), evidence(0)], /twice/],
      ['crop too large', [{ ...evidence(0), image: image(1, 257) }], /1–256 px/],
      ['wrong image type', [{ ...evidence(0), image: { ...image(1), type: 'text/html' } }], /not accepted/],
      ['map size', [{ ...evidence(0), where: { ...evidence(0).where!, width: 5 } }], /20 bytes/],
      ['empty region', [{ ...evidence(0), region: { x: 0, y: 0, width: 0, height: 4 } }], /region/],
    ];
    for (const [what, ev, message] of bad) {
      await expect(store.addField(s.id, field(what, cells), null, ev), what).rejects.toThrow(message);
      await expect(store.addField(s.id, field(what, cells), null, ev), what).rejects.toBeInstanceOf(EvidenceError);
    }
    const after = await store.getSession(s.id);
    expect(after?.fields).toEqual([]);
    expect(after?.session.fieldCount).toBe(0);
    store.close();
  });

  it('reviewCell updates the cell and the session counts in step, keeps everything else', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a, b } = await seeded(store);
    let r = await store.reviewCell(id, a.id, 0, confirmed());
    expect(r.field.cells[0]?.review).toEqual(confirmed());
    expect(r.field.cells[0]).toMatchObject({ label: 'Parasitized', probability: 0.97 }); // the model's call is kept
    expect(r.session.review).toMatchObject({ queued: 3, pending: 2, confirmed: 1 });
    r = await store.reviewCell(id, a.id, 3, rejected('white-cell'));
    // rejected as a white cell: out of the red-cell denominator, still a decided queue item
    expect(r.session.review).toMatchObject({ redCells: 4, whiteBloodCells: 2, queued: 3, pending: 1, rejected: 1 });
    r = await store.reviewCell(id, b.id, 0, makeReview('unsure', 1_700_000_000_005));
    expect(r.session.review).toMatchObject({ pending: 0, unsure: 1 });
    // the user puts a cell the model called Uninfected into the queue
    r = await store.reviewCell(id, b.id, 1, makeReview('pending', 1_700_000_000_006));
    expect(r.session.review).toMatchObject({ queued: 4, pending: 1 });
    // clearing a review: the flagged cell is pending again, the hand-added one leaves the queue
    r = await store.reviewCell(id, a.id, 3, null);
    expect(r.session.review).toMatchObject({ redCells: 5, whiteBloodCells: 1, queued: 4, pending: 2, rejected: 0 });
    r = await store.reviewCell(id, b.id, 1, null);
    expect(r.session.review).toMatchObject({ queued: 3, pending: 1, confirmed: 1, unsure: 1 });
    // the evidence and the image are untouched by reviews
    expect(bytesAsText(r.field.image)).toEqual(bytesAsText(image(2)));
    const stored = await store.getSession(id);
    expect(stored?.session.review).toEqual(await storedCounts(store, id));
    expect(stored?.session.review).toEqual(r.session.review);
    expect(bytesAsText(stored?.fields[0]?.evidence)).toEqual(bytesAsText(a.evidence));
    store.close();
  });

  it('a review survives closing and reopening the database (a reload mid-review)', async () => {
    const name = freshName();
    const store = await RecordsStore.open(name);
    const { id, a } = await seeded(store);
    await store.reviewCell(id, a.id, 0, rejected('stain-debris'));
    store.close();
    const again = await RecordsStore.open(name);
    const got = await again.getSession(id);
    expect(got?.fields[0]?.cells[0]?.review).toEqual({
      decision: 'rejected',
      reason: 'stain-debris',
      at: 1_700_000_001_000,
    });
    expect(got?.fields[0]?.evidence).toHaveLength(2);
    expect(got?.session.review.rejected).toBe(1);
    again.close();
  });

  it('reviewCell re-opens an ended session; the same review again changes nothing', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a } = await seeded(store);
    await store.reviewCell(id, a.id, 0, confirmed());
    const full = await store.getSession(id);
    const ended = await store.endSession(id, slideResult(full!.fields, full!.session.targetRedCells, 0.9));
    expect(ended.verdict?.verdict).toBe('positive');
    const same = await store.reviewCell(id, a.id, 0, confirmed());
    expect(same.session).toEqual(ended);
    await tick();
    const changed = await store.reviewCell(id, a.id, 0, rejected(null));
    expect(changed.session.endedAt).toBeNull();
    expect(changed.session.verdict).toBeNull();
    expect(changed.session.updatedAt).toBeGreaterThan(ended.updatedAt);
    expect((await store.latestOpenSession())?.id).toBe(id);
    store.close();
  });

  it('reviewCell says clearly what does not exist, and refuses white cells and malformed reviews', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a } = await seeded(store);
    const other = await seeded(store, 'S-2');
    await expect(store.reviewCell('no-such-session', a.id, 0, confirmed())).rejects.toThrow(/no longer exists/);
    await expect(store.reviewCell(id, 'no-such-field', 0, confirmed())).rejects.toThrow(/not part of session "S-1"/);
    await expect(store.reviewCell(id, other.a.id, 0, confirmed())).rejects.toThrow(/not part of session/);
    await expect(store.reviewCell(id, a.id, 4, confirmed())).rejects.toThrow(
      /Cell 4 does not exist in image "a\.jpg" \(it has 4 cells\)/,
    );
    await expect(store.reviewCell(id, a.id, -1, confirmed())).rejects.toThrow(/does not exist/);
    await expect(store.reviewCell(id, a.id, 1.5, confirmed())).rejects.toThrow(/does not exist/);
    await expect(store.reviewCell(id, a.id, 2, confirmed())).rejects.toThrow(/white blood cell/);
    const bogus = { decision: 'maybe', reason: null, at: 1 } as unknown as CellReview;
    await expect(store.reviewCell(id, a.id, 0, bogus)).rejects.toBeInstanceOf(ReviewError);
    // nothing was written by the failures
    const got = await store.getSession(id);
    expect(got?.fields[0]?.cells.every((c) => c.review === null)).toBe(true);
    expect(got?.session.review.pending).toBe(3);
    store.close();
  });

  it('endSession stores the review result with the reviewer, and refuses a result the stored cells do not give', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a, b } = await seeded(store, 'S-1', 5);
    await store.updateSettings(id, { reviewer: '  Dr A. Mensah  ' });
    await expect(store.endSession(id, { verdict: 'negative' })).rejects.toThrow(
      /does not match the saved reviews, which give incomplete/,
    );
    expect((await store.getSession(id))?.session.endedAt).toBeNull();
    await store.reviewCell(id, a.id, 0, rejected('platelet'));
    await store.reviewCell(id, a.id, 3, rejected('stain-debris'));
    await store.reviewCell(id, b.id, 0, rejected(null));
    const full = await store.getSession(id);
    const result = slideResult(full!.fields, full!.session.targetRedCells, null);
    expect(result.verdict).toBe('negative');
    const before = Date.now();
    const ended = await store.endSession(id, result);
    expect(ended.verdict).toEqual({
      verdict: 'negative',
      reason: resultReason(result),
      missing: [],
      decidedAt: ended.endedAt,
      reviewer: 'Dr A. Mensah',
    });
    expect(ended.endedAt).toBeGreaterThanOrEqual(before);
    expect(ended.legacyModelVerdict).toBeNull();
    expect(ended.review).toEqual(result.counts);
    await expect(store.endSession('gone', result)).rejects.toThrow(/no longer exists/);
    store.close();
  });

  it('updateSettings: reviewer trimmed, empty → null, at most 100 characters; a new target re-opens', async () => {
    const store = await RecordsStore.open(freshName());
    const s = await store.createSession({
      identifier: 'R',
      targetRedCells: 3,
      confidentProbability: 0.9,
      modelName: null,
      reviewer: ' KM ',
    });
    expect(s.reviewer).toBe('KM');
    expect((await store.updateSettings(s.id, { reviewer: '   ' })).reviewer).toBeNull();
    expect((await store.updateSettings(s.id, { reviewer: 'x'.repeat(100) })).reviewer).toHaveLength(100);
    await expect(store.updateSettings(s.id, { reviewer: 'x'.repeat(101) })).rejects.toThrow(/at most 100/);
    expect((await store.getSession(s.id))?.session.reviewer).toHaveLength(100);
    const { field: f } = await store.addField(
      s.id,
      field('a', [cell('Uninfected', 0.1), cell('Uninfected', 0.1), cell('Uninfected', 0.1)]),
      null,
    );
    expect(f.cells).toHaveLength(3);
    const ended = await store.endSession(s.id, slideResult([f], 3, null));
    expect(ended.verdict?.verdict).toBe('negative');
    // blood count and reviewer do not change the result; the target does
    const blood = await store.updateSettings(s.id, {
      bloodCount: { kind: 'haematocrit', haematocritPercent: 40 },
      reviewer: 'B',
    });
    expect(blood.verdict?.verdict).toBe('negative');
    expect(blood.verdict?.reviewer).toBe('x'.repeat(100)); // the result keeps who decided it
    expect((await store.updateSettings(s.id, { targetRedCells: 3 })).endedAt).not.toBeNull();
    const retarget = await store.updateSettings(s.id, { targetRedCells: 1000 });
    expect(retarget).toMatchObject({ endedAt: null, verdict: null, targetRedCells: 1000 });
    store.close();
  });

  it('putEvidence adds or replaces evidence per cell without touching the result', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a, b } = await seeded(store);
    const r = await store.putEvidence(id, b.id, [evidence(1, 9)]);
    expect(r.field.evidence.map((e) => e.cell)).toEqual([1]);
    const replaced = await store.putEvidence(id, a.id, [{ ...evidence(3, 7), where: null }]);
    expect(replaced.field.evidence.map((e) => [e.cell, e.where === null])).toEqual([
      [0, false],
      [3, true],
    ]);
    await expect(store.putEvidence(id, a.id, [evidence(9)])).rejects.toThrow(EvidenceError);
    await expect(store.putEvidence(id, 'nope', [evidence(0)])).rejects.toThrow(/not part of session/);
    store.close();
  });
});

// ---- archive -----------------------------------------------------------------------------------

describe('JSON archive v3', () => {
  async function reviewedDevice() {
    const store = await RecordsStore.open(freshName());
    const one = await seeded(store, 'Device slide 1', 3);
    await store.updateSettings(one.id, { reviewer: 'KM' });
    await store.reviewCell(one.id, one.a.id, 0, confirmed());
    await store.reviewCell(one.id, one.a.id, 3, rejected('white-cell'));
    await store.reviewCell(one.id, one.b.id, 1, makeReview('unsure', 1_700_000_000_042));
    const full = await store.getSession(one.id);
    await store.endSession(one.id, slideResult(full!.fields, 3, null));
    const two = await seeded(store, 'Device slide 2');
    await store.putEvidence(two.id, two.b.id, [{ ...evidence(0), where: null }]);
    return { store, one, two };
  }

  it('round-trips reviews, evidence and results; re-exporting gives the identical archive', async () => {
    const { store: source, one } = await reviewedDevice();
    const before = await source.everything();
    expect(before.sessions.find((s) => s.id === one.id)?.verdict?.verdict).toBe('positive');
    const archive = buildArchive(before.sessions, before.fields, new Date(0));
    expect(archive.schemaVersion).toBe(3);
    const text = JSON.stringify(archive);
    const a0 = JSON.parse(text) as RecordsArchive;
    expect(a0.fields[0]?.evidence[0]?.image.base64).toBe(bytesToBase64(image(100, 256).bytes));
    expect(typeof a0.fields[0]?.evidence[0]?.where?.base64).toBe('string');

    const target = await RecordsStore.open(freshName());
    const parsed = parseArchive(JSON.parse(text));
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
    expect(bytesAsText(after.fields)).toEqual(bytesAsText(before.fields));
    expect(JSON.stringify(buildArchive(after.sessions, after.fields, new Date(0)))).toBe(text);
    expect(await target.merge(parsed.sessions, parsed.fields)).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
      fieldsAdded: 0,
      fieldsUpdated: 0,
      details: [],
    });
    source.close();
    target.close();
  });

  it('merge: the newer copy of a session brings its reviews; an older copy changes nothing', async () => {
    const { store: a, two } = await reviewedDevice();
    const firstExport = await a.everything();
    const b = await RecordsStore.open(freshName());
    await b.merge(firstExport.sessions, firstExport.fields);
    await tick();
    // device B reviews a cell of session two: its copy is newer
    await b.reviewCell(two.id, two.a.id, 0, confirmed());
    const fromB = await b.everything();
    expect(await a.merge(fromB.sessions, fromB.fields)).toMatchObject({
      added: 0,
      updated: 1,
      unchanged: 1,
      copies: 0,
      fieldsAdded: 0,
      fieldsUpdated: 1,
      reviewsUpdated: 1,
    });
    const onA = await a.getSession(two.id);
    expect(onA?.fields[0]?.cells[0]?.review).toEqual(confirmed());
    expect(onA?.session.review).toEqual(await storedCounts(a, two.id));
    expect(onA?.session.review.confirmed).toBe(1);
    // the older export again: B keeps its review
    expect(await b.merge(firstExport.sessions, firstExport.fields)).toMatchObject({
      updated: 0,
      unchanged: 2,
      fieldsUpdated: 0,
    });
    expect((await b.getSession(two.id))?.fields[0]?.cells[0]?.review).toEqual(confirmed());
    a.close();
    b.close();
  });

  it('merge: an image new to a kept session is added, counts recounted and an ended session re-opened', async () => {
    const { store, one } = await reviewedDevice();
    const here = (await store.getSession(one.id))!;
    expect(here.session.endedAt).not.toBeNull();
    const olderCopy: SessionRecord = { ...here.session, updatedAt: here.session.updatedAt - 10_000 };
    const extra: FieldRecord = {
      ...here.fields[0]!,
      id: 'diverged-field',
      index: 3,
      cells: [{ ...cell('Parasitized', 0.99), review: null }],
      evidence: [],
    };
    expect(await store.merge([olderCopy], [extra])).toMatchObject({
      added: 0,
      updated: 1,
      unchanged: 0,
      fieldsAdded: 1,
      fieldsUpdated: 0,
      reopened: 1,
    });
    const after = (await store.getSession(one.id))!;
    expect(after.fields).toHaveLength(3);
    expect(after.session.review).toEqual(countReviews(after.fields));
    expect(after.session.review.pending).toBe(here.session.review.pending + 1);
    expect(after.session).toMatchObject({ endedAt: null, verdict: null });
    store.close();
  });

  it('validates every v3 field and says where', async () => {
    const { store } = await reviewedDevice();
    const all = await store.everything();
    store.close();
    const good = JSON.parse(JSON.stringify(buildArchive(all.sessions, all.fields))) as RecordsArchive;
    expect(parseArchive(good).fields).toHaveLength(4);
    const broken = (mutate: (a: RecordsArchive) => void) => {
      const a = JSON.parse(JSON.stringify(good)) as RecordsArchive;
      mutate(a);
      return () => parseArchive(a);
    };
    const reviewedField = (a: RecordsArchive) => a.fields.find((f) => f.cells[0]?.review?.decision === 'confirmed')!;
    const endedSession = (a: RecordsArchive) => a.sessions.find((s) => s.verdict !== null)!;
    const withEvidence = (a: RecordsArchive) => a.fields.find((f) => f.evidence.length === 2)!;
    expect(broken((a) => ((reviewedField(a).cells[0]!.review as { decision: string }).decision = 'maybe'))).toThrow(
      /review\.decision/,
    );
    expect(broken((a) => ((reviewedField(a).cells[0]!.review as { reason: string }).reason = 'dog'))).toThrow(
      /review\.reason/,
    );
    expect(broken((a) => (reviewedField(a).cells[0]!.review!.at = -5))).toThrow(/epoch/);
    // Derived values are not trusted from the file: recomputed from the cells, and said.
    const recount = (mutate: (a: RecordsArchive) => void) => {
      const a = JSON.parse(JSON.stringify(good)) as RecordsArchive;
      mutate(a);
      return parseArchive(a);
    };
    const unreviewed = recount((a) => (reviewedField(a).cells[0]!.review = null));
    expect(
      unreviewed.sessions.find((s) => s.verdict === null && s.endedAt === null && s.identifier === 'Device slide 1')
        ?.review.confirmed,
    ).toBe(0);
    expect(unreviewed.notes.join('\n')).toMatch(/review counts said .* 1 confirmed.*its cells give .* 0 confirmed/);
    expect(unreviewed.notes.join('\n')).toMatch(
      /stored result \(positive\) is not what its cells give \(incomplete\): result removed and the slide re-opened/,
    );
    const claimed = recount((a) => (endedSession(a).review.confirmed = 7));
    expect(claimed.sessions.find((s) => s.identifier === 'Device slide 1')?.review.confirmed).toBe(1);
    expect(claimed.notes).toHaveLength(1);
    expect(broken((a) => delete (endedSession(a) as Partial<SessionRecord>).review)).toThrow(/missing review counts/);
    expect(broken((a) => (withEvidence(a).evidence[1]!.cell = 4))).toThrow(
      /field \d: evidence for cell index 4: the image has 4 cells/,
    );
    expect(broken((a) => (withEvidence(a).evidence[1]!.cell = 0))).toThrow(/appears twice/);
    expect(broken((a) => (withEvidence(a).evidence[0]!.image.type = 'image/svg+xml'))).toThrow(/not accepted/);
    expect(broken((a) => (withEvidence(a).evidence[0]!.image.width = 300))).toThrow(/1–256 px/);
    expect(broken((a) => (withEvidence(a).evidence[0]!.where!.height = 5))).toThrow(
      /where map must hold width × height = 20 bytes/,
    );
    expect(broken((a) => (withEvidence(a).evidence[0]!.where!.base64 = '!!'))).toThrow(/not base64/);
    expect(broken((a) => delete (withEvidence(a) as Partial<RecordsArchive['fields'][number]>).evidence)).toThrow(
      /missing evidence list/,
    );
    expect(broken((a) => (endedSession(a).reviewer = 'x'.repeat(101)))).toThrow(
      /"reviewer" must be null or a trimmed name/,
    );
    expect(broken((a) => (endedSession(a).reviewer = ' KM'))).toThrow(/trimmed/);
    expect(broken((a) => ((endedSession(a).verdict as { verdict: string }).verdict = 'Positive'))).toThrow(
      /verdict\.verdict must be one of positive/,
    );
    expect(broken((a) => ((endedSession(a).verdict as { missing: unknown }).missing = 'none'))).toThrow(
      /missing must be a list/,
    );
    expect(broken((a) => ((endedSession(a).verdict as { reviewer: unknown }).reviewer = 5))).toThrow(
      /verdict\.reviewer/,
    );
    expect(
      broken(
        (a) => ((endedSession(a) as { legacyModelVerdict: unknown }).legacyModelVerdict = { verdict: 'positive' }),
      ),
    ).toThrow(/legacyModelVerdict\.verdict/);
    expect(broken((a) => (a.schemaVersion = 4))).toThrow(/schema version 4 is not supported/);
    expect(broken((a) => delete (a as Partial<RecordsArchive>).schemaVersion)).toThrow(ArchiveError);
  });

  it('imports a schema v2 archive, converted as the database migration converts v2 records', async () => {
    const v2Archive = {
      format: 'malaria-screen-records',
      formatVersion: 1,
      schemaVersion: 2,
      exportedAt: '2024-05-01T09:00:00.000Z',
      sessions: V2_SESSIONS,
      fields: V2_FIELDS.map((f) => ({
        ...f,
        image: f.image && {
          type: f.image.type,
          width: f.image.width,
          height: f.image.height,
          base64: bytesToBase64(f.image.bytes),
        },
      })),
    };
    const parsed = parseArchive(JSON.parse(JSON.stringify(v2Archive)));
    const ended = parsed.sessions.find((s) => s.id === 'ended-1')!;
    const { verdict: oldVerdict, ...unchanged } = V2_SESSIONS[0]!;
    expect(ended).toMatchObject(unchanged);
    expect(ended).toMatchObject({
      verdict: null,
      legacyModelVerdict: oldVerdict,
      reviewer: null,
      review: { queued: 2, pending: 2 },
    });
    expect(parsed.fields.every((f) => f.evidence.length === 0 && f.cells.every((c) => c.review === null))).toBe(true);

    // same records as the database migration gives
    const name = freshName();
    await seedV2(name);
    const migrated = await RecordsStore.open(name);
    const viaDb = await migrated.everything();
    migrated.close();
    const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((p, q) => p.id.localeCompare(q.id));
    expect(byId(parsed.sessions)).toEqual(byId(viaDb.sessions));
    expect(bytesAsText(byId(parsed.fields))).toEqual(bytesAsText(byId(viaDb.fields)));

    // and it can be merged, reviewed and exported as v3
    const store = await RecordsStore.open(freshName());
    expect(await store.merge(parsed.sessions, parsed.fields)).toMatchObject({ added: 2, fieldsAdded: 3 });
    const r = await store.reviewCell('open-2', 'f-2', 0, confirmed());
    expect(r.session.review.confirmed).toBe(1);
    const all = await store.everything();
    expect(parseArchive(JSON.parse(JSON.stringify(buildArchive(all.sessions, all.fields)))).sessions).toHaveLength(2);
    store.close();
  });

  it('rejects a v2 archive with broken v2 records', () => {
    const v2 = (over: Record<string, unknown>) => ({
      format: 'malaria-screen-records',
      formatVersion: 1,
      schemaVersion: 2,
      exportedAt: '2024-05-01T09:00:00.000Z',
      sessions: [{ ...V2_SESSIONS[0], ...over }],
      fields: [],
    });
    expect(() => parseArchive(v2({ verdict: { ...V2_VERDICT, verdict: 'positive' } }))).toThrow(
      /Positive, Negative or Inconclusive/,
    );
    expect(() => parseArchive(v2({ totals: { ...V2_SESSIONS[0]!.totals, redCells: 9 } }))).toThrow(/do not add up/);
    expect(parseArchive(v2({})).sessions[0]?.review.queued).toBe(0); // its fields are not in this archive
  });
});

// ---- CSV -----------------------------------------------------------------------------------------

describe('CSV review columns', () => {
  const OLD_SESSION_COLUMNS =
    'identifier,session_id,started,ended,fields,red_cells,parasitized,uninfected,inconclusive,white_blood_cells,confident_parasitized,parasitaemia_percent,target_red_cells,rbc_per_uL,parasites_per_uL,verdict,verdict_reason,verdict_rule,model';
  const OLD_CELL_COLUMNS =
    'identifier,session_id,field_index,field_name,field_kind,image_width,image_height,cell_index,x,y,box_x,box_y,box_width,box_height,label,p_parasitized';

  it('appends the new columns after the existing ones', () => {
    expect(SESSION_CSV_HEADER.join(',')).toBe(
      `${OLD_SESSION_COLUMNS},reviewer,confirmed_parasitized,queued,pending_review,rejected,unsure,result,result_reason`,
    );
    expect(CELL_CSV_HEADER.join(',')).toBe(`${OLD_CELL_COLUMNS},in_queue,review,review_reason,reviewed_at`);
  });

  it('per cell: queue membership, decision, reason and time', async () => {
    const store = await RecordsStore.open(freshName());
    const { id, a, b } = await seeded(store);
    await store.reviewCell(id, a.id, 0, confirmed(Date.parse('2024-06-01T10:00:00.000Z')));
    await store.reviewCell(id, a.id, 3, rejected('platelet', Date.parse('2024-06-01T10:01:00.000Z')));
    await store.reviewCell(id, b.id, 1, makeReview('pending', 1_700_000_000_077)); // added by the user, not decided
    const { sessions, fields } = await store.everything();
    const rows = cellsCsv(sessions, fields).trimEnd().split('\r\n').slice(1);
    const tail = (r: string) => r.split(',').slice(-6).join(',');
    expect(rows.map(tail)).toEqual([
      'Parasitized,0.97,1,confirmed,,2024-06-01T10:00:00.000Z',
      'Uninfected,0.01,0,,,',
      'WhiteBloodCell,0,0,,,',
      'Inconclusive,0.5,1,rejected,platelet,2024-06-01T10:01:00.000Z',
      'Parasitized,0.8,1,pending,,',
      'Uninfected,0.02,1,pending,,',
    ]);
    store.close();
  });

  it('per session: review counts, result and the legacy model-only verdict labelled as such', async () => {
    const name = freshName();
    await seedV2(name);
    const store = await RecordsStore.open(name);
    await store.updateSettings('open-2', { reviewer: 'Dr, "Q"' });
    await store.reviewCell('open-2', 'f-2', 0, confirmed());
    const full = await store.getSession('open-2');
    await store.endSession('open-2', slideResult(full!.fields, full!.session.targetRedCells, null));
    const { sessions } = await store.everything();
    const lines = sessionsCsv(sessions).trimEnd().split('\r\n');
    const byId = (id: string) => lines.find((l) => l.includes(`,${id},`))!;
    const legacy = byId('ended-1');
    expect(legacy).toContain(
      ',Inconclusive,Only 3 red cells counted; at least 500 are needed for a negative call,model-only estimate (older version): Positive if at least 17 red cells are parasitized with P ≥ 0.825.,nih-cnn,,0,2,2,0,0,,',
    );
    expect(legacy.endsWith(',nih-cnn,,0,2,2,0,0,,')).toBe(true);
    const reviewed = byId('open-2');
    expect(reviewed).toMatch(
      /,positive,1 parasitized red cell confirmed by the reviewer among 3 red cells counted\.,microscopist review,nih-cnn,"Dr, ""Q""",1,2,1,0,0,positive,1 parasitized red cell confirmed/,
    );
    store.close();
  });
});
