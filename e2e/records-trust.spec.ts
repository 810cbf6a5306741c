/**
 * Issue 13 "Records you can trust", in the browser (no model needed: nothing is analysed):
 *  - item 4: two tabs of one profile — a change made in tab B (new target, end, a new slide) shows
 *    in tab A's session screen and Records list within a second (BroadcastChannel);
 *  - item 3: a record with createdAt = 1e308 written straight into IndexedDB: Records shows
 *    "date unknown" (never "Invalid Date") and flags it; the exports leave it out and say so;
 *  - item 2 + 5: importing an archive that claims "9 of 10 parasitized, Negative" stores it
 *    re-opened and says what was recomputed; the imported unfinished slides can be continued at
 *    once (no reload);
 *  - item 5: with IndexedDB refused, the Session tab says sessions are off and nothing is saved.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/app-test.js';
import { recordRow, recordsView, sessionView, showTab, startSession, watchErrors } from './session-helpers.js';

/** Opens the app and waits until the records store is ready (the model is not needed here). */
async function openRecordsApp(page: Page): Promise<void> {
  await page.goto('./');
  await showTab(page, 'Session');
  await expect(sessionView(page).getByTestId('start-session')).toBeEnabled({ timeout: 60_000 });
}

const T0 = 1_700_000_000_000;

function cell(label: string, x: number, review: { decision: string; reason: null; at: number } | null) {
  return {
    x,
    y: 20,
    box: { x: x - 5, y: 15, width: 10, height: 10 },
    label,
    probability: label === 'Parasitized' ? 0.97 : 0.02,
    review,
  };
}

function session(id: string, identifier: string, over: Record<string, unknown>) {
  return {
    id,
    identifier,
    identifierKey: identifier.toLowerCase(),
    createdAt: T0,
    updatedAt: T0 + 1000,
    endedAt: null,
    targetRedCells: 10,
    bloodCount: null,
    totals: {
      redCells: 3,
      parasitized: 0,
      uninfected: 3,
      inconclusive: 0,
      whiteBloodCells: 0,
      confidentParasitized: 0,
    },
    confidentProbability: 0.825,
    fieldCount: 1,
    reviewer: null,
    review: { redCells: 3, whiteBloodCells: 0, queued: 0, pending: 0, confirmed: 0, rejected: 0, unsure: 0 },
    verdict: null,
    legacyModelVerdict: null,
    modelName: 'e2e',
    ...over,
  };
}

function field(id: string, sessionId: string, cells: unknown[]) {
  return {
    id,
    sessionId,
    index: 1,
    addedAt: T0 + 500,
    kind: 'field',
    name: `${id}.jpg`,
    width: 640,
    height: 480,
    cells,
    image: null,
    evidence: [],
  };
}

test('two tabs show the stored truth: a change in one appears in the other within a second', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await openRecordsApp(page);
  await startSession(page, 'TABS-1');

  const tabB = await context.newPage();
  const errorsB = watchErrors(tabB);
  await openRecordsApp(tabB);
  const viewB = sessionView(tabB);
  await viewB.locator('[data-testid="resume-session"][data-identifier="TABS-1"]').click();
  await expect(viewB.getByTestId('session-current-identifier')).toHaveText('TABS-1');

  // B changes the target: A's session screen follows
  await viewB.getByTestId('target').fill('5');
  await viewB.getByTestId('target').press('Tab');
  await expect(sessionView(page).getByTestId('target')).toHaveValue('5', { timeout: 1_000 });

  // A's Records list follows B's end of the slide and B's next slide
  await showTab(page, 'Records');
  await expect(recordRow(page, 'TABS-1').getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'open');
  await viewB.getByTestId('reviewer').fill('B. M.');
  await viewB.getByTestId('reviewer').press('Tab');
  await viewB.getByTestId('end-session').click();
  await expect(viewB.getByTestId('session-ended')).toBeVisible();
  await expect(recordRow(page, 'TABS-1').getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'incomplete', {
    timeout: 1_000,
  });
  await viewB.getByTestId('new-session').click();
  await startSession(tabB, 'TABS-2');
  await expect(recordRow(page, 'TABS-2')).toBeVisible({ timeout: 1_000 });

  // and A's session screen shows the slide ended by B
  await showTab(page, 'Session');
  await expect(sessionView(page).getByTestId('session-ended')).toBeVisible({ timeout: 1_000 });
  expect(errorsB).toEqual([]);
  await tabB.close();
});

test('a stored record with createdAt = 1e308: "date unknown", flagged, left out of exports with a message', async ({
  page,
}) => {
  await openRecordsApp(page);
  await startSession(page, 'GOOD-1');
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('malaria-screen-records');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('sessions', 'readwrite');
      const store = tx.objectStore('sessions');
      const all = store.getAll();
      all.onsuccess = () => {
        const good = (all.result as Record<string, unknown>[])[0]!;
        store.put({
          ...good,
          id: 'bad-1',
          identifier: 'BAD-1',
          identifierKey: 'bad-1',
          createdAt: 1e308,
          endedAt: good.createdAt,
        });
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });
  await page.reload();
  await showTab(page, 'Records');
  const records = recordsView(page);
  const bad = recordRow(page, 'BAD-1');
  await expect(recordRow(page, 'GOOD-1')).toBeVisible();
  await expect(bad).toBeVisible();
  await expect(records).not.toContainText('Invalid Date');
  await expect(bad.getByTestId('record-started')).toHaveText('date unknown');
  await expect(bad.getByTestId('record-problem')).toContainText('"createdAt" must be a time between 2000-01-01 and');

  const [csv] = await Promise.all([page.waitForEvent('download'), records.getByTestId('export-sessions-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^GOOD-1,/);
  await expect(records.getByTestId('records-message')).toContainText(
    'Exported 1 session (sessions CSV). 1 session was left out',
  );
  await expect(records.getByTestId('records-message')).toContainText('“BAD-1” ("createdAt" must be a time');
  const [cellsCsv] = await Promise.all([
    page.waitForEvent('download'),
    records.getByTestId('export-cells-csv').click(),
  ]);
  expect(
    readFileSync(await cellsCsv.path(), 'utf8')
      .trim()
      .split('\r\n'),
  ).toHaveLength(1);
  const [archive] = await Promise.all([page.waitForEvent('download'), records.getByTestId('export-archive').click()]);
  const json = JSON.parse(readFileSync(await archive.path(), 'utf8')) as { sessions: { identifier: string }[] };
  expect(json.sessions.map((s) => s.identifier)).toEqual(['GOOD-1']);
  await expect(records.getByTestId('records-message')).toContainText(
    'Exported 1 session with 0 images. 1 session was left out',
  );

  // the damaged record opens (its report says "date unknown") and can be deleted
  await bad.getByRole('button').click();
  await expect(records.getByTestId('record-detail')).not.toContainText('Invalid Date');
  await records.getByTestId('delete-record').click();
  await records.getByTestId('confirm-delete-record').click();
  await expect(bad).toHaveCount(0);
});

test('an import that claims "9 of 10 parasitized, Negative" is stored re-opened and said; imported slides can be continued at once', async ({
  page,
}) => {
  await openRecordsApp(page);
  const confirmed = (i: number) => ({ decision: 'confirmed', reason: null, at: T0 + i });
  const lieCells = [
    ...Array.from({ length: 9 }, (_, i) => cell('Parasitized', 10 + i * 20, confirmed(i))),
    cell('Uninfected', 300, null),
  ];
  const archive = {
    format: 'malaria-screen-records',
    formatVersion: 1,
    schemaVersion: 3,
    exportedAt: new Date(T0).toISOString(),
    sessions: [
      session('imported-open', 'IMPORTED-OPEN', {}),
      session('lie-9', 'LIE-9', {
        endedAt: T0 + 2000,
        updatedAt: T0 + 2000,
        totals: {
          redCells: 10,
          parasitized: 0,
          uninfected: 10,
          inconclusive: 0,
          whiteBloodCells: 0,
          confidentParasitized: 0,
        },
        review: { redCells: 10, whiteBloodCells: 0, queued: 9, pending: 0, confirmed: 9, rejected: 0, unsure: 0 },
        verdict: {
          verdict: 'negative',
          reason: 'No parasites found in 10 red cells reviewed.',
          missing: [],
          decidedAt: T0 + 2000,
          reviewer: null,
        },
      }),
    ],
    fields: [
      field('imported-open-f1', 'imported-open', [
        cell('Uninfected', 10, null),
        cell('Uninfected', 30, null),
        cell('Uninfected', 50, null),
      ]),
      field('lie-9-f1', 'lie-9', lieCells),
    ],
  };
  await showTab(page, 'Records');
  const records = recordsView(page);
  await records.getByTestId('import-archive-input').setInputFiles({
    name: 'two-sessions.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(archive)),
  });
  await expect(records.getByTestId('records-message')).toContainText('2 new sessions, 0 updated, 0 already here');
  await expect(recordRow(page, 'LIE-9').getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'open');
  await expect(records.getByTestId('records-details')).toContainText(
    'Recomputed from the cells: session “LIE-9”: its model counts said 10 red cells, 0 parasitized; its cells give 10 red cells, 9 parasitized',
  );
  await expect(records.getByTestId('records-details')).toContainText(
    'its stored result (negative) is not what its cells give (positive): result removed and the slide re-opened',
  );
  await expect(recordRow(page, 'LIE-9').getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'open');
  await expect(recordRow(page, 'LIE-9').getByTestId('record-confirmed')).toHaveText('9');

  // no reload: both unfinished slides can be continued from the Session tab
  await showTab(page, 'Session');
  const view = sessionView(page);
  await expect(view.locator('[data-testid="resume-session"][data-identifier="IMPORTED-OPEN"]')).toBeVisible();
  await view.locator('[data-testid="resume-session"][data-identifier="LIE-9"]').click();
  await expect(view.getByTestId('session-current-identifier')).toHaveText('LIE-9');
});

test('with IndexedDB refused, the Session tab says slide sessions are off and nothing is saved', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function open(): IDBOpenDBRequest {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await page.goto('./');
  await showTab(page, 'Session');
  const error = sessionView(page).getByTestId('store-error');
  await expect(error).toContainText('Slide sessions are off: they cannot be saved on this device');
  await expect(error).toContainText(
    'Records storage could not be opened (The user denied permission to access the database.)',
  );
  await expect(error).toContainText('nothing is saved');
  await expect(error).not.toContainText('still shown');
});
