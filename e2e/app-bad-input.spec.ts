import sharp from 'sharp';
import { badInputs } from './helpers/bad-inputs.js';
import { cellPath } from './helpers/fixtures.js';
import { expect, openApp, payloadOf, resultFor, results, test, upload, waitForIdle } from './helpers/app-test.js';

test('every bad input gets its own clear error row; valid odd formats classify; nothing else is disturbed', async ({
  page,
}) => {
  await openApp(page);
  // An earlier good result that must survive the bad files.
  const good = await payloadOf(cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_160.webp'));
  await upload(page, [good]);
  await expect(resultFor(page, good.name)).toHaveAttribute('data-label', 'Parasitized');
  const goodProbability = await resultFor(page, good.name).getAttribute('data-probability');

  const inputs = await badInputs();
  for (const input of inputs) {
    await upload(page, [input.file]);
    const row = resultFor(page, input.file.name);
    await expect(row).toHaveCount(1);
    if (input.expectError) {
      await expect(row).toHaveAttribute('data-label', 'Error');
      await expect(row).not.toHaveAttribute('data-probability', /.*/);
      await expect(row).toContainText(input.message ?? /./);
    } else {
      await expect(row).toHaveAttribute('data-label', /^(Parasitized|Uninfected|Inconclusive)$/);
      const p = Number(await row.getAttribute('data-probability'));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  }
  await waitForIdle(page);
  await expect(results(page)).toHaveCount(1 + inputs.length);
  // The first result is untouched and the app still classifies afterwards.
  await expect(resultFor(page, good.name)).toHaveAttribute('data-probability', goodProbability ?? '');
  const again = await payloadOf(cellPath('Uninfected', 'C226ThinF_IMG_20151112_131408_cell_91.webp'));
  await upload(page, [again]);
  await expect(resultFor(page, again.name)).toHaveAttribute('data-label', 'Uninfected');
  const totals = page.locator('[data-testid="totals"]');
  await expect(totals).toHaveAttribute('data-errors', String(inputs.filter((i) => i.expectError).length));
});

test('RGBA, grayscale and 16-bit versions of a cell classify like the original', async ({ page }) => {
  await openApp(page);
  const inputs = (await badInputs()).filter((i) => !i.expectError);
  const original = {
    name: 'original.png',
    mimeType: 'image/png',
    buffer: await sharp(cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_161.webp')).png().toBuffer(),
  };
  await upload(page, [original, ...inputs.map((i) => i.file)]);
  await expect(results(page)).toHaveCount(1 + inputs.length);
  await waitForIdle(page);
  const p0 = Number(await resultFor(page, 'original.png').getAttribute('data-probability'));
  // 16-bit and RGBA carry the same colours: same probability. Grayscale loses colour, so only a valid label.
  for (const name of ['sixteen-bit.png', 'rgba.png']) {
    const p = Number(await resultFor(page, name).getAttribute('data-probability'));
    expect(Math.abs(p - p0), name).toBeLessThan(0.02);
  }
});
