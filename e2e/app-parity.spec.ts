/**
 * The browser paths and training's Node path (sharp → preprocessPixels on tfjs CPU,
 * training/src/tensor-cache.ts) must give the same model input and the same probability for the
 * same file. Browser: the batch path (decode worker: createImageBitmap → canvas RGBA → RGB →
 * preprocessPixels) and the on-page fallback (createImageBitmap → tf.browser.fromPixels →
 * preprocessPixels). Lossless WebP decodes exactly in all of them, so the tolerance is tight.
 */
import { nodeReference } from './helpers/node-reference.js';
import { allFixtureCells } from './helpers/fixtures.js';
import { expect, forPage, openApp, payloadOf, resultFor, test, upload, waitForIdle } from './helpers/app-test.js';

const SAMPLE = allFixtureCells().filter((_, i) => i % 5 === 0);

for (const backend of ['wasm', 'webgl']) {
  test(`browser (${backend}) and Node preprocessing + probability agree on fixture cells`, async ({ page }) => {
    const ref = await nodeReference();
    await openApp(page, `?backend=${backend}`);
    let worstInput = 0;
    let worstProbability = 0;
    for (const cell of SAMPLE) {
      const file = forPage(await payloadOf(cell.path));
      const inputs = await page.evaluate(async (f) => {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        const blob = new Blob([bytes], { type: f.type });
        const dbg = window.__malariaDebug!;
        return { worker: await dbg.preprocessFile(blob), page: await dbg.preprocessFileOnPage(blob) };
      }, file);
      const nodeInput = await ref.input(cell.path);
      for (const [path, browserInput] of Object.entries(inputs)) {
        expect(browserInput.length).toBe(nodeInput.length);
        let maxDiff = 0;
        for (let i = 0; i < nodeInput.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs((browserInput[i] as number) - (nodeInput[i] as number)));
        expect(maxDiff, `max |browser (${path} decode) − node| input difference for ${cell.name}`).toBeLessThan(1e-3);
        worstInput = Math.max(worstInput, maxDiff);
      }
    }
    expect(await page.evaluate(() => window.__malariaDebug!.decoderMode())).toBe('worker');
    // Probabilities through the real UI path vs Node.
    await upload(
      page,
      SAMPLE.map((c) => c.path),
    );
    await waitForIdle(page);
    for (const cell of SAMPLE) {
      const p = Number(await resultFor(page, cell.name).getAttribute('data-probability'));
      const pNode = await ref.probability(cell.path);
      expect(Math.abs(p - pNode), `P(parasitized) browser vs node for ${cell.name}`).toBeLessThan(1e-3);
      worstProbability = Math.max(worstProbability, Math.abs(p - pNode));
    }
    // The review's where maps (Grad-CAM with only the app's gradients and, on WASM, only its
    // kernels; the session swallows a failure, so it is checked here) vs the same code on Node, on
    // the same kind of backend: WASM's Grad-CAM differs from CPU's and WebGL's (node-reference.ts).
    let worstMap = 0;
    let nonEmpty = 0;
    for (const cell of SAMPLE.filter((c) => c.cls === 'Parasitized')) {
      const file = forPage(await payloadOf(cell.path));
      const browserMap = await page.evaluate(async (f) => {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: f.type }));
        const [map] = await window.__malariaDebug!.classifier()!.whereMaps([bitmap]);
        return Array.from(map!.values);
      }, file);
      const nodeMap = await ref.whereMap(cell.path, backend === 'wasm' ? 'wasm' : 'cpu');
      expect(browserMap.length).toBe(nodeMap.length);
      expect(Math.max(...browserMap), `where map of ${cell.name}: 255 at its peak, or empty on both`).toBe(
        Math.max(...nodeMap),
      );
      if (Math.max(...nodeMap) === 255) nonEmpty++;
      for (let i = 0; i < nodeMap.length; i++)
        worstMap = Math.max(worstMap, Math.abs((browserMap[i] as number) - (nodeMap[i] as number)));
    }
    expect(nonEmpty).toBeGreaterThan(0);
    expect(worstMap, 'max |browser − node| where-map difference (0–255)').toBeLessThanOrEqual(2);
    console.log(
      `[parity ${backend}] ${SAMPLE.length} cells: max input diff ${worstInput.toExponential(2)}, max probability diff ${worstProbability.toExponential(2)}, max where-map diff ${worstMap}/255`,
    );
  });
}

test('every fixture cell gets the label the shipped model gives it in Node', async ({ page }) => {
  const ref = await nodeReference();
  const { labelForProbability } = await import('@malaria/contract');
  await openApp(page);
  const cells = allFixtureCells();
  await upload(
    page,
    cells.map((c) => c.path),
  );
  await waitForIdle(page);
  for (const cell of cells) {
    const expected = labelForProbability(await ref.probability(cell.path), ref.metadata.decision);
    await expect(resultFor(page, cell.name), cell.name).toHaveAttribute('data-label', expected);
  }
});
