import type { Page } from '@playwright/test';
import { CONFIDENT_PARASITIZED, CONFIDENT_UNINFECTED, cellPath } from './helpers/fixtures.js';
import {
  appRoot,
  expect,
  openApp,
  payloadOf,
  resultFor,
  results,
  test,
  upload,
  waitForIdle,
} from './helpers/app-test.js';

const CELLS = [
  ...CONFIDENT_PARASITIZED.slice(0, 3).map((n) => ({
    name: n,
    label: 'Parasitized',
    path: cellPath('Parasitized', n),
  })),
  ...CONFIDENT_UNINFECTED.slice(0, 3).map((n) => ({ name: n, label: 'Uninfected', path: cellPath('Uninfected', n) })),
];

async function classifyAll(page: Page): Promise<Map<string, number>> {
  await upload(
    page,
    CELLS.map((c) => c.path),
  );
  await expect(results(page)).toHaveCount(CELLS.length);
  await waitForIdle(page);
  const probs = new Map<string, number>();
  for (const c of CELLS) {
    await expect(resultFor(page, c.name)).toHaveAttribute('data-label', c.label);
    probs.set(c.name, Number(await resultFor(page, c.name).getAttribute('data-probability')));
  }
  return probs;
}

test.describe('backends', () => {
  test('?backend=wasm, ?backend=webgl (SwiftShader) and ?backend=cpu give the same labels and probabilities', async ({
    browser,
  }) => {
    const byBackend = new Map<string, Map<string, number>>();
    for (const backend of ['wasm', 'webgl', 'cpu']) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await openApp(page, `?backend=${backend}`);
      await expect(appRoot(page)).toHaveAttribute('data-backend', backend);
      byBackend.set(backend, await classifyAll(page));
      expect(errors, `console errors on ${backend}`).toEqual([]);
      await page.close();
    }
    const wasm = byBackend.get('wasm')!;
    for (const backend of ['webgl', 'cpu']) {
      for (const [name, p] of byBackend.get(backend)!) {
        expect(Math.abs(p - wasm.get(name)!), `${backend} vs wasm on ${name}`).toBeLessThan(2e-3);
      }
    }
  });

  test('diagnostics panel shows the active backend and why', async ({ page }) => {
    await openApp(page, '?backend=webgl');
    await page.getByText('Diagnostics').click();
    await expect(page.getByTestId('diag-backend')).toHaveText('webgl');
    await expect(page.getByTestId('diag-thread')).toHaveText('a background worker');
    await expect(page.getByTestId('diagnostics')).toContainText('forced by ?backend=webgl');
    await expect(page.getByTestId('diagnostics')).toContainText(/SwiftShader/i);
  });

  test('on WebGL context loss the app switches to WASM and carries on', async ({ page }) => {
    await openApp(page, '?backend=webgl');
    await expect(appRoot(page)).toHaveAttribute('data-backend', 'webgl');
    const first = await payloadOf(cellPath('Parasitized', CONFIDENT_PARASITIZED[0]!));
    await upload(page, [first]);
    await expect(resultFor(page, first.name)).toHaveAttribute('data-label', 'Parasitized');

    // The WebGL context lives in the classifier worker (an OffscreenCanvas); it is lost there.
    expect(await page.evaluate(() => window.__malariaDebug!.classifierThread())).toBe('worker');
    expect(await page.evaluate(() => window.__malariaDebug!.loseWebGLContext())).toBe(true);
    await expect(appRoot(page)).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });

    const second = await payloadOf(cellPath('Uninfected', CONFIDENT_UNINFECTED[0]!));
    await upload(page, [second]);
    await expect(resultFor(page, second.name)).toHaveAttribute('data-label', 'Uninfected');
    await expect(resultFor(page, first.name)).toHaveAttribute('data-label', 'Parasitized');
    await page.getByText('Diagnostics').click();
    await expect(page.getByTestId('diagnostics')).toContainText('WebGL context lost (was webgl)');
  });
});
