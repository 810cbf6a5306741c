/**
 * Issue 13 "Records you can trust", items 2–5, against the real store (fake-indexeddb):
 *  2. records never contradict their cells (import and open derive everything from the cells;
 *     conflicting sessions are merged cell by cell or imported as a copy, and the report says so);
 *  3. every number of an archive is checked against physical bounds; one bad stored record never
 *     stops exports of the others;
 *  4. a write in one tab reaches the other tabs (BroadcastChannel) and their session screen;
 *  5. clear failures: IndexedDB unavailable, a schema upgrade in another tab; older unfinished
 *     sessions can be continued and ended; an import shows Continue without a reload.
 */
import { missingSentences, resultReason } from '../../core/slide/result-text.js';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { makeReview } from '../../core/slide/review.js';
import { SessionController, type SessionStorePort } from '../../core/slide/session-controller.js';
import { slideResult } from '@malaria/contract';
import { buildArchive, parseArchive, type RecordsArchive } from '../../core/records/archive.js';
import { formatRecordTime } from '../../core/records/bounds.js';
import { type RecordsChangeEvent } from '../../core/records/change-events.js';
import { cellsCsv, sessionsCsv } from '../../core/records/csv.js';
import { ArchiveError, RecordsUnavailableError } from '../../core/records/errors.js';
import { RecordsStore } from './records-store.js';
import {
  archiveOf,
  contradictions,
  makeCell,
  makeField,
  makeSession,
  putRaw,
  rawRecords,
  T0,
} from './records-test-kit.js';
import type { FieldRecord, StoredCell } from '../../core/records/schema.js';

let n = 0;
const freshName = () => `trust-${++n}-${Math.random().toString(36).slice(2)}`;

function uninfected(
  count: number,
  review: (i: number) => ReturnType<typeof makeReview> | null = () => null,
): StoredCell[] {
  return Array.from({ length: count }, (_, i) =>
    makeCell('Uninfected', 0.01, 10 + (i % 60) * 10, 20 + Math.floor(i / 60) * 10, review(i)),
  );
}

async function importInto(store: RecordsStore, archive: unknown) {
  const parsed = parseArchive(archive);
  const report = await store.merge(parsed.sessions, parsed.fields);
  return { parsed, report };
}

// ---- item 2 --------------------------------------------------------------------------------------

describe('2. records never contradict their cells', () => {
  it('an archive saying "900 of 1,000 parasitized, Negative" is not stored as Negative (v3 result and v2 model verdict)', async () => {
    const cells: StoredCell[] = [
      ...Array.from({ length: 900 }, (_, i) =>
        makeCell(
          'Parasitized',
          0.99,
          10 + (i % 60) * 10,
          20 + Math.floor(i / 60) * 10,
          makeReview('confirmed', T0 + i),
        ),
      ),
      ...uninfected(100),
    ].map((c, i) => ({
      ...c,
      x: 10 + (i % 60) * 10,
      y: 20 + Math.floor(i / 60) * 10,
      box: { x: 5 + (i % 60) * 10, y: 15 + Math.floor(i / 60) * 10, width: 10, height: 10 },
    }));
    const f = makeField('f-900', 's-900', 1, cells);
    const lie = makeSession('s-900', 'LIE-900', [f], {
      endedAt: T0 + 200_000,
      totals: {
        redCells: 1000,
        parasitized: 0,
        uninfected: 1000,
        inconclusive: 0,
        whiteBloodCells: 0,
        confidentParasitized: 0,
      },
      verdict: {
        verdict: 'negative',
        reason: 'No parasites found in 1,000 red cells reviewed.',
        missing: [],
        decidedAt: T0 + 200_000,
        reviewer: 'KM',
      },
    });
    const name = freshName();
    const store = await RecordsStore.open(name);
    const { parsed, report } = await importInto(store, archiveOf([lie], [f]));
    const raw = await rawRecords(name);
    expect(contradictions(raw)).toEqual([]);
    expect(raw.sessions[0]).toMatchObject({ verdict: null, endedAt: null, totals: { parasitized: 900 } });
    expect(parsed.notes.join('\n')).toMatch(
      /model counts said 1,000 red cells, 0 parasitized; its cells give 1,000 red cells, 900 parasitized/,
    );
    expect(parsed.notes.join('\n')).toMatch(/stored result \(negative\) is not what its cells give \(positive\)/);
    expect(report.added).toBe(1);

    // the same lie in a schema v2 archive: a model-only "Negative" its own rule does not give
    const rule = {
      confidentProbability: 0.825,
      minParasitizedCells: 17,
      minParasitizedFraction: 0,
      minCellsForNegative: 500,
      description: 'Positive if at least 17 red cells are parasitized with P ≥ 0.825.',
    };
    const { review: _r, reviewer: _w, legacyModelVerdict: _l, verdict: _v, ...v2 } = lie;
    const v2Archive = {
      ...archiveOf([], []),
      schemaVersion: 2,
      sessions: [
        {
          ...v2,
          id: 's-900-v2',
          verdict: {
            verdict: 'Negative',
            reason: '1,000 red cells counted.',
            rule,
            ruleFromModel: true,
            decidedAt: T0 + 200_000,
          },
        },
      ],
      fields: archiveOf([], [{ ...f, id: 'f-900-v2', sessionId: 's-900-v2' }]).fields.map(
        ({ evidence: _e, ...rest }) => ({
          ...rest,
          cells: rest.cells.map(({ review: _x, ...c }) => c),
        }),
      ),
    };
    const v2Import = await importInto(store, v2Archive);
    const raw2 = await rawRecords(name);
    expect(contradictions(raw2)).toEqual([]);
    expect(raw2.sessions.find((s) => s.id === 's-900-v2')?.legacyModelVerdict).toBeNull();
    expect(v2Import.parsed.notes.join('\n')).toMatch(
      /model-only verdict from an older version \(Negative\) is not what its own rule gives on its cells \(Positive\): removed/,
    );
    store.close();
  });

  it('a newer "finished" copy never replaces a local in-progress session: merged image by image, counts from the cells', async () => {
    // here: 26 images, 229 red cells of which 10 Parasitized, in progress, some reviews
    const here: FieldRecord[] = Array.from({ length: 26 }, (_, i) => {
      const cells = uninfected(i < 21 ? 9 : 8);
      if (i < 10)
        cells[0] = makeCell('Parasitized', 0.95, 10, 20, i < 3 ? makeReview('confirmed', T0 + 500 + i) : null);
      return makeField(`here-${i + 1}`, 'S-229', i + 1, cells);
    });
    const local = makeSession('S-229', 'PATIENT-229', here, { updatedAt: T0 + 50_000 });
    expect(local.totals).toMatchObject({ redCells: 229, parasitized: 10 });
    const name = freshName();
    const store = await RecordsStore.open(name);
    await store.merge([local], here);

    // the file: the same slide, "finished" on another device with 4 other images: 1,000 / 0 / Negative
    const other = Array.from({ length: 4 }, (_, i) =>
      makeField(`other-${i + 1}`, 'S-229', i + 1, uninfected(250), T0 + 60_000 + i),
    );
    const finished = makeSession('S-229', 'PATIENT-229', other, {
      updatedAt: T0 + 300_000,
      endedAt: T0 + 300_000,
      targetRedCells: 1000,
    });
    const r = slideResult(other, 1000, null);
    finished.verdict = {
      verdict: r.verdict,
      reason: resultReason(r),
      missing: missingSentences(r),
      decidedAt: T0 + 300_000,
      reviewer: null,
    };
    expect(finished.verdict.verdict).toBe('negative');
    const { report } = await importInto(store, archiveOf([finished], other));

    const raw = await rawRecords(name);
    expect(contradictions(raw)).toEqual([]);
    const s = raw.sessions.find((x) => x.id === 'S-229')!;
    const mine = raw.fields.filter((f) => f.sessionId === 'S-229');
    expect(mine).toHaveLength(30);
    expect(s).toMatchObject({
      fieldCount: 30,
      endedAt: null,
      verdict: null,
      totals: { redCells: 1229, parasitized: 10 },
    });
    for (const f of here) expect(mine.find((m) => m.id === f.id)?.cells).toEqual(f.cells); // every local review kept
    expect(report).toMatchObject({ added: 0, updated: 1, copies: 0, fieldsAdded: 4 });
    expect(report.details.join('\n')).toMatch(/“PATIENT-229”: merged — 4 images added/);
    store.close();
  });

  it('two devices that swapped archives: 35 images say 35, numbered 1–35 (local numbers kept, new ones by time added)', async () => {
    const first15 = Array.from({ length: 15 }, (_, i) => makeField(`a-${i + 1}`, 'SWAP', i + 1, uninfected(3)));
    // device A went on to 25; device B (which had the first 15) added 10 of its own, numbered 16–25 there
    const onA = [
      ...first15,
      ...Array.from({ length: 10 }, (_, i) =>
        makeField(`a-${i + 16}`, 'SWAP', i + 16, uninfected(3), T0 + 20_000 + i * 2),
      ),
    ];
    const onB = [
      ...first15,
      ...Array.from({ length: 10 }, (_, i) =>
        makeField(`b-${i + 16}`, 'SWAP', i + 16, uninfected(3), T0 + 20_001 + i * 2),
      ),
    ];
    const name = freshName();
    const store = await RecordsStore.open(name);
    await store.merge([makeSession('SWAP', 'SWAP-1', onA, { updatedAt: T0 + 40_000 })], onA);
    const { report } = await importInto(
      store,
      archiveOf([makeSession('SWAP', 'SWAP-1', onB, { updatedAt: T0 + 30_000 })], onB),
    );
    const raw = await rawRecords(name);
    expect(contradictions(raw)).toEqual([]);
    expect(report).toMatchObject({ updated: 1, fieldsAdded: 10 });
    expect(raw.sessions[0]?.fieldCount).toBe(35);
    const byId = new Map(raw.fields.map((f) => [f.id, f.index]));
    for (const f of onA) expect(byId.get(f.id)).toBe(f.index);
    expect(Array.from({ length: 10 }, (_, i) => byId.get(`b-${i + 16}`))).toEqual([
      26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
    ]);
    // opening it shows the same
    const open = await store.getSession('SWAP');
    expect(open?.fields.map((f) => f.index)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(open?.repairs).toEqual([]);
    store.close();
  });

  it('reviews merge cell by cell: the newer review wins, a review is never replaced by none, settings from the copy changed last', async () => {
    const cells = [
      makeCell('Parasitized', 0.9, 10),
      makeCell('Parasitized', 0.8, 30),
      makeCell('Inconclusive', 0.4, 50),
      makeCell('Parasitized', 0.7, 70),
    ];
    const hereCells = cells.map((c, i) => ({
      ...c,
      review: [
        makeReview('confirmed', T0 + 100),
        makeReview('rejected', T0 + 150, 'platelet'),
        makeReview('unsure', T0 + 10),
        null,
      ][i]!,
    }));
    const fileCells = cells.map((c, i) => ({
      ...c,
      review: [
        makeReview('rejected', T0 + 200, 'stain-debris'),
        makeReview('confirmed', T0 + 50),
        null,
        makeReview('pending', T0 + 5),
      ][i]!,
    }));
    const hereField = makeField('F', 'REV', 1, hereCells);
    const fileField = makeField('F', 'REV', 1, fileCells);
    const name = freshName();
    const store = await RecordsStore.open(name);
    await store.merge([makeSession('REV', 'REV-1', [hereField], { updatedAt: T0 + 10_000 })], [hereField]);
    const { report } = await importInto(
      store,
      archiveOf(
        [makeSession('REV', 'REV-1', [fileField], { updatedAt: T0 + 20_000, targetRedCells: 4, reviewer: 'B' })],
        [fileField],
      ),
    );
    const raw = await rawRecords(name);
    expect(contradictions(raw)).toEqual([]);
    expect(raw.fields[0]?.cells.map((c) => c.review)).toEqual([
      makeReview('rejected', T0 + 200, 'stain-debris'), // newer in the file
      makeReview('rejected', T0 + 150, 'platelet'), // newer here
      makeReview('unsure', T0 + 10), // none in the file: kept
      makeReview('pending', T0 + 5), // none here: taken
    ]);
    expect(raw.sessions[0]).toMatchObject({ targetRedCells: 4, reviewer: 'B', updatedAt: T0 + 20_000 });
    expect(report).toMatchObject({ updated: 1, reviewsUpdated: 2, fieldsUpdated: 1 });
    expect(report.details[0]).toMatch(
      /2 reviews updated \(newer review kept\); settings taken from the copy changed last/,
    );
    store.close();
  });

  it('a conflicting session (same id, different slide or different cells) is imported as a copy, once, and said', async () => {
    const f = makeField('IMG', 'X', 1, uninfected(5));
    const name = freshName();
    const store = await RecordsStore.open(name);
    const local = makeSession('X', 'P-1', [f]);
    await store.merge([local], [f]);

    const stranger = makeSession('X', 'P-2', [f], { updatedAt: T0 + 900_000 });
    const first = await importInto(store, archiveOf([stranger], [f]));
    expect((await rawRecords(name)).sessions.find((s) => s.id === 'X')).toEqual(local); // never replaced
    expect(first.report).toMatchObject({ added: 1, copies: 1, updated: 0 });
    expect(first.report.details.join('\n')).toMatch(
      /“P-2”: imported as a separate copy “P-2 \(imported copy\)” because a different slide with the same id is here \(“P-1” here, “P-2” in the file\)/,
    );
    const again = await importInto(store, archiveOf([stranger], [f]));
    expect(again.report).toMatchObject({ added: 0, unchanged: 1, copies: 0 });

    // same slide, but an image with the same id and different cells
    const changed = makeField('IMG', 'X', 1, uninfected(6));
    const odd = await importInto(
      store,
      archiveOf([makeSession('X', 'P-1', [changed], { updatedAt: T0 + 900_000 })], [changed]),
    );
    expect(odd.report.details.join('\n')).toMatch(
      /because its image “IMG\.jpg” has the same id as image 1 here but different cells/,
    );

    const raw = await rawRecords(name);
    expect(contradictions(raw)).toEqual([]);
    expect(raw.sessions.find((s) => s.id === 'X')).toEqual(local); // untouched
    expect(raw.fields.find((x) => x.id === 'IMG')?.cells).toEqual(f.cells);
    expect(raw.sessions.map((s) => s.identifier).sort()).toEqual(['P-1', 'P-1 (imported copy)', 'P-2 (imported copy)']);
    store.close();
  });

  it('an image id that belongs to another session here is never overwritten by a new session', async () => {
    const f = makeField('SHARED', 'A', 1, uninfected(2));
    const name = freshName();
    const store = await RecordsStore.open(name);
    await store.merge([makeSession('A', 'A-1', [f])], [f]);
    const intruder = makeField('SHARED', 'B', 1, uninfected(7));
    const { report } = await importInto(store, archiveOf([makeSession('B', 'B-1', [intruder])], [intruder]));
    const raw = await rawRecords(name);
    expect(raw.fields.find((x) => x.id === 'SHARED')).toMatchObject({ sessionId: 'A', cells: f.cells });
    expect(contradictions(raw)).toEqual([]);
    expect(report).toMatchObject({ added: 1, copies: 1 });
    store.close();
  });

  it('opening a session whose stored record disagrees with its cells recounts it, saves it and says what changed', async () => {
    const name = freshName();
    const store = await RecordsStore.open(name);
    const fields = [
      makeField('o1', 'OPEN', 1, uninfected(4)),
      makeField('o2', 'OPEN', 1, uninfected(3)),
      makeField('o3', 'OPEN', 7, [makeCell('Parasitized', 0.99)]),
    ];
    await putRaw(name, 'sessions', {
      ...makeSession('OPEN', 'OPEN-1', fields),
      fieldCount: 2,
      totals: {
        redCells: 1000,
        parasitized: 0,
        uninfected: 1000,
        inconclusive: 0,
        whiteBloodCells: 0,
        confidentParasitized: 0,
      },
      endedAt: T0 + 1,
      verdict: { verdict: 'negative', reason: 'x', missing: [], decidedAt: T0 + 1, reviewer: null },
    });
    for (const f of fields) await putRaw(name, 'fields', f);
    expect(contradictions(await rawRecords(name)).length).toBeGreaterThan(0);
    const open = await store.getSession('OPEN');
    expect(open?.session).toMatchObject({
      fieldCount: 3,
      totals: { redCells: 8, parasitized: 1 },
      verdict: null,
      endedAt: null,
    });
    expect(open?.fields.map((f) => f.index)).toEqual([1, 2, 3]);
    expect(contradictions(await rawRecords(name))).toEqual([]); // saved
    expect(open?.repairs.join('\n')).toMatch(/image numbers \(1, 1, 7\) had duplicates or gaps: renumbered 1–3/);
    expect(open?.repairs.join('\n')).toMatch(/it said 2 images but has 3/);
    expect(open?.repairs.join('\n')).toMatch(/stored result \(negative\) is not what its cells give \(incomplete\)/);
    expect((await store.getSession('OPEN'))?.repairs).toEqual([]); // idempotent
    store.close();
  });
});

// ---- item 3 --------------------------------------------------------------------------------------

describe('3. values out of range', () => {
  const base = () => {
    const f = makeField('F1', 'S1', 1, [
      makeCell('Parasitized', 0.97, 100, 100, makeReview('confirmed', T0 + 5)),
      makeCell('Uninfected', 0.02, 200, 200),
    ]);
    const s = makeSession('S1', 'RANGE-1', [f], { bloodCount: { kind: 'rbc', rbcPerMicrolitre: 4_500_000 } });
    return archiveOf([s], [f]);
  };
  const DAY = 86_400_000;

  /** Each bad input of the archive importer and the message it must give (also listed in the docs). */
  const BAD_ARCHIVE_INPUTS: [string, (a: RecordsArchive) => void, RegExp][] = [
    [
      'createdAt = 1e308',
      (a) => (a.sessions[0]!.createdAt = 1e308),
      /"createdAt" must be a time between 2000-01-01 and/,
    ],
    ['createdAt before 2000', (a) => (a.sessions[0]!.createdAt = Date.UTC(1999, 11, 31)), /"createdAt" must be a time/],
    ['createdAt negative', (a) => (a.sessions[0]!.createdAt = -1), /"createdAt" must be a time/],
    ['updatedAt 2 days ahead', (a) => (a.sessions[0]!.updatedAt = Date.now() + 2 * DAY), /"updatedAt" must be a time/],
    [
      'endedAt as text',
      (a) => ((a.sessions[0] as unknown as { endedAt: string }).endedAt = '2024-01-01'),
      /"endedAt" must be a time/,
    ],
    [
      'model counts 1e308',
      (a) => Object.assign(a.sessions[0]!.totals, { redCells: 1e308, uninfected: 1e308 - 1 }),
      /"redCells" must be a whole number from 0 to 10,000,000/,
    ],
    ['count 2.5', (a) => (a.sessions[0]!.totals.whiteBloodCells = 2.5), /"whiteBloodCells" must be a whole number/],
    ['review count −1', (a) => (a.sessions[0]!.review.pending = -1), /"pending" must be a whole number/],
    [
      'fieldCount 1e9',
      (a) => (a.sessions[0]!.fieldCount = 1e9),
      /"fieldCount" must be a whole number from 0 to 100,000/,
    ],
    [
      'target 0',
      (a) => (a.sessions[0]!.targetRedCells = 0),
      /"targetRedCells" must be a whole number from 1 to 1,000,000/,
    ],
    [
      'target 1e9',
      (a) => (a.sessions[0]!.targetRedCells = 1e9),
      /"targetRedCells" must be a whole number from 1 to 1,000,000/,
    ],
    ['target 2.5', (a) => (a.sessions[0]!.targetRedCells = 2.5), /"targetRedCells"/],
    [
      'confidentProbability 1.5',
      (a) => (a.sessions[0]!.confidentProbability = 1.5),
      /"confidentProbability" must be a probability from 0 to 1/,
    ],
    [
      'RBC 10¹² /µL',
      (a) => (a.sessions[0]!.bloodCount = { kind: 'rbc', rbcPerMicrolitre: 1e12 }),
      /Red-cell count must be between 100,000 and 10,000,000/,
    ],
    [
      'haematocrit 95 %',
      (a) => (a.sessions[0]!.bloodCount = { kind: 'haematocrit', haematocritPercent: 95 }),
      /Haematocrit must be a percentage between 1 and 80/,
    ],
    ['cell probability 1.2', (a) => (a.fields[0]!.cells[0]!.probability = 1.2), /probability must be within 0–1/],
    [
      'cell centre outside the image',
      (a) => (a.fields[0]!.cells[1]!.x = 5000),
      /cell 2: centre \(5000, 200\) is outside the 640 × 480 image/,
    ],
    [
      'cell box off the image',
      (a) => (a.fields[0]!.cells[1]!.box = { x: 900, y: 900, width: 10, height: 10 }),
      /cell 2: box must have a positive size and lie on the 640 × 480 image/,
    ],
    ['cell box of size 0', (a) => (a.fields[0]!.cells[1]!.box.width = 0), /box must have a positive size/],
    ['image 1,000,000 px wide', (a) => (a.fields[0]!.width = 1_000_000), /image width must be 1–12000 px/],
    [
      'image 12,000 × 12,000 (144 MP)',
      (a) => Object.assign(a.fields[0]!, { width: 12_000, height: 12_000 }),
      /larger than 50 MP/,
    ],
    ['image width 640.5', (a) => (a.fields[0]!.width = 640.5), /image width must be 1–12000 px/],
    ['stored picture 5,000 px', (a) => (a.fields[0]!.image!.width = 5000), /image width must be 1–1024 px/],
    ['image index 0', (a) => (a.fields[0]!.index = 0), /"index" must be a whole number from 1/],
    ['addedAt 1e308', (a) => (a.fields[0]!.addedAt = 1e308), /"addedAt" must be a time/],
    [
      'review time in 2100',
      (a) => (a.fields[0]!.cells[0]!.review!.at = Date.UTC(2100, 0, 1)),
      /review time must be between 2000-01-01/,
    ],
    [
      'review of a white cell',
      (a) => Object.assign(a.fields[0]!.cells[1]!, { label: 'WhiteBloodCell', review: makeReview('confirmed', T0) }),
      /a white blood cell has no review/,
    ],
    [
      'result decidedAt 1e308',
      (a) =>
        (a.sessions[0]!.verdict = { verdict: 'positive', reason: 'r', missing: [], decidedAt: 1e308, reviewer: null }),
      /"decidedAt" must be a time/,
    ],
    [
      'identifier of 201 characters',
      (a) => (a.sessions[0]!.identifier = 'x'.repeat(201)),
      /"identifier" must be text of at most 200 characters/,
    ],
    ['id with a slash', (a) => (a.sessions[0]!.id = 'a/b'), /bad id/],
    [
      'counts as text',
      (a) => ((a.sessions[0]!.totals as unknown as { parasitized: string }).parasitized = '1'),
      /"parasitized" must be a whole number/,
    ],
    ['session id twice', (a) => a.sessions.push({ ...a.sessions[0]! }), /session id S1 appears twice/],
    ['image id twice', (a) => a.fields.push({ ...a.fields[0]! }), /field id F1 appears twice/],
    ['image of no session', (a) => (a.fields[0]!.sessionId = 'ZZ'), /belongs to no session/],
  ];

  it(`refuses each of ${BAD_ARCHIVE_INPUTS.length} out-of-range or malformed values with where and what; writes nothing`, async () => {
    expect(parseArchive(base()).sessions).toHaveLength(1);
    const name = freshName();
    const store = await RecordsStore.open(name);
    for (const [what, mutate, message] of BAD_ARCHIVE_INPUTS) {
      const a = base();
      mutate(a);
      let err: unknown = null;
      try {
        await importInto(store, a);
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(ArchiveError);
      expect((err as Error).message, what).toMatch(message);
    }
    expect(await rawRecords(name)).toEqual({ sessions: [], fields: [] });
    store.close();
  });

  it('one bad stored record (createdAt = 1e308 written straight into IndexedDB) never stops the exports of the others', async () => {
    const name = freshName();
    const store = await RecordsStore.open(name);
    const good = await store.createSession({
      identifier: 'GOOD-1',
      targetRedCells: 1000,
      confidentProbability: 0.825,
      modelName: 'm',
    });
    await store.addField(
      good.id,
      { kind: 'field', name: 'g.jpg', width: 640, height: 480, cells: [makeCell('Parasitized', 0.9)] },
      null,
    );
    const f = makeField('BAD-F', 'BAD', 1, uninfected(3));
    await putRaw(name, 'sessions', { ...makeSession('BAD', 'BAD-1', [f]), createdAt: 1e308 });
    await putRaw(name, 'fields', f);
    await putRaw(name, 'sessions', { ...makeSession('NOKEY', 'NOKEY-1', []), createdAt: 'yesterday' });

    const listed = await store.listSessions();
    expect(listed.map((s) => s.identifier).sort()).toEqual(['BAD-1', 'GOOD-1', 'NOKEY-1']); // a damaged record is listed
    expect(listed.map((s) => formatRecordTime(s.createdAt))).not.toContain('Invalid Date');
    expect(formatRecordTime(1e308)).toBe('date unknown');

    const out = await store.everything();
    expect(out.sessions.map((s) => s.identifier)).toEqual(['GOOD-1']);
    expect(out.skipped.map((k) => [k.identifier, k.reason])).toEqual([
      ['BAD-1', expect.stringMatching(/"createdAt" must be a time/)],
      ['NOKEY-1', expect.stringMatching(/"createdAt" must be a time/)],
    ]);
    const csv = sessionsCsv(out.sessions);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);
    expect(cellsCsv(out.sessions, out.fields).trimEnd().split('\r\n')).toHaveLength(2);
    // the archive of the others imports (every exported archive is importable)
    const again = parseArchive(JSON.parse(JSON.stringify(buildArchive(out.sessions, out.fields))));
    expect(again.sessions.map((s) => s.identifier)).toEqual(['GOOD-1']);
    store.close();
  });

  it('the store refuses values no record may hold (target, blood count, review time, a clock before 2000)', async () => {
    const store = await RecordsStore.open(freshName());
    await expect(
      store.createSession({ identifier: 'T', targetRedCells: 0, confidentProbability: 0.8, modelName: null }),
    ).rejects.toThrow(/target/);
    const s = await store.createSession({
      identifier: 'T',
      targetRedCells: 10,
      confidentProbability: 0.8,
      modelName: null,
    });
    await expect(store.updateSettings(s.id, { targetRedCells: 1e9 })).rejects.toThrow(/target/);
    await expect(
      store.updateSettings(s.id, { bloodCount: { kind: 'haematocrit', haematocritPercent: 500 } }),
    ).rejects.toThrow(/Haematocrit/);
    const { field } = await store.addField(
      s.id,
      { kind: 'cell', name: 'c.png', width: 64, height: 64, cells: [makeCell('Parasitized', 0.9, 32, 32)] },
      null,
    );
    await expect(store.reviewCell(s.id, field.id, 0, makeReview('confirmed', 5))).rejects.toThrow(/between 2000-01-01/);
    const realNow = Date.now;
    Date.now = () => 0;
    try {
      await expect(
        store.createSession({ identifier: 'C', targetRedCells: 10, confidentProbability: 0.8, modelName: null }),
      ).rejects.toThrow(/This device's clock says 1970-01-01/);
    } finally {
      Date.now = realNow;
    }
    store.close();
  });
});

// ---- item 4 --------------------------------------------------------------------------------------

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('4. stale screens across tabs', () => {
  it('a write in one tab reaches every other tab as a change event within a second', async () => {
    const name = freshName();
    const tabA = await RecordsStore.open(name);
    const tabB = await RecordsStore.open(name);
    const seen: RecordsChangeEvent[] = [];
    tabA.addEventListener('change', (e) => seen.push(e as RecordsChangeEvent));
    const started = Date.now();
    const s = await tabB.createSession({
      identifier: 'TAB-B',
      targetRedCells: 10,
      confidentProbability: 0.8,
      modelName: null,
    });
    await expect.poll(() => seen.length, { timeout: 1000 }).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen[0]?.change).toEqual({ sessionId: s.id, kind: 'session-created', origin: 'other-tab' });
    // and its own writes are announced as its own
    const mine: RecordsChangeEvent[] = [];
    tabB.addEventListener('change', (e) => mine.push(e as RecordsChangeEvent));
    await tabB.deleteSession(s.id);
    expect(mine.map((e) => e.change.origin)).toEqual(['this-tab']);
    await expect.poll(() => seen.map((e) => e.change.kind)).toEqual(['session-created', 'session-deleted']);
    tabA.close();
    tabB.close();
  });

  it('a slide open in two tabs shows the stored truth in both: a review, a new target and the end made in tab B reach tab A', async () => {
    const name = freshName();
    const tabA = await RecordsStore.open(name);
    const tabB = await RecordsStore.open(name);
    const a = new SessionController({
      store: async () => tabA,
      intake: () => null,
      model: () => ({ name: 'm', queueRecall: null, confidentProbability: 0.825 }),
    });
    await a.connect();
    await a.start('SHARED-1', 2);
    const id = a.state.session!.id;
    const { field } = await tabB.addField(
      id,
      {
        kind: 'field',
        name: 'b.jpg',
        width: 640,
        height: 480,
        cells: [makeCell('Parasitized', 0.97), makeCell('Uninfected', 0.01, 40)],
      },
      null,
    );
    await expect.poll(() => a.state.fields.length, { timeout: 1000 }).toBe(1);
    expect(a.result?.counts).toMatchObject({ redCells: 2, pending: 1 });

    await tabB.reviewCell(id, field.id, 0, makeReview('rejected', Date.now(), 'stain-debris'));
    await expect.poll(() => a.result?.verdict, { timeout: 1000 }).toBe('negative');
    await tabB.updateSettings(id, { targetRedCells: 5 });
    await expect.poll(() => a.state.session?.targetRedCells, { timeout: 1000 }).toBe(5);
    expect(a.result?.verdict).toBe('incomplete');
    await tabB.updateSettings(id, { targetRedCells: 2 });
    const full = await tabB.getSession(id);
    await tabB.endSession(id, slideResult(full!.fields, 2, null));
    await expect.poll(() => a.state.session?.verdict?.verdict, { timeout: 1000 }).toBe('negative');
    expect(a.state.openSessions).toEqual([]);
    // tab A's own writes keep working, and are not re-read needlessly
    await a.setTarget(3);
    await tick(20);
    expect(a.state.session).toMatchObject({ targetRedCells: 3, endedAt: null });
    tabA.close();
    tabB.close();
  });

  it('only this tab’s own writes are skipped: another tab’s write during an own write that then fails still refreshes', async () => {
    const name = freshName();
    const tabA = await RecordsStore.open(name);
    const tabB = await RecordsStore.open(name);
    let release: (ok: boolean) => void = () => undefined;
    const gated: SessionStorePort = {
      createSession: (i) => tabA.createSession(i),
      getSession: (id) => tabA.getSession(id),
      listSessions: (q) => tabA.listSessions(q),
      addField: (...args) => tabA.addField(...args),
      updateSettings: (...args) => tabA.updateSettings(...args),
      endSession: (...args) => tabA.endSession(...args),
      putEvidence: (...args) => tabA.putEvidence(...args),
      addEventListener: (type, listener) => tabA.addEventListener(type, listener),
      // this tab's review write waits, then fails (as a write refused by the store would)
      reviewCell: async (...args) => {
        const ok = await new Promise<boolean>((resolve) => (release = resolve));
        if (!ok) throw new Error('The review was not saved.');
        return tabA.reviewCell(...args);
      },
    };
    const a = new SessionController({
      store: async () => gated,
      intake: () => null,
      model: () => ({ name: 'm', queueRecall: null, confidentProbability: 0.825 }),
    });
    await a.connect();
    await a.start('GATED-1', 10);
    const id = a.state.session!.id;
    await tabA.addField(
      id,
      { kind: 'field', name: 'g.jpg', width: 640, height: 480, cells: [makeCell('Parasitized', 0.97)] },
      null,
    );
    await expect.poll(() => a.state.fields.length).toBe(1);
    const decided = a.decide({ fieldId: a.state.fields[0]!.id, cell: 0 }, 'confirmed'); // own write in flight
    await tick();
    await tabB.updateSettings(id, { targetRedCells: 7 }); // another tab's write meanwhile
    await tick(50);
    release(false);
    await decided;
    expect(a.state.storageError).toMatch(/not saved/);
    await expect.poll(() => a.state.session?.targetRedCells, { timeout: 1000 }).toBe(7);
    tabA.close();
    tabB.close();
  });
});

// ---- item 5 --------------------------------------------------------------------------------------

describe('5. stuck or silent failures', () => {
  it('with IndexedDB unavailable the message says nothing is saved (not that results are still shown)', async () => {
    const real = globalThis.indexedDB;
    const broken = {
      open() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    Object.defineProperty(globalThis, 'indexedDB', { value: broken, configurable: true, writable: true });
    try {
      const err = await RecordsStore.open(freshName()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordsUnavailableError);
      expect((err as Error).message).toMatch(/Records storage could not be opened \(The user denied permission/);
      expect((err as Error).message).not.toMatch(/still shown/);
      const c = new SessionController({
        store: () => RecordsStore.open(freshName()),
        intake: () => null,
        model: () => ({ name: null, queueRecall: null, confidentProbability: 1 }),
      });
      await c.connect();
      expect(c.state).toMatchObject({ store: 'unavailable', storeError: (err as Error).message });
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', { value: real, configurable: true, writable: true });
    }
  });

  async function upgradeInAnotherTab(name: string, version: number, abort: boolean): Promise<void> {
    await openDB(name, version, {
      upgrade(db, _old, _new, tx) {
        db.createObjectStore(`added-in-v${version}`);
        tx.done.catch(() => undefined);
        if (abort) tx.abort();
      },
    })
      .then((db) => db.close())
      .catch(() => undefined);
  }

  it('after a schema upgrade in another tab a write says the image was NOT saved and to reload (never "connection is closing")', async () => {
    const name = freshName();
    const store = await RecordsStore.open(name);
    const s = await store.createSession({
      identifier: 'UP-1',
      targetRedCells: 10,
      confidentProbability: 0.8,
      modelName: null,
    });
    await upgradeInAnotherTab(name, 4, false);
    const err = await store
      .addField(
        s.id,
        { kind: 'cell', name: 'x.jpg', width: 64, height: 64, cells: [makeCell('Uninfected', 0.1, 32, 32)] },
        null,
      )
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^"x\.jpg" was NOT saved: this tab lost its connection to the records because a newer version of the app, open in another tab, upgraded them\. Reload this page/,
    );
    expect((await rawRecords(name)).fields).toEqual([]);
  });

  it('when the other tab’s upgrade did not happen, the store reopens the database and the write goes through', async () => {
    const name = freshName();
    const store = await RecordsStore.open(name);
    const s = await store.createSession({
      identifier: 'UP-2',
      targetRedCells: 10,
      confidentProbability: 0.8,
      modelName: null,
    });
    await upgradeInAnotherTab(name, 4, true); // closes this tab's connection, then aborts: still v3
    const saved = await store.addField(
      s.id,
      { kind: 'cell', name: 'y.jpg', width: 64, height: 64, cells: [makeCell('Uninfected', 0.1, 32, 32)] },
      null,
    );
    expect(saved.session.fieldCount).toBe(1);
    expect(contradictions(await rawRecords(name))).toEqual([]);
    store.close();
  });

  it('every unfinished session can be continued or ended, the oldest too', async () => {
    const store = await RecordsStore.open(freshName());
    const c = new SessionController({
      store: async () => store,
      intake: () => null,
      model: () => ({ name: null, queueRecall: null, confidentProbability: 1 }),
    });
    await c.connect();
    for (const id of ['OLD-1', 'OLD-2', 'OLD-3']) {
      await c.start(id, 10);
      c.leave();
      await tick();
    }
    await expect.poll(() => c.state.openSessions.map((s) => s.identifier)).toEqual(['OLD-3', 'OLD-2', 'OLD-1']);
    await c.open(c.state.openSessions[2]!.id);
    expect(c.state.session?.identifier).toBe('OLD-1');
    await c.setReviewer('A. M.');
    await c.end();
    expect(c.state.session?.endedAt).not.toBeNull();
    await expect.poll(() => c.state.openSessions.map((s) => s.identifier)).toEqual(['OLD-3', 'OLD-2']);
    store.close();
  });

  it('after an import the imported unfinished session can be continued at once (no reload)', async () => {
    const store = await RecordsStore.open(freshName());
    const c = new SessionController({
      store: async () => store,
      intake: () => null,
      model: () => ({ name: null, queueRecall: null, confidentProbability: 1 }),
    });
    await c.connect();
    const f = makeField('IMP-F', 'IMP', 1, uninfected(3));
    await importInto(store, archiveOf([makeSession('IMP', 'IMPORTED-1', [f])], [f]));
    await expect.poll(() => c.state.openSessions.map((s) => s.identifier)).toEqual(['IMPORTED-1']);
    store.close();
  });
});
