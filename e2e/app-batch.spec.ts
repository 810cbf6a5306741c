import type { Page } from '@playwright/test';
import { allFixtureCells } from './helpers/fixtures.js';
import {
  expect,
  openApp,
  payloadOf,
  results,
  test,
  upload,
  waitForIdle,
  type FilePayload,
} from './helpers/app-test.js';

// Trace snapshots serialise the whole DOM (1,000 shadow roots) on the page's main thread at every
// action, which would dominate the responsiveness measurement; this file runs without tracing.
test.use({ trace: 'off' });

/** 1,000 files: the 40 fixture cells repeated under distinct names. */
async function thousandCells(): Promise<FilePayload[]> {
  const cells = await Promise.all(allFixtureCells().map((c) => payloadOf(c.path)));
  return Array.from({ length: 1000 }, (_, i) => {
    const c = cells[i % cells.length] as FilePayload;
    return { ...c, name: `${String(i).padStart(4, '0')}-${c.name}` };
  });
}

/**
 * Starts a probe on a 20 ms timer: the longest delay (main-thread blocking, reported, not asserted:
 * it depends on the machine's load) and every distinct value the progress bar showed (asserted: a
 * batch that ran as one blocking pass would show at most its start and end).
 */
async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __maxLag: number;
      __lagTimer: number;
      __progress: Set<number>;
      __batchMs: number | null;
    };
    w.__maxLag = 0;
    w.__progress = new Set();
    w.__batchMs = null;
    const start = performance.now();
    let last = start;
    w.__lagTimer = window.setInterval(() => {
      const t = performance.now();
      w.__maxLag = Math.max(w.__maxLag, t - last - 20);
      last = t;
      const view = document.querySelector('malaria-app')?.shadowRoot?.querySelector('cell-classifier-view');
      const bar = view?.shadowRoot?.querySelector('batch-progress')?.shadowRoot?.querySelector('progress');
      if (bar) w.__progress.add(bar.value);
      // The bar goes away when the batch ends: its end is when the app's busy flag drops.
      if (w.__batchMs === null && window.__malariaDebug?.isBusy() === false) w.__batchMs = t - start;
    }, 20);
  });
}

const probe = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as {
      __maxLag: number;
      __lagTimer: number;
      __progress: Set<number>;
      __batchMs: number | null;
    };
    clearInterval(w.__lagTimer);
    return { lag: w.__maxLag, progressValues: w.__progress.size, batchMs: w.__batchMs };
  });

test('a 1,000-cell batch runs in chunks with progress, keeps the page responsive and holds the busy flag', async ({
  page,
}) => {
  await openApp(page);
  const files = await thousandCells();
  const t0 = Date.now();
  await upload(page, files);
  // Measured from here: setInputFiles itself (Playwright building 1,000 File objects) stalls the page.
  await startProbe(page);
  // No Playwright locators until the batch ends: they walk every shadow root on the page's main
  // thread and would show up as stalls (see waitForIdle). In-page checks instead.
  const during = await page.evaluate(async () => {
    const app = document.querySelector('malaria-app')!;
    const root = app.shadowRoot!;
    const view = root.querySelector('cell-classifier-view')!;
    const bar = view.shadowRoot!.querySelector('batch-progress')?.shadowRoot?.querySelector('progress');
    // The UI still reacts while the batch runs: switch tabs and back. (The Records view is loaded
    // on first use, so the switch completes once its module has arrived: wait for it, up to 30 s.)
    const selected = async (id: string) => {
      for (let i = 0; i < 600 && root.querySelector(id)?.getAttribute('aria-selected') !== 'true'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return root.querySelector(id)?.getAttribute('aria-selected');
    };
    (root.querySelector('#tab-records') as HTMLButtonElement).click();
    const switched = await selected('#tab-records');
    (root.querySelector('#tab-cells') as HTMLButtonElement).click();
    await selected('#tab-cells');
    await app.updateComplete;
    return { busy: window.__malariaDebug!.isBusy(), max: bar?.max ?? null, switched };
  });
  expect(during).toEqual({ busy: true, max: 1000, switched: 'true' });
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false, undefined, {
    polling: 250,
    timeout: 120_000,
  });
  const seconds = (Date.now() - t0) / 1000;
  // Read before any further locator work (locators walk all 1,000 shadow roots on the main thread).
  const { lag, progressValues, batchMs } = await probe(page);
  await waitForIdle(page);
  await expect(results(page)).toHaveCount(1000);
  expect(await page.evaluate(() => window.__malariaDebug!.isBusy())).toBe(false);
  const totals = page.locator('[data-testid="totals"]');
  const counted = ['data-parasitized', 'data-uninfected', 'data-inconclusive', 'data-errors'];
  let sum = 0;
  for (const a of counted) sum += Number(await totals.getAttribute(a));
  expect(sum).toBe(1000);
  expect(Number(await totals.getAttribute('data-errors'))).toBe(0);
  console.log(
    `1000 cells in ${seconds.toFixed(1)} s (upload + UI), batch ${batchMs?.toFixed(0)} ms, ${progressValues} progress values, longest main-thread stall ${lag.toFixed(0)} ms`,
  );
  // Thumbnails are object URLs made only for rows on screen (content-visibility: auto), not 1,000 up front.
  const thumbnails = () =>
    page.evaluate(() => {
      const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
      const rows = Array.from(view.shadowRoot!.querySelectorAll('cell-result-row'));
      const has = (r: Element | undefined) => !!r?.shadowRoot?.querySelector('img.thumb[src^="blob:"]');
      return { withUrl: rows.filter(has).length, first: has(rows[0]), last: has(rows.at(-1)) };
    });
  const shown = await thumbnails();
  expect(shown.first).toBe(true);
  expect(shown.last).toBe(false);
  expect(shown.withUrl).toBeLessThan(200);
  await results(page).last().scrollIntoViewIfNeeded();
  await expect.poll(async () => (await thumbnails()).last).toBe(true);
  // Chunks of 32 keep every stall well below a second (measured 110–360 ms on a loaded 2-core machine;
  // one unchunked forward pass over 1,000 cells blocks for several seconds). The stall is printed
  // above, not asserted (it depends on the machine); what is asserted is that the page rendered the
  // progress of many chunks while the batch ran, which only a chunked, yielding batch can do. The view
  // shows progress at most every UI_UPDATE_INTERVAL_MS (500 ms, cell-classifier-view.ts), so the count
  // asked for scales with the batch's own duration (one value per interval, one spare: 2.1 s here → 4,
  // 5 shown), and a fast machine is not failed for finishing in fewer intervals. A batch run as one
  // blocking pass shows two values (start and end) whatever its length.
  expect(batchMs, 'the probe saw the batch end').not.toBeNull();
  const expectedValues = Math.min(5, Math.floor((batchMs ?? 0) / 500));
  expect(progressValues, 'distinct progress values the page showed during the batch').toBeGreaterThanOrEqual(
    expectedValues,
  );
});

test('Cancel stops the batch, keeps the results so far and releases the busy flag', async ({ page }) => {
  await openApp(page);
  await upload(page, await thousandCells());
  const progress = page.getByTestId('batch-progress');
  await expect(progress).toBeVisible();
  await expect
    .poll(async () => Number(await progress.evaluate((p: HTMLProgressElement) => p.value)))
    .toBeGreaterThanOrEqual(64);
  await page.getByTestId('cancel-batch').click();
  await waitForIdle(page);
  await expect(page.getByTestId('cells-status')).toContainText('Cancelled');
  const kept = await results(page).count();
  expect(kept).toBeGreaterThanOrEqual(64);
  expect(kept).toBeLessThan(1000);
  expect(await page.evaluate(() => window.__malariaDebug!.isBusy())).toBe(false);
  // The app keeps working after a cancel.
  const extra = await payloadOf(allFixtureCells()[0]!.path);
  await upload(page, [{ ...extra, name: 'after-cancel.webp' }]);
  await expect(results(page)).toHaveCount(kept + 1);
});
