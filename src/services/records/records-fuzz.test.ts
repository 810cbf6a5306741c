/**
 * Fuzz test of the archive importer (issue 13): ≥ 1,000 generated archives — random types,
 * out-of-range numbers, duplicate ids, lies about derived values, conflicts with the sessions
 * already on the device, schema v2 and v3 shapes — fed to parseArchive + RecordsStore.merge. After
 * every import (accepted or refused) the raw database must satisfy:
 *  - no stored session contradicts its cells (records-test-kit.ts `contradictions`: image count and
 *    numbering 1…n, model totals, review counts, stored result, legacy verdict, no orphan image);
 *  - nothing stored before is lost: every session id, every image id (in the same session, same
 *    cells) and every non-null review is still there, or the review was superseded by a newer one;
 *  - every stored record is within bounds (an export carries all of them: none skipped).
 * An importer failure other than a refusal (ArchiveError) fails the test. Seeded (FUZZ_SEED) so a
 * failure reproduces; the failing archive's number and seed are in the message.
 */
import { missingSentences, resultReason } from '../../core/slide/result-text.js';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { REJECT_REASONS, REVIEW_DECISIONS, type CellReview } from '@malaria/contract';
import { slideResult } from '@malaria/contract';
import { checkStoredRecords, parseArchive, type RecordsArchive } from '../../core/records/archive.js';
import { ArchiveError } from '../../core/records/errors.js';
import { deriveSession } from '../../core/records/integrity.js';
import { RecordsStore } from './records-store.js';
import {
  archiveOf,
  contradictions,
  makeField,
  makeSession,
  rawRecords,
  T0,
  type RawRecords,
} from './records-test-kit.js';
import type { FieldRecord, SessionRecord, StoredCell } from '../../core/records/schema.js';

const SEED = Number(process.env.FUZZ_SEED ?? 13);
const WORLDS = 100;
const IMPORTS_PER_WORLD = 12;

/** mulberry32: small, fast, seeded. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

const LABELS = ['Parasitized', 'Uninfected', 'Inconclusive', 'WhiteBloodCell'] as const;

function genReview(rng: Rng): CellReview | null {
  if (rng.chance(0.5)) return null;
  const decision = rng.pick(REVIEW_DECISIONS);
  return {
    decision,
    reason: decision === 'rejected' && rng.chance(0.6) ? rng.pick(REJECT_REASONS) : null,
    at: T0 + rng.int(0, 10_000_000),
  };
}

function genCell(rng: Rng, w: number, h: number): StoredCell {
  const label = rng.pick(LABELS);
  const x = rng.int(0, w);
  const y = rng.int(0, h);
  const bw = rng.int(1, 30);
  const bh = rng.int(1, 30);
  return {
    x,
    y,
    box: { x: x - bw / 2, y: y - bh / 2, width: bw, height: bh },
    label,
    probability: rng.next(),
    review: label === 'WhiteBloodCell' ? null : genReview(rng),
  };
}

let idCounter = 0;
const newId = (rng: Rng, prefix: string) => `${prefix}-${++idCounter}-${rng.int(0, 1e6)}`;

function genField(rng: Rng, sessionId: string, index: number): FieldRecord {
  const f = makeField(newId(rng, 'f'), sessionId, index, [], T0 + rng.int(0, 5_000_000));
  const cells = Array.from({ length: rng.int(0, 10) }, () => genCell(rng, f.width, f.height));
  return { ...f, cells, kind: rng.pick(['field', 'cell'] as const) };
}

/** A session with derived values that agree with its images; ended with a true result sometimes. */
function genSession(rng: Rng, id = newId(rng, 's')): { session: SessionRecord; fields: FieldRecord[] } {
  const fields = Array.from({ length: rng.int(0, 4) }, (_, i) => genField(rng, id, i + 1));
  const target = rng.pick([1, 3, 10, 1000]);
  let session = makeSession(id, `ID-${rng.int(0, 50)}`, fields, {
    targetRedCells: target,
    createdAt: T0 + rng.int(0, 1000),
    updatedAt: T0 + rng.int(1000, 9_000_000),
    reviewer: rng.chance(0.3) ? 'KM' : null,
  });
  if (rng.chance(0.4)) {
    const r = slideResult(fields, target, null);
    session = {
      ...session,
      endedAt: session.updatedAt,
      verdict: {
        verdict: r.verdict,
        reason: resultReason(r),
        missing: missingSentences(r),
        decidedAt: session.updatedAt,
        reviewer: session.reviewer,
      },
    };
  }
  return { session, fields };
}

/** Another device's copy of a local session: more images, other reviews, other settings, lies. */
function divergedCopy(
  rng: Rng,
  s: SessionRecord,
  fields: readonly FieldRecord[],
): { session: SessionRecord; fields: FieldRecord[] } {
  let out = fields
    .filter(() => rng.chance(0.8))
    .map((f) => ({
      ...f,
      cells: f.cells.map((c) =>
        c.label !== 'WhiteBloodCell' && rng.chance(0.3) ? { ...c, review: genReview(rng) } : c,
      ),
    }));
  const extra = rng.int(0, 3);
  for (let i = 0; i < extra; i++) out.push(genField(rng, s.id, rng.int(1, fields.length + 3)));
  if (rng.chance(0.2)) out = out.map((f) => ({ ...f, index: rng.int(1, 4) })); // numbering from another device
  const session: SessionRecord = {
    ...s,
    updatedAt: s.updatedAt + rng.int(-5_000_000, 5_000_000),
    targetRedCells: rng.chance(0.3) ? rng.pick([1, 5, 2000]) : s.targetRedCells,
    endedAt: rng.chance(0.5) ? s.updatedAt : null,
  };
  return { session, fields: out };
}

const JUNK: readonly unknown[] = [
  null,
  'text',
  -1,
  1e308,
  -1e308,
  0.5,
  2.5,
  true,
  [],
  {},
  NaN,
  Infinity,
  1e7 + 1,
  '',
  { __proto__: { polluted: 1 } },
  0,
];

/** Replaces one random value somewhere in the archive by junk (or deletes it). */
function corrupt(rng: Rng, root: unknown): void {
  let node: unknown = root;
  for (let depth = 0; depth < 6; depth++) {
    if (typeof node !== 'object' || node === null) return;
    const keys = Object.keys(node);
    if (!keys.length) return;
    const k = rng.pick(keys);
    const child = (node as Record<string, unknown>)[k];
    const stop = typeof child !== 'object' || child === null || rng.chance(0.3);
    if (stop) {
      if (rng.chance(0.15)) delete (node as Record<string, unknown>)[k];
      else (node as Record<string, unknown>)[k] = rng.pick(JUNK);
      return;
    }
    node = child;
  }
}

/** Physical-bound violations aimed at the numbers the importer must check. */
function outOfRange(rng: Rng, a: RecordsArchive): void {
  const s = a.sessions.length ? rng.pick(a.sessions) : null;
  const f = a.fields.length ? rng.pick(a.fields) : null;
  const c = f?.cells.length ? rng.pick(f.cells) : null;
  const moves: (() => void)[] = [
    () => s && (s.createdAt = rng.pick([1e308, -1, 946_684_799_999, Date.now() + 3 * 86_400_000])),
    () => s && (s.totals = { ...s.totals, redCells: 1e308, uninfected: 1e308 }),
    () => s && (s.targetRedCells = rng.pick([0, -3, 1e9, 7.5])),
    () => s && (s.confidentProbability = rng.pick([-0.1, 1.01, 42])),
    () =>
      s &&
      (s.bloodCount = rng.pick([
        { kind: 'rbc', rbcPerMicrolitre: 1e12 },
        { kind: 'haematocrit', haematocritPercent: 0.1 },
      ] as const)),
    () => s && (s.fieldCount = rng.pick([1e9, -1, 0.5])),
    () => c && (c.x = rng.pick([-50, 1e6])),
    () => c && (c.probability = rng.pick([1.5, -0.5])),
    () => c && (c.box = { x: 1e6, y: 1e6, width: 5, height: 5 }),
    () => c && c.review && (c.review.at = rng.pick([1, Date.UTC(2999, 0, 1)])),
    () => f && (f.width = rng.pick([0, 1e6, 12_001])),
    () => f && (f.index = rng.pick([0, -1, 1e9, 1.5])),
    () => f && f.image && (f.image.width = 99_999),
    () => f && (f.addedAt = 1e308),
  ];
  rng.pick(moves)();
}

/** The v2 shape of a v3 archive (what an older app exported). */
function toV2(a: RecordsArchive): unknown {
  return {
    ...a,
    schemaVersion: 2,
    sessions: a.sessions.map(({ reviewer: _r, review: _v, verdict: _x, legacyModelVerdict, ...rest }) => ({
      ...rest,
      verdict: legacyModelVerdict,
    })),
    fields: a.fields.map(({ evidence: _e, ...rest }) => ({
      ...rest,
      cells: rest.cells.map(({ review: _c, ...cell }) => cell),
    })),
  };
}

type Kind =
  | 'new'
  | 'copy-of-local'
  | 'same-id-other-slide'
  | 'same-image-other-cells'
  | 'stolen-image-id'
  | 'duplicates'
  | 'out-of-range'
  | 'random-types'
  | 'lies'
  | 'v2';

function genArchive(rng: Rng, local: RawRecords): { archive: unknown; kind: Kind } {
  const kind = rng.pick<Kind>([
    'new',
    'copy-of-local',
    'copy-of-local',
    'same-id-other-slide',
    'same-image-other-cells',
    'stolen-image-id',
    'duplicates',
    'out-of-range',
    'random-types',
    'lies',
    'v2',
  ]);
  const sessions: SessionRecord[] = [];
  const fields: FieldRecord[] = [];
  const add = (b: { session: SessionRecord; fields: FieldRecord[] }) => {
    sessions.push(b.session);
    fields.push(...b.fields);
  };
  const localOne = local.sessions.length ? rng.pick(local.sessions) : null;
  const localFields = (id: string) => local.fields.filter((f) => f.sessionId === id);
  for (let i = rng.int(0, 2); i > 0; i--) add(genSession(rng));
  if (
    localOne &&
    (kind === 'copy-of-local' || kind === 'lies' || kind === 'v2' || kind === 'random-types' || kind === 'out-of-range')
  ) {
    add(divergedCopy(rng, localOne, localFields(localOne.id)));
  }
  if (localOne && kind === 'same-id-other-slide') {
    const g = genSession(rng, localOne.id);
    add({ session: { ...g.session, identifier: `${localOne.identifier}-other` }, fields: g.fields });
  }
  if (localOne && kind === 'same-image-other-cells') {
    const mine = localFields(localOne.id);
    const copy = divergedCopy(rng, localOne, mine);
    if (mine.length) {
      const victim = rng.pick(mine);
      copy.fields = copy.fields.filter((f) => f.id !== victim.id);
      copy.fields.push({
        ...victim,
        cells: [...victim.cells, { ...genCell(rng, victim.width, victim.height), review: null }],
      });
    }
    add(copy);
  }
  if (kind === 'stolen-image-id' && local.fields.length) {
    const g = genSession(rng);
    const stolen = rng.pick(local.fields);
    g.fields.push({ ...genField(rng, g.session.id, g.fields.length + 1), id: stolen.id });
    add(g);
  }
  if (kind === 'new' || !sessions.length) add(genSession(rng));
  let archive: RecordsArchive = archiveOf(sessions, fields);
  if (kind === 'lies') {
    for (const s of archive.sessions) {
      s.totals = {
        redCells: 1000,
        parasitized: 900,
        uninfected: 100,
        inconclusive: 0,
        whiteBloodCells: 0,
        confidentParasitized: 900,
      };
      s.review = { ...s.review, confirmed: rng.int(0, 900), pending: 0 };
      s.fieldCount = rng.int(0, 40);
      s.endedAt = T0 + 5;
      s.verdict = {
        verdict: rng.pick(['positive', 'negative', 'incomplete'] as const),
        reason: 'claimed',
        missing: [],
        decidedAt: T0 + 5,
        reviewer: null,
      };
    }
    for (const f of archive.fields) f.index = rng.int(1, 3);
  }
  if (kind === 'duplicates') {
    if (rng.chance(0.5) && archive.sessions.length) archive.sessions.push(structuredClone(archive.sessions[0]!));
    else if (archive.fields.length) archive.fields.push(structuredClone(archive.fields[0]!));
  }
  if (kind === 'out-of-range') outOfRange(rng, archive);
  if (kind === 'random-types') for (let i = rng.int(1, 3); i > 0; i--) corrupt(rng, archive);
  if (kind === 'v2') {
    for (const s of archive.sessions) {
      if (rng.chance(0.5)) {
        s.endedAt = s.updatedAt;
        s.verdict = null;
        s.legacyModelVerdict = {
          verdict: rng.pick(['Positive', 'Negative', 'Inconclusive'] as const),
          reason: 'v2',
          rule: {
            confidentProbability: 0.825,
            minParasitizedCells: 2,
            minParasitizedFraction: 0,
            minCellsForNegative: 5,
            description: 'r',
          },
          ruleFromModel: true,
          decidedAt: s.updatedAt,
        };
      }
    }
    return { archive: toV2(archive), kind };
  }
  archive = rng.chance(0.05)
    ? ({ ...archive, schemaVersion: rng.pick([1, 4, '3']) } as unknown as RecordsArchive)
    : archive;
  return { archive, kind };
}

/** Everything stored before that must still be there (ids, cells, non-null reviews or newer ones). */
function lost(before: RawRecords, after: RawRecords): string[] {
  const out: string[] = [];
  const sessions = new Set(after.sessions.map((s) => s.id));
  for (const s of before.sessions) if (!sessions.has(s.id)) out.push(`session ${s.id} lost`);
  const fields = new Map(after.fields.map((f) => [f.id, f]));
  for (const f of before.fields) {
    const g = fields.get(f.id);
    if (!g) {
      out.push(`image ${f.id} lost`);
      continue;
    }
    if (g.sessionId !== f.sessionId) out.push(`image ${f.id} moved from ${f.sessionId} to ${g.sessionId}`);
    if (g.cells.length !== f.cells.length) out.push(`image ${f.id}: ${f.cells.length} cells became ${g.cells.length}`);
    f.cells.forEach((c, i) => {
      const d = g.cells[i];
      if (!d || d.x !== c.x || d.y !== c.y || d.label !== c.label || d.probability !== c.probability)
        out.push(`image ${f.id} cell ${i} changed`);
      if (!c.review) return;
      const r = d?.review;
      const same = r && r.decision === c.review.decision && r.reason === c.review.reason && r.at === c.review.at;
      if (!same && !(r && r.at > c.review.at))
        out.push(`image ${f.id} cell ${i}: review ${JSON.stringify(c.review)} became ${JSON.stringify(r)}`);
    });
  }
  return out;
}

describe('archive import fuzz', () => {
  it(`${WORLDS * IMPORTS_PER_WORLD} generated archives (seed ${SEED}): stored data never contradicts its cells, nothing stored before is lost`, async () => {
    const rng = prng(SEED);
    const tally = new Map<string, number>();
    const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
    let archives = 0;
    for (let w = 0; w < WORLDS; w++) {
      const name = `fuzz-${SEED}-${w}`;
      const store = await RecordsStore.open(name);
      // this device's records: a few sessions, some with lies already stored by an older version
      const seed = Array.from({ length: rng.int(1, 3) }, () => genSession(rng));
      const seeded = parseArchive(
        archiveOf(
          seed.map((b) => b.session),
          seed.flatMap((b) => b.fields),
        ),
      );
      await store.merge(seeded.sessions, seeded.fields);
      for (let i = 0; i < IMPORTS_PER_WORLD; i++) {
        archives++;
        const before = await rawRecords(name);
        const { archive, kind } = genArchive(rng, before);
        const where = `archive ${archives} (seed ${SEED}, world ${w}, import ${i}, ${kind})`;
        try {
          const parsed = parseArchive(archive);
          const report = await store.merge(parsed.sessions, parsed.fields);
          count(`${kind}: imported`);
          if (report.copies) count('copies');
          if (report.updated) count('merged');
          if (report.reopened) count('re-opened');
          if (parsed.notes.length) count('recomputed from cells');
        } catch (err) {
          if (!(err instanceof ArchiveError))
            throw new Error(
              `${where}: importer failed with ${String(err)}\n${JSON.stringify(archive).slice(0, 2000)}`,
              { cause: err },
            );
          count(`${kind}: refused`);
        }
        const after = await rawRecords(name);
        expect(contradictions(after), where).toEqual([]);
        expect(lost(before, after), where).toEqual([]);
        expect(checkStoredRecords(after.sessions, after.fields).skipped, where).toEqual([]);
        // opening any stored session finds nothing to repair (no repair loop between tabs)
        for (const s of after.sessions) {
          expect(
            deriveSession(
              s,
              after.fields.filter((f) => f.sessionId === s.id),
            ).repairs,
            where,
          ).toEqual([]);
        }
      }
      store.close();
    }
    expect(archives).toBeGreaterThanOrEqual(1000);
    // every kind of input was both generated and, where valid, imported
    expect(tally.get('copies') ?? 0).toBeGreaterThan(0);
    expect(tally.get('merged') ?? 0).toBeGreaterThan(0);
    expect(tally.get('out-of-range: refused') ?? 0).toBeGreaterThan(0);
    expect(tally.get('random-types: refused') ?? 0).toBeGreaterThan(0);
    expect(tally.get('duplicates: refused') ?? 0).toBeGreaterThan(0);
    console.info(`records fuzz (seed ${SEED}): ${archives} archives`, Object.fromEntries([...tally].sort()));
  }, 120_000);
});
