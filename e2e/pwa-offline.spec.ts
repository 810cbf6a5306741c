/**
 * Offline-first: load the production build once online, let the service worker take control, pull
 * the network (context.setOffline, and the server is stopped), reload, and keep classifying — on WASM and on WebGL. Every
 * request the page or its service worker makes goes to the app's own origin.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext } from '@playwright/test';
import type { ModelLabel } from '@malaria/contract';
import {
  DIST,
  FIXTURE_CELLS,
  collectPageErrors,
  fileInput,
  isOwnOrigin,
  startAppServer,
  waitForAppReady,
  waitForServiceWorkerControl,
  type AppServer,
} from './pwa-helpers.js';

let server: AppServer;
test.beforeEach(async () => {
  server = await startAppServer(DIST);
});
test.afterEach(async () => {
  await server.stop();
});

/** The NIH fixture folders: the two ground-truth classes. */
type Label = Exclude<ModelLabel, 'Inconclusive'>;

function fixtures(): Array<{ path: string; name: string; label: Label }> {
  return (['Parasitized', 'Uninfected'] as const).flatMap((label) =>
    readdirSync(join(FIXTURE_CELLS, label))
      .filter((f) => f.endsWith('.webp'))
      .sort()
      .map((name) => ({ path: join(FIXTURE_CELLS, label, name), name, label })),
  );
}

/** Records every request of the context, the service worker's own fetches included. */
function recordForeignRequests(context: BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  context.on('request', (r) => {
    if (!isOwnOrigin(r.url(), origin)) foreign.push(r.url());
  });
  return foreign;
}

for (const backend of ['wasm', 'webgl'] as const) {
  test(`offline reload keeps classifying on ${backend}`, async ({ page, context }) => {
    test.setTimeout(backend === 'webgl' ? 240_000 : 120_000);
    const origin = new URL(server.url).origin;
    const foreign = recordForeignRequests(context, origin);
    page.on('request', (r) => {
      if (!isOwnOrigin(r.url(), origin)) foreign.push(r.url());
    });
    const errors = collectPageErrors(page);
    const status = page.locator('pwa-status');

    // 1. Online, first visit: the worker installs, precaches everything and takes control.
    await page.goto(`${server.url}?backend=${backend}`);
    await waitForAppReady(page, backend);
    await waitForServiceWorkerControl(page);
    await expect(status.getByTestId('pwa-message')).toHaveText(/Ready to work offline/);
    await expect(status.getByTestId('pwa-connection')).toHaveText(/^Works offline$/);
    // Classify every fixture cell online; keep the most confident correct cell of each class.
    const all = fixtures();
    await fileInput(page).setInputFiles(all.map((f) => f.path));
    const results = page.locator('[data-testid="result"]');
    await expect(results).toHaveCount(all.length, { timeout: 120_000 });
    const online = new Map<string, { label: string | null; p: number }>();
    for (const r of await results.all()) {
      online.set((await r.getAttribute('data-file')) ?? '', {
        label: await r.getAttribute('data-label'),
        p: Number(await r.getAttribute('data-probability')),
      });
    }
    const pick = (label: Label) => {
      const correct = all.filter((f) => f.label === label && online.get(f.name)?.label === label);
      expect(correct.length, `online: no ${label} fixture classified as ${label}`).toBeGreaterThan(0);
      const confidence = (f: (typeof all)[number]) => Math.abs((online.get(f.name)?.p ?? 0.5) - 0.5);
      return correct.sort((x, y) => confidence(y) - confidence(x))[0] as (typeof all)[number];
    };
    const chosen = [pick('Parasitized'), pick('Uninfected')];

    // 2. Network gone (browser offline AND the server stopped). In a page that is already open the
    //    browser fires `offline`, and the pill says so (the one place where the emulation of
    //    navigator.onLine is the same in every Chromium build; across a reload it is not, so the
    //    reloaded page's pill is not asserted: the reducer's test covers its wording).
    await context.setOffline(true);
    await expect(status.getByTestId('pwa-connection')).toHaveText(/^Offline · works offline$/);
    await server.stop();
    // The reload comes from the precache, model and WASM/WebGL included: the navigation is answered
    // by the service worker, nothing reaches the (stopped) server.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker(), 'the reload was not served by the service worker').toBe(true);
    await waitForAppReady(page, backend);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The pill still promises offline use, whatever this build says about navigator.onLine.
    await expect(status.getByTestId('pwa-connection')).toHaveText(/works offline/i);
    // The cached shell kept its COOP/COEP headers: still cross-origin isolated (threaded WASM).
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    // The same cells, under new names, get the same labels and probabilities offline.
    await fileInput(page).setInputFiles(
      chosen.map((f) => ({ name: `offline-${f.name}`, mimeType: 'image/webp', buffer: readFileSync(f.path) })),
    );
    for (const f of chosen) {
      const row = page.locator(`[data-testid="result"][data-file="offline-${f.name}"]`);
      await expect(row).toHaveAttribute('data-label', f.label, { timeout: 60_000 });
      expect(Number(await row.getAttribute('data-probability'))).toBeCloseTo(online.get(f.name)?.p ?? NaN, 3);
    }

    // Nothing ever went to another origin.
    expect(foreign).toEqual([]);
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });
}
