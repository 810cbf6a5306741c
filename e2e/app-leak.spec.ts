import { cellPath } from './helpers/fixtures.js';
import { expect, forPage, openApp, payloadOf, results, test, upload, waitForIdle } from './helpers/app-test.js';

const CELL = cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_160.webp');

test('tensor count is stable over 300 batched and 300 single classifications', async ({ page }) => {
  await openApp(page);
  const numTensors = () => page.evaluate(() => window.__malariaDebug!.numTensors());
  // Counted in the classifier worker's tfjs, where the model lives: its weights are tensors.
  expect(await page.evaluate(() => window.__malariaDebug!.classifierThread())).toBe('worker');
  const before = await numTensors();
  expect(before).toBeGreaterThan(0);
  const base = await payloadOf(CELL);
  await upload(
    page,
    Array.from({ length: 300 }, (_, i) => ({ ...base, name: `copy-${i}.webp` })),
  );
  await expect(results(page)).toHaveCount(300, { timeout: 120_000 });
  await waitForIdle(page);
  expect(await numTensors()).toBe(before);

  const file = forPage(base);
  const singles = await page.evaluate(async (f) => {
    const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], { type: f.type });
    const dbg = window.__malariaDebug!;
    const counts: number[] = [];
    for (let i = 0; i < 300; i++) {
      await dbg.classifyFile(blob);
      if (i % 100 === 99) counts.push(await dbg.numTensors());
    }
    return counts;
  }, file);
  expect(singles).toEqual([before, before, before]);
});

test('no tensors leak on the WebGL backend either (60 cells)', async ({ page }) => {
  await openApp(page, '?backend=webgl');
  const numTensors = () => page.evaluate(() => window.__malariaDebug!.numTensors());
  const before = await numTensors();
  expect(before).toBeGreaterThan(0);
  const base = await payloadOf(CELL);
  await upload(
    page,
    Array.from({ length: 60 }, (_, i) => ({ ...base, name: `copy-${i}.webp` })),
  );
  await expect(results(page)).toHaveCount(60, { timeout: 120_000 });
  await waitForIdle(page);
  expect(await numTensors()).toBe(before);
});
