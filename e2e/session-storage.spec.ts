/**
 * Safety of on-device records:
 *  - storage full (a small quota set through the DevTools protocol) → a clear message, and every
 *    image saved before the failure is still there after a reload;
 *  - an app update from schema v1 keeps old records (a v1 database seeded with raw IndexedDB);
 *  - the printable report shows only the report, with the screening-aid disclaimer.
 */
import { appRoot, expect, openApp, test } from './helpers/app-test.js';
import { waitForServiceWorkerControl } from './pwa-helpers.js';
import {
  fixtureCells,
  recordRow,
  recordsView,
  rowTotals,
  sessionImages,
  sessionView,
  showTab,
  startSession,
} from './session-helpers.js';

test('storage full: a clear message and nothing already saved is lost', async ({ page, baseURL }) => {
  test.setTimeout(150_000);
  await openApp(page, '?backend=wasm');
  await waitForServiceWorkerControl(page); // precache finished: its writes are not what fails

  // Give the origin only 30 kB more than it uses now. (Chromium picks the override up for writes
  // to a database that this page has not written to yet, so it is set before the session starts.)
  const origin = new URL(baseURL!).origin;
  const cdp = await page.context().newCDPSession(page);
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 30_000 });
  try {
    await startSession(page, 'QUOTA-1');
    const view = sessionView(page);
    await view.getByTestId('add-cells-input').setInputFiles(fixtureCells('Uninfected', 2));
    await expect(view.getByTestId('total-red-cells')).toHaveText('2');

    // Keep adding cells until storage runs out.
    const many = [...fixtureCells('Parasitized', 20), ...fixtureCells('Uninfected', 18, 2)];
    await view.getByTestId('add-cells-input').setInputFiles(many);
    await expect(view.getByTestId('storage-error')).toContainText('Storage on this device is full', {
      timeout: 90_000,
    });
    await expect(view.getByTestId('storage-error')).toContainText('Everything saved before is safe');
    await expect(view.getByTestId('session-working')).toHaveText('');
    const saved = Number(await view.getByTestId('total-red-cells').textContent());
    expect(saved).toBeGreaterThan(2);
    expect(saved).toBeLessThan(2 + many.length);
    await expect(sessionImages(page)).toHaveCount(saved);

    // Nothing saved before the failure was lost: the same count after a reload, cell by cell.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.reload();
    await showTab(page, 'Records');
    const row = recordRow(page, 'QUOTA-1');
    await expect(row.getByTestId('record-red-cells')).toHaveText(String(saved));
    await row.getByRole('button').click();
    await expect(recordsView(page).getByTestId('record-detail').locator('session-report tbody tr')).toHaveCount(saved);

    // With space again, the unfinished session continues. (Images are accepted once the model has
    // loaded after the reload: until then the add buttons are disabled and say so.)
    await expect(appRoot(page)).toHaveAttribute('data-ready', '', { timeout: 90_000 });
    await showTab(page, 'Session');
    await sessionView(page).getByTestId('resume-session').click();
    await expect(sessionView(page).getByTestId('add-cells-input')).toBeEnabled();
    await sessionView(page)
      .getByTestId('add-cells-input')
      .setInputFiles(fixtureCells('Uninfected', 1, 0));
    await expect(sessionView(page).getByTestId('total-red-cells')).toHaveText(String(saved + 1));
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});

test('an update from schema v1 keeps old records; the report prints on its own', async ({ page }) => {
  // A blank page of the app's origin (answered by the test, not the server) to seed the v1 database.
  await page.route('**/seed-v1.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>seed</title><link rel="icon" href="data:,">',
    }),
  );
  await page.goto('./seed-v1.html');
  await page.evaluate(async () => {
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('malaria-screen-records', 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore('sessions', { keyPath: 'id' });
        store.createIndex('createdAt', 'createdAt');
        const box = { x: 0, y: 0, width: 40, height: 40 };
        store.put({
          id: 'v1-a',
          identifier: 'OLD-V1 ward 2',
          createdAt: '2025-03-01T09:00:00.000Z',
          endedAt: '2025-03-01T09:20:00.000Z',
          target: 1000,
          redCells: 812,
          parasitized: 17,
          inconclusive: 4,
          verdict: 'Positive',
          fields: [
            {
              name: 'f1.jpg',
              width: 4000,
              height: 3000,
              cells: [
                { x: 20, y: 20, box, label: 'Parasitized', probability: 0.97 },
                { x: 20, y: 20, box, label: 'Uninfected', probability: 0.02 },
              ],
            },
          ],
        });
        store.put({
          id: 'v1-b',
          identifier: 'OLD-V1 ward 5',
          createdAt: '2025-03-02T09:00:00.000Z',
          endedAt: null,
          redCells: 230,
          parasitized: 0,
          inconclusive: 1,
          verdict: null,
        });
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
  });

  await openApp(page, '?backend=wasm');
  await showTab(page, 'Records');
  await expect(recordsView(page).getByTestId('record')).toHaveCount(2);
  // newest first
  await expect(recordsView(page).getByTestId('record').first()).toHaveAttribute('data-identifier', 'OLD-V1 ward 5');
  // Counts are derived from the stored cells (v1 kept counters beside them; they are not trusted).
  // The v1 verdict was the model's alone: it is kept, labelled as such, and is not the slide result.
  expect(await rowTotals(recordRow(page, 'OLD-V1 ward 2'))).toEqual({
    redCells: '2',
    flagged: '1',
    confirmed: '0',
    verdict: 'Ended, not reviewed',
  });
  expect(await rowTotals(recordRow(page, 'OLD-V1 ward 5'))).toMatchObject({ redCells: '0', verdict: 'In progress' });

  await recordRow(page, 'OLD-V1 ward 2').getByRole('button').click();
  const detail = recordsView(page).getByTestId('record-detail');
  await expect(detail.getByTestId('report-verdict')).toHaveAttribute('data-verdict', 'incomplete');
  await expect(detail).toContainText('Model-only estimate from an older version of the app');
  await expect(detail).toContainText('The rule was not stored with this verdict');

  // Print: only the report is shown in print media, with the disclaimer.
  await page.evaluate(() => {
    window.print = () => document.documentElement.setAttribute('data-printed', '');
  });
  await detail.getByTestId('print-report').click();
  await expect(page.locator('html[data-printed]')).toHaveCount(1);
  await page.emulateMedia({ media: 'print' });
  const printed = page.locator('body > [data-testid="print-report"]');
  await expect(printed).toBeVisible();
  await expect(printed.getByTestId('disclaimer')).toContainText('Screening aid only, not a diagnosis');
  await expect(printed.getByTestId('report-identifier')).toHaveText('OLD-V1 ward 2');
  await expect(page.locator('malaria-app')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('malaria-app')).toBeVisible();
  await expect(printed).toBeHidden();

  // Delete one, then all.
  await detail.getByTestId('delete-record').click();
  await detail.getByTestId('confirm-delete-record').click();
  await expect(recordsView(page).getByTestId('record')).toHaveCount(1);
  await recordsView(page).getByTestId('delete-all').click();
  await recordsView(page).getByTestId('confirm-delete-all').click();
  await expect(recordsView(page).getByTestId('records-empty')).toBeVisible();
});
