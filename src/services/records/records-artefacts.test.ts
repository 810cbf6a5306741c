/**
 * Records with artefacts (issue 17: detections that are not red cells — platelets, debris): stored
 * with their outline box like any cell, counted nowhere (model totals, review counts, slide result),
 * never reviewed, exported in the per-cell CSV with the same columns. Records written before
 * artefacts existed still load with the same counts. The database schema did not change (v3): a
 * new label value in the cells, no new store, index or field, so no migration.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { FieldResult, SessionCell } from '../../core/slide/field-result.js';
import { makeReview } from '../../core/slide/review.js';
import { slideResult } from '@malaria/contract';
import { buildArchive, parseArchive } from '../../core/records/archive.js';
import { CELL_CSV_HEADER, cellsCsv } from '../../core/records/csv.js';
import { ArchiveError } from '../../core/records/errors.js';
import { DB_VERSION } from '../../core/records/schema.js';
import { RecordsStore } from './records-store.js';

let dbCounter = 0;
const freshName = () => `test-records-artefacts-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

function cell(label: SessionCell['label'], probability: number, x: number): SessionCell {
  return { x, y: 20, box: { x: x - 5, y: 15, width: 10, height: 10 }, label, probability };
}

const RED = [cell('Parasitized', 0.97, 10), cell('Uninfected', 0.01, 30), cell('Inconclusive', 0.5, 50)];
const ARTEFACTS = [cell('Artefact', 0, 70), cell('Artefact', 0, 90)];

function field(name: string, cells: SessionCell[]): FieldResult {
  return { kind: 'field', name, width: 640, height: 480, cells };
}

const image = { bytes: new Uint8Array([1, 2, 3]).buffer, type: 'image/webp', width: 64, height: 64 };

async function sessionWith(store: RecordsStore, cells: SessionCell[]) {
  const s = await store.createSession({
    identifier: 'ART-1',
    targetRedCells: 1000,
    confidentProbability: 0.9,
    modelName: 'test-model',
  });
  const { session, field: f } = await store.addField(s.id, field('a.jpg', cells), image);
  return { session, field: f };
}

describe('records with artefacts', () => {
  it('stores artefacts but counts them nowhere: same totals, review counts and result as without them', async () => {
    expect(DB_VERSION).toBe(3);
    const store = await RecordsStore.open(freshName());
    const withArtefacts = await sessionWith(store, [...ARTEFACTS.slice(0, 1), ...RED, ...ARTEFACTS.slice(1)]);
    const without = await sessionWith(store, RED);
    expect(withArtefacts.field.cells.filter((c) => c.label === 'Artefact')).toHaveLength(2);
    expect(withArtefacts.session.totals).toEqual(without.session.totals);
    expect(withArtefacts.session.totals.redCells).toBe(3);
    expect(withArtefacts.session.review).toEqual(without.session.review);
    expect(withArtefacts.session.review.queued).toBe(2);
    expect(slideResult([withArtefacts.field], 1000, 0.98)).toEqual(slideResult([without.field], 1000, 0.98));
    // Reading it back changes nothing (no repair: the stored counts agree with the cells).
    const loaded = await store.getSession(withArtefacts.session.id);
    expect(loaded?.repairs).toEqual([]);
    store.close();
  });

  it('an artefact cannot be reviewed (it is never in the queue)', async () => {
    const store = await RecordsStore.open(freshName());
    const { session, field: f } = await sessionWith(store, [...RED, ...ARTEFACTS]);
    await expect(store.reviewCell(session.id, f.id, 3, makeReview('confirmed', Date.now()))).rejects.toThrow(
      /artefact, not a red cell/,
    );
    // Clearing a review that does not exist is allowed, as for any cell.
    await expect(store.reviewCell(session.id, f.id, 3, null)).resolves.toBeTruthy();
    store.close();
  });

  it('archives round-trip artefacts; an archive giving an artefact a review is refused', async () => {
    const store = await RecordsStore.open(freshName());
    await sessionWith(store, [...RED, ...ARTEFACTS]);
    const { sessions, fields } = await store.everything();
    const archive = JSON.parse(JSON.stringify(buildArchive(sessions, fields))) as ReturnType<typeof buildArchive>;
    const parsed = parseArchive(archive);
    expect(parsed.notes).toEqual([]);
    expect(parsed.fields[0]!.cells.map((c) => c.label)).toEqual([
      'Parasitized',
      'Uninfected',
      'Inconclusive',
      'Artefact',
      'Artefact',
    ]);
    expect(parsed.sessions[0]!.totals.redCells).toBe(3);
    const reviewed = structuredClone(archive);
    (reviewed.fields[0]!.cells[3] as { review: unknown }).review = makeReview('confirmed', Date.now());
    expect(() => parseArchive(reviewed)).toThrow(ArchiveError);
    expect(() => parseArchive(reviewed)).toThrow(/artefact \(not a red cell\) has no review/);
    store.close();
  });

  it('an older archive (no artefacts anywhere) loads with its counts unchanged', async () => {
    const store = await RecordsStore.open(freshName());
    await sessionWith(store, RED);
    const { sessions, fields } = await store.everything();
    const parsed = parseArchive(JSON.parse(JSON.stringify(buildArchive(sessions, fields))));
    expect(parsed.notes).toEqual([]);
    expect(parsed.sessions[0]!.totals).toEqual(sessions[0]!.totals);
    expect(parsed.sessions[0]!.review).toEqual(sessions[0]!.review);
    store.close();
  });

  it('the per-cell CSV lists artefacts with the same columns, never in the queue', async () => {
    const store = await RecordsStore.open(freshName());
    await sessionWith(store, [...RED, ...ARTEFACTS]);
    const { sessions, fields } = await store.everything();
    const rows = cellsCsv(sessions, fields).trim().split('\r\n');
    expect(rows[0]).toBe(CELL_CSV_HEADER.join(','));
    const artefactRows = rows.filter((r) => r.includes(',Artefact,'));
    expect(artefactRows).toHaveLength(2);
    const col = (name: (typeof CELL_CSV_HEADER)[number]) => CELL_CSV_HEADER.indexOf(name);
    for (const r of artefactRows) {
      const values = r.split(',');
      expect(values).toHaveLength(CELL_CSV_HEADER.length);
      expect(values[col('in_queue')]).toBe('0');
      expect(values[col('p_parasitized')]).toBe('0');
      expect(values[col('review')]).toBe('');
    }
    store.close();
  });
});
