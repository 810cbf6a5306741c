import { resultReason } from '../../core/slide/result-text.js';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RecordsStore } from '../records/records-store.js';
import type { FieldRecord, SessionRecord } from '../../core/records/schema.js';
import type { SessionCell } from '../../core/slide/field-result.js';
import { SessionController, type ImageIntake, type IntakeOutcome } from '../../core/slide/session-controller.js';
import {
  cursorIndex,
  initialSessionState,
  queueOf,
  reduceSession,
  type SessionEvent,
  type SessionState,
} from '../../core/slide/session-state.js';

let n = 0;
const freshStore = () => RecordsStore.open(`session-controller-${++n}-${Math.random().toString(36).slice(2)}`);

function cell(label: SessionCell['label'], probability: number, x: number): SessionCell {
  return { x, y: 50, box: { x: x - 5, y: 45, width: 10, height: 10 }, label, probability };
}

/** A field of `red` red cells: the given flagged ones first, the rest Uninfected. */
function fieldCells(red: number, flagged: Array<[SessionCell['label'], number]>): SessionCell[] {
  const cells = flagged.map(([label, p], i) => cell(label, p, i * 10));
  for (let i = flagged.length; i < red; i++) cells.push(cell('Uninfected', 0.01, i * 10));
  return cells;
}

/** Intake that "analyses" files by name from a script (no browser needed). */
function scriptedIntake(script: Record<string, SessionCell[] | string>): ImageIntake {
  return {
    // As the real intake: a result is a single cell only when added as one (the real one also turns a
    // field-sized photo picked as a "cell" into a field; the duplicate check keys on the result).
    async *analyse(files, kind, onProgress): AsyncIterable<IntakeOutcome> {
      for (const [i, f] of files.entries()) {
        onProgress(`Analysing ${f.name} (${i + 1} of ${files.length})…`);
        const s = script[f.name];
        if (s === undefined || typeof s === 'string') {
          yield { file: f.name, source: f, error: s ?? 'unknown file' };
          continue;
        }
        yield {
          file: f.name,
          source: f,
          entry: {
            result: { kind: kind === 'cell' ? 'cell' : 'field', name: f.name, width: 6000, height: 2000, cells: s },
            image: null,
            evidence: [],
          },
        };
      }
    },
  };
}

const file = (name: string) => new File([new Uint8Array([1])], name, { type: 'image/jpeg' });

function controllerWith(store: RecordsStore, intake: ImageIntake, clock = { t: 1_700_000_000_000 }) {
  return new SessionController({
    store: async () => store,
    intake: () => intake,
    model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
    now: () => ++clock.t,
  });
}

describe('SessionController', () => {
  it('runs a slide: add fields, review every flag, result from what was confirmed, reload loses nothing', async () => {
    const store = await freshStore();
    const intake = scriptedIntake({
      'f1.jpg': fieldCells(300, [
        ['Parasitized', 0.99],
        ['Inconclusive', 0.3],
        ['Inconclusive', 0.1],
      ]),
      'f2.jpg': fieldCells(250, [
        ['Parasitized', 0.9],
        ['WhiteBloodCell', 0],
      ]),
      'broken.jpg': 'Could not decode the image.',
    });
    const c = controllerWith(store, intake);
    await c.connect();
    expect(c.state.store).toBe('ready');
    expect(await c.start('  ', 1000)).toBe('Enter a patient or slide identifier.');
    expect(await c.start('SLIDE-7', 500)).toBeNull();
    expect(c.state.session?.identifier).toBe('SLIDE-7');
    expect(c.state.openSessions.map((s) => s.identifier)).toEqual(['SLIDE-7']);

    await c.addFiles([file('f1.jpg'), file('broken.jpg'), file('f2.jpg')], 'field');
    expect(c.state.fields.map((f) => f.name)).toEqual(['f1.jpg', 'f2.jpg']);
    expect(c.state.errors).toEqual(['broken.jpg: Could not decode the image.']);
    expect(c.state.working).toBeNull();
    const queue = queueOf(c.state);
    expect(queue.map((q) => q.probability)).toEqual([0.99, 0.9, 0.3, 0.1]);
    expect(c.result?.verdict).toBe('incomplete');
    expect(c.result?.counts.redCells).toBe(549);
    // The cursor starts on the most suspicious pending cell.
    expect(cursorIndex(queue, c.state.cursor)).toBe(0);

    await c.decide(queue[0]!, 'confirmed');
    // …and moves on to the next pending one.
    expect(cursorIndex(queueOf(c.state), c.state.cursor)).toBe(1);
    expect(c.result?.verdict).toBe('positive');
    expect(c.result?.parasitaemia?.confirmed).toBe(1);

    await c.decide(queue[1]!, 'rejected', 'stain-debris');
    await c.decide(queue[2]!, 'unsure');
    expect(c.state.undo).toHaveLength(3);
    await c.undo();
    expect(queueOf(c.state)[2]?.decision).toBe('pending');
    expect(c.state.undo).toHaveLength(2);

    // Reload mid-review: a new controller on the same database sees the same reviews.
    const again = controllerWith(store, intake);
    await again.connect();
    expect(again.state.openSessions).toHaveLength(1);
    await again.open(again.state.openSessions[0]!.id);
    expect(queueOf(again.state).map((q) => [q.decision, q.reason])).toEqual([
      ['confirmed', null],
      ['rejected', 'stain-debris'],
      ['pending', null],
      ['pending', null],
    ]);
    expect(again.result?.verdict).toBe('positive');
    expect(again.state.session?.review).toMatchObject({ confirmed: 1, rejected: 1, pending: 2, queued: 4 });
  });

  it('ends Negative only after every flag is rejected and the target is reached; a change re-opens it', async () => {
    const store = await freshStore();
    const c = controllerWith(
      store,
      scriptedIntake({
        'c12.jpg': fieldCells(400, [
          ['Parasitized', 0.95],
          ['Inconclusive', 0.2],
        ]),
      }),
    );
    await c.connect();
    await c.start('C12', 400);
    await c.addFiles([file('c12.jpg')], 'auto');
    for (const q of queueOf(c.state)) await c.decide(q, 'rejected', 'platelet');
    expect(c.result?.verdict).toBe('negative');
    expect(resultReason(c.result!)).toBe(
      'No parasites found in 400 red cells screened by the model (2 flagged cells checked and rejected by the reviewer).',
    );
    await c.setReviewer('A. M.');
    await c.end();
    expect(c.state.session?.endedAt).not.toBeNull();
    expect(c.state.session?.verdict).toMatchObject({ verdict: 'negative', reviewer: 'A. M.' });
    expect(c.state.openSessions).toEqual([]);
    // A later change makes the stored result stale: the session re-opens.
    await c.decide(queueOf(c.state)[0]!, 'confirmed');
    expect(c.state.session?.endedAt).toBeNull();
    expect(c.state.session?.verdict).toBeNull();
    expect(c.result?.verdict).toBe('positive');
  });

  it('ends a slide with no reviewer named: stored without a name (the report leaves a line to sign)', async () => {
    const store = await freshStore();
    const c = controllerWith(store, scriptedIntake({ 'c12.jpg': fieldCells(400, [['Inconclusive', 0.2]]) }));
    await c.connect();
    await c.start('NO-NAME', 400);
    await c.addFiles([file('c12.jpg')], 'auto');
    for (const q of queueOf(c.state)) await c.decide(q, 'rejected', 'platelet');
    expect(c.state.session?.reviewer ?? null).toBeNull();
    await c.end();
    expect(c.state.session?.endedAt).not.toBeNull();
    expect(c.state.session?.verdict).toMatchObject({ verdict: 'negative', reviewer: null });
  });

  it('a tapped cell the model did not flag joins the queue and becomes the current cell', async () => {
    const store = await freshStore();
    const c = new SessionController({
      store: async () => store,
      intake: () => scriptedIntake({ 'a.jpg': fieldCells(20, [['Parasitized', 0.9]]) }),
      model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
      // A crop for the tapped cell (the browser cuts it from the stored field copy).
      evidenceFor: async (_field, cell) => ({
        cell,
        image: { bytes: new Uint8Array([1, 2, 3]).buffer, type: 'image/webp', width: 26, height: 26 },
        region: { x: 0, y: 0, width: 26, height: 26 },
        where: null,
      }),
    });
    await c.connect();
    await c.start('TAP', 1000);
    await c.addFiles([file('a.jpg')], 'field');
    const fieldId = c.state.fields[0]!.id;
    await c.addToQueue({ fieldId, cell: 7 });
    const q = queueOf(c.state);
    expect(q).toHaveLength(2);
    expect(q[1]).toMatchObject({ cell: 7, addedByUser: true, decision: 'pending' });
    expect(c.state.cursor).toEqual({ fieldId, cell: 7 });
    expect(c.state.fields[0]!.evidence.map((e) => e.cell)).toEqual([7]);
    expect((await store.getSession(c.state.session!.id))?.fields[0]?.evidence.map((e) => e.cell)).toEqual([7]);
    // Tapping a queued cell only moves the cursor.
    await c.addToQueue({ fieldId, cell: 0 });
    expect(queueOf(c.state)).toHaveLength(2);
    expect(c.state.cursor).toEqual({ fieldId, cell: 0 });
  });

  it('writes fast repeated decisions in order, the last one wins', async () => {
    const store = await freshStore();
    const c = controllerWith(store, scriptedIntake({ 'a.jpg': fieldCells(10, [['Parasitized', 0.9]]) }));
    await c.connect();
    await c.start('FAST', 10);
    await c.addFiles([file('a.jpg')], 'field');
    const ref = queueOf(c.state)[0]!;
    await Promise.all([c.decide(ref, 'confirmed'), c.decide(ref, 'rejected'), c.decide(ref, 'unsure')]);
    const stored = await store.getSession(c.state.session!.id);
    expect(stored?.fields[0]?.cells[0]?.review?.decision).toBe('unsure');
    expect(queueOf(c.state)[0]?.decision).toBe('unsure');
  });

  it('follows changes other views make to the records (a deletion closes the slide and says so)', async () => {
    const store = await freshStore();
    const c = controllerWith(store, scriptedIntake({ 'a.jpg': fieldCells(10, [['Parasitized', 0.9]]) }));
    await c.connect();
    await c.start('GONE', 10);
    await c.addFiles([file('a.jpg')], 'field');
    const id = c.state.session!.id;
    await store.deleteSession(id); // as the Records view does
    await expect.poll(() => c.state.session).toBeNull();
    expect(c.state.storageError).toMatch(/deleted/);
    expect(c.state.openSessions).toEqual([]);
  });

  it('photos picked while the model loads are analysed once it is ready, nothing is refused', async () => {
    const store = await freshStore();
    let ready: (intake: ImageIntake) => void = () => {};
    const loading = new Promise<ImageIntake>((resolve) => (ready = resolve));
    const c = new SessionController({
      store: async () => store,
      intake: () => loading,
      model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
    });
    await c.connect();
    await c.start('EARLY', 10);
    const adding = c.addFiles([file('a.jpg')], 'field');
    await expect.poll(() => c.state.working).toMatch(/^Waiting for the model to load before analysing a\.jpg/);
    expect(c.state.fields).toEqual([]);
    ready(scriptedIntake({ 'a.jpg': fieldCells(10, [['Parasitized', 0.9]]) }));
    await adding;
    expect(c.state.fields.map((f) => f.name)).toEqual(['a.jpg']);
    expect(c.state.errors).toEqual([]);
    expect(c.state.working).toBeNull();
  });

  it('says why when there is no model or the store cannot open', async () => {
    const store = await freshStore();
    const c = new SessionController({
      store: async () => store,
      intake: () => null,
      model: () => ({ name: null, queueRecall: null, confidentProbability: 1 }),
    });
    await c.connect();
    await c.start('X', 10);
    await c.addFiles([file('a.jpg')], 'field');
    expect(c.state.errors).toEqual([
      'The model could not be loaded, so images cannot be analysed. Reload to try again.',
    ]);
    expect(c.state.fields).toEqual([]);
    const broken = new SessionController({
      store: async () => {
        throw new Error('IndexedDB is disabled');
      },
      intake: () => null,
      model: () => ({ name: null, queueRecall: null, confidentProbability: 1 }),
    });
    await broken.connect();
    expect(broken.state).toMatchObject({ store: 'unavailable', storeError: 'IndexedDB is disabled' });
  });
});

describe('SessionController: inputs it refuses', () => {
  it('refuses a target that is not a whole number in 1–1,000,000: nothing started or changed, never the default', async () => {
    const store = await freshStore();
    const c = controllerWith(store, scriptedIntake({}));
    await c.connect();
    const message = 'Red cells to count must be a whole number from 1 to 1,000,000 (e.g. 1000).';
    for (const bad of ['abc', '0', '-5', '2,5', '1.5', '', '1000001', 2.5, 0, NaN]) {
      expect(await c.start('T-1', bad), String(bad)).toBe(message);
    }
    expect(c.state.session).toBeNull();
    expect(await store.listSessions()).toEqual([]);
    // "1.500" is fifteen hundred in pt-BR / fr and "1,500" in en: the same count everywhere.
    expect(await c.start('T-1', '1.500')).toBeNull();
    expect(c.state.session?.targetRedCells).toBe(1500);
    expect(await c.setTarget('2,5')).toBe(message);
    expect(await c.setTarget('abc')).toBe(message);
    expect(c.state.session?.targetRedCells).toBe(1500);
    expect(await c.setTarget('2 000')).toBeNull();
    expect(c.state.session?.targetRedCells).toBe(2000);
    expect((await store.getSession(c.state.session!.id))?.session.targetRedCells).toBe(2000);
  });

  it('refuses a photo already in the slide (by content, whatever its name); the rest of the batch goes in', async () => {
    const store = await freshStore();
    const bytes = (name: string, content: number) => new File([new Uint8Array([content, 7, 7])], name);
    const cells = fieldCells(289, [['Parasitized', 0.9]]);
    const c = new SessionController({
      store: async () => store,
      intake: () => scriptedIntake({ 'a.jpg': cells, 'a-copy.jpg': cells, 'b.jpg': cells, 'c.jpg': cells }),
      model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
      digest: async (f) => String(new Uint8Array(await f.arrayBuffer())[0]),
    });
    await c.connect();
    await c.start('DUP', 1000);
    await c.addFiles([bytes('a.jpg', 1)], 'field');
    expect(c.state.fields.map((f) => [f.name, f.digest])).toEqual([['a.jpg', '1']]);
    expect(c.result?.counts.redCells).toBe(289);
    // Same photo again (renamed), a new one, and the new one picked twice in the batch (the first copy
    // is stored by the time the second is looked at).
    await c.addFiles([bytes('a-copy.jpg', 1), bytes('b.jpg', 2), bytes('c.jpg', 2)], 'field');
    expect(c.state.fields.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(c.result?.counts.redCells).toBe(578);
    expect(c.state.errors).toEqual([
      'a-copy.jpg: This photo is already in this slide (image 1, “a.jpg”), so its cells would be counted twice. The image was not added.',
      'c.jpg: This photo is already in this slide (image 2, “b.jpg”), so its cells would be counted twice. The image was not added.',
    ]);
    // Single-cell images are not checked: the same cell file added twice as a cell adds one red cell.
    await c.addFiles([bytes('a.jpg', 1)], 'cell');
    expect(c.state.fields).toHaveLength(3);
    // Stored with the image, so a reload still knows it.
    const again = new SessionController({
      store: async () => store,
      intake: () => scriptedIntake({ 'b.jpg': cells }),
      model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
      digest: async (f) => String(new Uint8Array(await f.arrayBuffer())[0]),
    });
    await again.connect();
    await again.open(c.state.session!.id);
    await again.addFiles([bytes('b.jpg', 2)], 'field');
    expect(again.state.fields).toHaveLength(3);
    expect(again.state.errors[0]).toMatch(/^b\.jpg: This photo is already in this slide \(image 2, “b\.jpg”\)/);
  });

  it('checks only against images that have a digest; a digest that cannot be made adds the photo unchecked', async () => {
    const store = await freshStore();
    const cells = fieldCells(10, []);
    let fail = true;
    const c = new SessionController({
      store: async () => store,
      intake: () => scriptedIntake({ 'old.jpg': cells, 'new.jpg': cells }),
      model: () => ({ name: 'test-model', queueRecall: 0.98, confidentProbability: 0.825 }),
      digest: async () => {
        if (fail) throw new Error('no crypto.subtle');
        return 'same';
      },
    });
    await c.connect();
    await c.start('OLD', 10);
    await c.addFiles([file('old.jpg')], 'field'); // stored without a digest, like an older record
    expect(c.state.fields[0]?.digest).toBeUndefined();
    fail = false;
    await c.addFiles([file('new.jpg')], 'field');
    expect(c.state.fields.map((f) => f.name)).toEqual(['old.jpg', 'new.jpg']);
    expect(c.state.errors).toEqual([]);
  });
});

describe('reduceSession invariants', () => {
  function rec(id: string): SessionRecord {
    return { id, endedAt: null } as SessionRecord;
  }
  function fieldRec(id: string, index: number, cells: SessionCell[]): FieldRecord {
    return { id, index, name: `${id}.jpg`, cells, evidence: [] } as unknown as FieldRecord;
  }

  it('after images are added, the current cell is the most suspicious undecided one, unless the user chose one', () => {
    const f1 = fieldRec('f1', 1, [cell('Inconclusive', 0.3, 0), cell('Uninfected', 0.01, 10)]);
    const f2 = fieldRec('f2', 2, [cell('Uninfected', 0.01, 0), cell('Parasitized', 0.97, 10)]);
    const f3 = fieldRec('f3', 3, [cell('Parasitized', 0.99, 0)]);
    let s = reduceSession(initialSessionState(), { type: 'session-opened', session: rec('s'), fields: [] });
    s = reduceSession(s, { type: 'batch-started' });
    s = reduceSession(s, { type: 'field-saved', session: rec('s'), field: f1 });
    expect(s.cursor).toEqual({ fieldId: 'f1', cell: 0 });
    // The second photo of the batch holds a more suspicious cell: it becomes the current one.
    s = reduceSession(s, { type: 'field-saved', session: rec('s'), field: f2 });
    expect(s.cursor).toEqual({ fieldId: 'f2', cell: 1 });
    // The user picks a cell; a photo saved after that does not move it away.
    s = reduceSession(s, { type: 'cursor', to: { fieldId: 'f1', cell: 0 } });
    s = reduceSession(s, { type: 'field-saved', session: rec('s'), field: f3 });
    expect(s.cursor).toEqual({ fieldId: 'f1', cell: 0 });
    // A new batch: the most suspicious undecided cell again (a decided one is skipped).
    const f3done = {
      ...f3,
      cells: [{ ...f3.cells[0]!, review: { decision: 'rejected' as const, reason: null, at: 1 } }],
    };
    s = reduceSession(s, { type: 'batch-started' });
    s = reduceSession(s, { type: 'field-saved', session: rec('s'), field: f3done });
    expect(s.cursor).toEqual({ fieldId: 'f2', cell: 1 });
  });

  it('the cursor always points at a queued cell (or is null when nothing is queued), over random event sequences', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const labels: SessionCell['label'][] = ['Parasitized', 'Inconclusive', 'Uninfected', 'WhiteBloodCell'];
    for (let run = 0; run < 200; run++) {
      let s: SessionState = reduceSession(initialSessionState(), {
        type: 'session-opened',
        session: rec('s'),
        fields: [],
      });
      const fields: FieldRecord[] = [];
      for (let step = 0; step < 30; step++) {
        const r = rnd();
        let e: SessionEvent;
        if (r < 0.3 || fields.length === 0) {
          const cells = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) =>
            cell(labels[Math.floor(rnd() * 4)]!, rnd(), i),
          );
          const f = fieldRec(`f${fields.length}`, fields.length + 1, cells);
          fields.push(f);
          e = { type: 'field-saved', session: rec('s'), field: f };
        } else if (r < 0.6) {
          const f = fields[Math.floor(rnd() * fields.length)]!;
          const i = Math.floor(rnd() * f.cells.length);
          const decisions = ['pending', 'confirmed', 'rejected', 'unsure'] as const;
          const review = rnd() < 0.2 ? null : { decision: decisions[Math.floor(rnd() * 4)]!, reason: null, at: step };
          const changed = { ...f, cells: f.cells.map((c, j) => (j === i ? { ...c, review } : c)) };
          fields[fields.indexOf(f)] = changed;
          e = {
            type: 'cell-reviewed',
            session: rec('s'),
            field: changed,
            ref: { fieldId: f.id, cell: i },
            undo: null,
            advance: rnd() < 0.5,
          };
        } else if (r < 0.8) {
          e = { type: 'move', delta: Math.floor(rnd() * 5) - 2 };
        } else if (r < 0.95) {
          const f = fields[Math.floor(rnd() * fields.length)]!;
          e = { type: 'cursor', to: { fieldId: f.id, cell: Math.floor(rnd() * f.cells.length) } };
        } else {
          e = { type: 'field-saved', session: rec('other'), field: fieldRec('x', 99, [cell('Parasitized', 1, 0)]) };
        }
        s = reduceSession(s, e);
        const queue = queueOf(s);
        if (queue.length === 0) expect(s.cursor).toBeNull();
        else expect(cursorIndex(queue, s.cursor), `run ${run} step ${step} ${e.type}`).toBeGreaterThanOrEqual(0);
        expect(s.fields.some((f) => f.id === 'x')).toBe(false);
      }
    }
  });
});
