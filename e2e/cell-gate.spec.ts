/**
 * Issue 13, item 1: nothing is counted as a red cell unless it passes the single-cell plausibility
 * gate (src/core/cells/cell-plausibility.ts). In the slide session, "Add single-cell images" with a
 * grey photo, a white image, a 1-px image, a photo of text and a solid-colour GIF counts none of
 * them (each gets a message), a whole-field photo is analysed as a field, real cells still count;
 * in the Cells view the same non-cells get "not a red cell" (Artefact) rows with the gate's reason,
 * never Uninfected, counted apart from red cells and from errors (issue 17; before it they were
 * error rows).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  expect,
  openApp,
  payloadOf,
  resultFor,
  results,
  test,
  upload,
  waitForIdle,
  type FilePayload,
} from './helpers/app-test.js';
import { cellPath } from './helpers/fixtures.js';
import { nonCells } from './helpers/non-cells.js';
import { SMEAR_FIELDS } from './helpers/paths.js';
import { sessionView, startSession } from './session-helpers.js';

const FIELD = join(SMEAR_FIELDS, '239C12NThinF', 'IMG_20150614_125703.jpg');
const PARASITIZED = cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_160.webp');
const UNINFECTED = cellPath('Uninfected', 'C226ThinF_IMG_20151112_131408_cell_91.webp');

/** The field photo at half size (2656 px long side, ≈ 4 MP): a whole field, quicker to analyse. */
async function fieldPhoto(name: string, longSide = 2656): Promise<FilePayload> {
  const buffer = await sharp(FIELD)
    .rotate()
    .resize(longSide, longSide, { fit: 'inside' })
    .jpeg({ quality: 90 })
    .toBuffer();
  return { name, mimeType: 'image/jpeg', buffer };
}

test('session: non-cells added as single cells are not counted; a field photo becomes a field', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page, '', 'session');
  await startSession(page, 'GATE-1');
  const view = sessionView(page);
  const total = view.getByTestId('total-red-cells');

  // Two real cells: counted.
  const real = [await payloadOf(PARASITIZED), await payloadOf(UNINFECTED)];
  await view.getByTestId('add-cells-input').setInputFiles(real);
  await expect(total).toHaveText('2', { timeout: 60_000 });

  // The non-cells: none is counted, each gets its own message.
  const bad = await nonCells();
  await view.getByTestId('add-cells-input').setInputFiles(bad.map((b) => b.file));
  const errors = view.getByTestId('session-errors');
  for (const b of bad) {
    const item = errors.locator('li', { hasText: b.file.name });
    await expect(item, b.file.name).toHaveCount(1, { timeout: 60_000 });
    await expect(item, b.file.name).toContainText(/not a single red-cell image/i);
    await expect(item, b.file.name).toContainText(b.reason);
    await expect(item, b.file.name).toContainText('not counted');
  }
  await expect(view.getByTestId('session-working')).toHaveText('');
  await expect(total).toHaveText('2');
  await expect(view.getByTestId('session-cell-images').locator('session-field-map')).toHaveCount(2);
  await expect(view.getByTestId('session-items').locator('session-field-map')).toHaveCount(0);

  // A whole-field photo given as "single cells" is analysed as a field: many cells, one image.
  test.skip(!existsSync(FIELD), 'shared smear-field data not present (set SHARED_DATA_DIR)');
  await view.getByTestId('add-cells-input').setInputFiles([await fieldPhoto('field-as-cell.jpg')]);
  const fieldMap = view.getByTestId('session-items').locator('session-field-map', { hasText: 'field-as-cell.jpg' });
  await expect(fieldMap).toHaveCount(1, { timeout: 120_000 });
  const caption = (await fieldMap.locator('figcaption').textContent()) ?? '';
  const cells = Number(/· (\d+) cells/.exec(caption)?.[1]);
  expect(cells, caption).toBeGreaterThan(100);
  await expect(total).toHaveText(String(2 + cells));
});

test('session: a small whole-field photo (600 px) is not counted as one cell', async ({ page }) => {
  test.skip(!existsSync(FIELD), 'shared smear-field data not present (set SHARED_DATA_DIR)');
  test.setTimeout(120_000);
  await openApp(page, '', 'session');
  await startSession(page, 'GATE-2');
  const view = sessionView(page);
  await view.getByTestId('add-cells-input').setInputFiles([await fieldPhoto('small-field.jpg', 600)]);
  await expect(view.getByTestId('session-working')).toHaveText('', { timeout: 60_000 });
  // Routed to field analysis: either a field with its detected cells, or a clear "not added" message;
  // never a single counted cell.
  const map = view.getByTestId('session-items').locator('session-field-map', { hasText: 'small-field.jpg' });
  const errors = view.getByTestId('session-errors').locator('li', { hasText: 'small-field.jpg' });
  const asCell = view.getByTestId('session-cell-images').locator('session-field-map', { hasText: 'small-field.jpg' });
  await expect
    .poll(async () => (await map.count()) + (await errors.count()) + (await asCell.count()), { timeout: 60_000 })
    .toBe(1);
  await expect(asCell, 'counted as one single cell').toHaveCount(0);
  if (await map.count()) {
    const caption = (await map.locator('figcaption').textContent()) ?? '';
    test.info().annotations.push({ type: 'small field', description: caption });
    expect(Number(/· (\d+) cells/.exec(caption)?.[1]), caption).toBeGreaterThan(1);
  } else {
    test.info().annotations.push({ type: 'small field', description: (await errors.textContent()) ?? '' });
    await expect(errors).not.toContainText(/not a single red-cell image/i);
    await expect(view.getByTestId('total-red-cells')).toHaveText('0');
  }
});

test('Cells view: non-cells get "not a red cell" rows, not a model label; real cells still classify', async ({
  page,
}) => {
  await openApp(page);
  const bad = await nonCells();
  const good = await payloadOf(UNINFECTED);
  await upload(page, [good, ...bad.map((b) => b.file)]);
  await expect(results(page)).toHaveCount(1 + bad.length);
  await waitForIdle(page);
  await expect(resultFor(page, good.name)).toHaveAttribute('data-label', 'Uninfected');
  for (const b of bad) {
    const row = resultFor(page, b.file.name);
    await expect(row, b.file.name).toHaveAttribute('data-label', 'Artefact');
    await expect(row, b.file.name).not.toHaveAttribute('data-probability', /.*/);
    await expect(row, b.file.name).toContainText(/not a single red-cell image/i);
    await expect(row, b.file.name).toContainText(b.reason);
  }
  const totals = page.locator('[data-testid="totals"]');
  await expect(totals).toHaveAttribute('data-artefacts', String(bad.length));
  await expect(totals).toHaveAttribute('data-errors', '0');
  await expect(totals).toHaveAttribute('data-uninfected', '1');
});

test('Cells view without a decode worker (page fallback): the same gate', async ({ page }) => {
  // No OffscreenCanvas → cells are decoded on the page (pixel-decoder.ts fallback).
  await page.addInitScript(() => {
    delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas;
  });
  await openApp(page);
  expect(await page.evaluate(() => window.__malariaDebug!.decoderMode())).toBe('page');
  const bad = await nonCells();
  const good = await payloadOf(PARASITIZED);
  await upload(page, [good, ...bad.map((b) => b.file)]);
  await expect(results(page)).toHaveCount(1 + bad.length);
  await waitForIdle(page);
  await expect(resultFor(page, good.name)).toHaveAttribute('data-label', /^(Parasitized|Uninfected|Inconclusive)$/);
  for (const b of bad) {
    await expect(resultFor(page, b.file.name), b.file.name).toHaveAttribute('data-label', 'Artefact');
    await expect(resultFor(page, b.file.name), b.file.name).toContainText(b.reason);
  }
});
