/**
 * Safe updates: serve build A, load it, switch the same origin to build B, check for an update.
 * The prompt appears, a batch that is running is not interrupted (Reload waits for it), accepting
 * reloads into B, and B's shell and B's model are the ones in use.
 *
 * Builds A and B are real production builds (e2e/pwa-update.vite.config.ts = the app config + a
 * model-metadata tag), written to node_modules/.pwa-update/{a,b}/ (git-ignored) in beforeAll.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  FIXTURE_CELLS,
  REPO_ROOT,
  collectPageErrors,
  fileInput,
  isOwnOrigin,
  startAppServer,
  waitForAppReady,
  waitForServiceWorkerControl,
  type AppServer,
} from './pwa-helpers.js';

const BUILD_A = join(REPO_ROOT, 'node_modules', '.pwa-update', 'a');
const BUILD_B = join(REPO_ROOT, 'node_modules', '.pwa-update', 'b');
/** Enough cells that the batch is certainly still running when Reload is clicked. */
const BATCH_SIZE = 600;

function buildVariant(outDir: string, id: string): void {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'e2e/pwa-update.vite.config.ts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, APP_BUILD_ID: id, PWA_TEST_MODEL_TAG: id }, stdio: 'inherit' },
  );
}

function modelName(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8')) as { name: string }).name;
}

/** BATCH_SIZE in-memory files cycling through the fixture cells (distinct names). */
function batchFiles(): Array<{ name: string; mimeType: string; buffer: Buffer }> {
  const cells = (['Parasitized', 'Uninfected'] as const).flatMap((label) =>
    readdirSync(join(FIXTURE_CELLS, label))
      .filter((f) => f.endsWith('.webp'))
      .map((f) => join(FIXTURE_CELLS, label, f)),
  );
  const buffers = cells.map((c) => readFileSync(c));
  return Array.from({ length: BATCH_SIZE }, (_, i) => ({
    name: `batch-${String(i).padStart(4, '0')}.webp`,
    mimeType: 'image/webp',
    buffer: buffers[i % buffers.length] as Buffer,
  }));
}

let server: AppServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  buildVariant(BUILD_A, 'pwa-update-a');
  buildVariant(BUILD_B, 'pwa-update-b');
  server = await startAppServer(BUILD_A);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(BUILD_A, { recursive: true, force: true });
  rmSync(BUILD_B, { recursive: true, force: true });
});

test('an update waits for the running batch, then reloads into the new shell and model', async ({ page, context }) => {
  test.setTimeout(240_000);
  const origin = new URL(server.url).origin;
  const foreign: string[] = [];
  context.on('request', (r) => {
    if (!isOwnOrigin(r.url(), origin)) foreign.push(r.url());
  });
  const errors = collectPageErrors(page);
  const status = page.locator('pwa-status');
  const message = status.getByTestId('pwa-message');

  // Build A, first visit.
  await page.goto(`${server.url}?backend=wasm`);
  await waitForAppReady(page, 'wasm');
  await waitForServiceWorkerControl(page);
  await expect(status).toHaveAttribute('data-build-id', 'pwa-update-a');
  await expect(message).toHaveText(/Ready to work offline/);

  // Deploy build B on the same origin (same port); the app checks for an update.
  await server.stop();
  server = await startAppServer(BUILD_B, server.port);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg?.update();
  });
  await expect(message).toHaveText(/A new version is available/, { timeout: 60_000 });
  // B waits; the page still runs A.
  await expect(status).toHaveAttribute('data-build-id', 'pwa-update-a');
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(
    true,
  );

  // At unload, remember whether a batch was still running and how many results there were.
  await page.evaluate(() => {
    const deepAll = (root: ParentNode, selector: string): Element[] => [
      ...root.querySelectorAll(selector),
      ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? deepAll(el.shadowRoot, selector) : [])),
    ];
    addEventListener('pagehide', () => {
      sessionStorage.setItem(
        'pwa-test-unload',
        JSON.stringify({
          busy: deepAll(document, 'pwa-status')[0]?.getAttribute('data-busy'),
          results: deepAll(document, '[data-testid="result"]').length,
        }),
      );
    });
  });

  // Start a batch, then accept the update while it runs.
  await fileInput(page).setInputFiles(batchFiles());
  await expect(status).toHaveAttribute('data-busy', 'true');
  await status.getByTestId('pwa-reload').click();
  await expect(message).toHaveText(/will reload when the batch finishes/);
  await expect(status).toHaveAttribute('data-build-id', 'pwa-update-a');

  // When the batch is done the page reloads into B (no user action in between).
  await expect(status).toHaveAttribute('data-build-id', 'pwa-update-b', { timeout: 180_000 });
  const unload = JSON.parse((await page.evaluate(() => sessionStorage.getItem('pwa-test-unload'))) ?? '{}') as {
    busy?: string;
    results?: number;
  };
  expect(unload.busy).toBe('false');
  expect(unload.results).toBe(BATCH_SIZE);

  // B's shell, B's worker and B's model are in use.
  await waitForAppReady(page, 'wasm');
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}sw.js`);
  expect(modelName(BUILD_B)).not.toBe(modelName(BUILD_A));
  const modelInUse = await page.evaluate(() => window.__malariaDebug?.classifier()?.metadata.name);
  expect(modelInUse).toBe(modelName(BUILD_B));
  const servedModel = await page.evaluate(
    async () => ((await (await fetch('model/metadata.json')).json()) as { name: string }).name,
  );
  expect(servedModel).toBe(modelName(BUILD_B));

  // And B classifies (label correctness is e2e/pwa-offline.spec.ts's job).
  const cell = readdirSync(join(FIXTURE_CELLS, 'Parasitized')).sort()[0] ?? '';
  await fileInput(page).setInputFiles({
    name: `after-update-${cell}`,
    mimeType: 'image/webp',
    buffer: readFileSync(join(FIXTURE_CELLS, 'Parasitized', cell)),
  });
  const row = page.locator(`[data-testid="result"][data-file="after-update-${cell}"]`);
  await expect(row).toHaveAttribute('data-label', /^(Parasitized|Uninfected|Inconclusive)$/, { timeout: 60_000 });
  const p = Number(await row.getAttribute('data-probability'));
  expect(p >= 0 && p <= 1).toBe(true);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});
