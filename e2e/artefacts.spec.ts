/**
 * Issue 17, "not a red cell": non-cell inputs are never counted as red cells, on photos and on
 * single-cell uploads. A synthetic field (scripts/fixtures/artefact-field.ts: painted red cells,
 * free platelets, debris and a platelet joined to a cell by a thin bridge — generated here, so CI
 * always runs it) is analysed in the Field tab and in a slide session: its platelets and debris are
 * Artefact detections with their own outline, in no red-cell total, not in the review queue and not
 * tappable into it. Non-cell images given as single cells (blank, uniform, 1 px, text, a natural
 * photo, a solid colour, a platelet crop) get an "Artefact" row with the gate's reason, counted apart, not as errors, and are
 * not counted in a slide session.
 */
import sharp from 'sharp';
import {
  appRoot,
  dropOnFieldTab,
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
import { sessionView, startSession } from './session-helpers.js';
import { artefactField, plateletCrop } from '../scripts/fixtures/artefact-field.js';
import { naturalPhoto, type Rgba } from '../scripts/fixtures/synthetic-images.js';

const UNINFECTED = cellPath('Uninfected', 'C226ThinF_IMG_20151112_131408_cell_91.webp');

const field = artefactField();
const RED = field.cells.length;
const ARTEFACTS = field.platelets.length + field.debris.length + 1;

async function png(name: string, img: Rgba): Promise<FilePayload> {
  const buffer = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}

async function jpeg(name: string, img: Rgba): Promise<FilePayload> {
  const buffer = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  return { name, mimeType: 'image/jpeg', buffer };
}

interface ExportedField {
  totals: { redCells: number; parasitized: number; parasitaemiaPercent: number | null; artefacts: number };
  cells: { id: number; label: string; probability: number; x: number; y: number; outline: number[] }[];
}

test('photo: platelets and debris are artefacts, outlined, in no red-cell total and not classified', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await appRoot(page).getByTestId('nav-field').click();
  const view = page.locator('field-analysis-view');
  await dropOnFieldTab(page, await png('artefact-field.png', field.image));
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const shown = async (id: string) => Number(((await view.getByTestId(id).textContent()) ?? '').trim());
  expect(await shown('field-red-cells')).toBe(RED);
  expect(await shown('field-artefacts')).toBe(ARTEFACTS);
  expect(
    (await shown('field-parasitized')) + (await shown('field-inconclusive')) + (await shown('field-uninfected')),
  ).toBe(RED);
  await expect(view.getByTestId('field-legend')).toContainText('Not a red cell (artefact)');

  await view.getByTestId('export').click();
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('export-json').click()]);
  const { readFile } = await import('node:fs/promises');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as ExportedField;
  expect(exported.totals.redCells).toBe(RED);
  expect(exported.totals.artefacts).toBe(ARTEFACTS);
  const artefacts = exported.cells.filter((c) => c.label === 'Artefact');
  expect(artefacts).toHaveLength(ARTEFACTS);
  for (const a of artefacts) {
    expect(a.probability).toBe(0);
    expect(a.outline.length).toBeGreaterThanOrEqual(6);
  }
  expect(exported.cells.filter((c) => ['Parasitized', 'Uninfected', 'Inconclusive'].includes(c.label))).toHaveLength(
    RED,
  );
  // Every platelet and debris blob is one of the artefacts (its centre within its own radius).
  for (const p of [...field.platelets, ...field.debris, field.attached.platelet]) {
    expect(artefacts.some((a) => Math.hypot(a.x - p.x, a.y - p.y) < p.r + 2)).toBe(true);
  }
  expect(exported.totals.parasitaemiaPercent).toBeCloseTo((100 * exported.totals.parasitized) / RED, 6);

  // Tapping an artefact shows what it is, with no infection likelihood.
  const target = artefacts[0]!;
  const box = (await view.getByTestId('field-overlay').boundingBox())!;
  const size = field.image.width;
  const zoom = Math.min(box.width / size, box.height / size);
  await page.mouse.click(
    box.x + (box.width - size * zoom) / 2 + target.x * zoom,
    box.y + (box.height - size * zoom) / 2 + target.y * zoom,
  );
  const detail = view.locator('field-cell-detail');
  await expect(detail.getByTestId('field-cell-label')).toContainText('Not a red cell (artefact)');
  await expect(detail.getByTestId('field-cell-probability')).toHaveCount(0);
});

test('slide session: artefacts are drawn but not counted, not queued, not tappable into the queue', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openApp(page, '', 'session');
  await startSession(page, 'ARTEFACT-1');
  const view = sessionView(page);
  await view.getByTestId('add-fields-input').setInputFiles([await png('artefact-field.png', field.image)]);
  const map = view.getByTestId('session-items').locator('session-field-map', { hasText: 'artefact-field.png' });
  await expect(map).toHaveCount(1, { timeout: 90_000 });
  await expect(view.getByTestId('session-working')).toHaveText('', { timeout: 60_000 });
  await expect(view.getByTestId('total-red-cells')).toHaveText(String(RED));
  await expect(view.getByTestId('total-artefacts')).toHaveText(String(ARTEFACTS));
  await expect(map.getByTestId('map-artefacts')).toContainText(String(ARTEFACTS));
  // Only red (and white) cells can be tapped into the queue.
  await expect(map.locator('rect.hit')).toHaveCount(RED);
  // No queued cell sits on a platelet or debris blob.
  const items = view.getByTestId('review-item');
  const n = await items.count();
  for (let i = 0; i < n; i++) {
    const x = Number(await items.nth(i).getAttribute('data-x'));
    const y = Number(await items.nth(i).getAttribute('data-y'));
    for (const p of [...field.platelets, ...field.debris, field.attached.platelet])
      expect(Math.hypot(x - p.x, y - p.y), `queued cell at ${x},${y}`).toBeGreaterThan(p.r + 2);
  }
  await expect(view.getByTestId('session-legend')).toContainText('Not a red cell (artefact)');
  // Tapping an artefact queues nothing but says why (a polite status line under the map).
  await map.locator('rect.not-counted').first().dispatchEvent('click');
  await expect(map.getByTestId('map-status')).toHaveText('Not a red cell (platelet, debris): not counted');
  await expect(items).toHaveCount(n);

  // The printed slide report counts the same artefacts (it once said 0).
  await page.evaluate(() => {
    window.print = () => document.documentElement.setAttribute('data-printed', '');
  });
  await view.getByTestId('print-report').click();
  await expect(page.locator('html[data-printed]')).toHaveCount(1);
  const report = page.locator('body > [data-testid="print-report"]');
  await expect(report.getByTestId('total-artefacts')).toHaveText(String(ARTEFACTS));
  await expect(report.getByTestId('total-red-cells')).toHaveText(String(RED));
  // Its image captions give the model's calls as the model's, not as findings.
  await expect(report.locator('field-thumbnail figcaption').first()).toContainText('— model: ');
});

test('single-cell uploads: non-cells and a platelet crop are "not a red cell" rows, counted apart', async ({
  page,
}) => {
  await openApp(page);
  const bad = [
    ...(await nonCells()).map((b) => ({ file: b.file, reason: b.reason })),
    { file: await jpeg('natural-photo.jpg', naturalPhoto(256, 192)), reason: /no dark background/ },
    { file: await png('platelet-crop.png', plateletCrop()), reason: /platelet clump or stain debris/ },
  ];
  const good = await payloadOf(UNINFECTED);
  await upload(page, [good, ...bad.map((b) => b.file)]);
  await expect(results(page)).toHaveCount(1 + bad.length);
  await waitForIdle(page);
  await expect(resultFor(page, good.name)).toHaveAttribute('data-label', 'Uninfected');
  for (const b of bad) {
    const row = resultFor(page, b.file.name);
    await expect(row, b.file.name).toHaveAttribute('data-label', 'Artefact');
    await expect(row, b.file.name).not.toHaveAttribute('data-probability', /.*/);
    await expect(row, b.file.name).toContainText('Not a red cell (artefact)');
    await expect(row.getByTestId('result-message'), b.file.name).toContainText(b.reason);
    await expect(row, b.file.name).toContainText('Not counted as a red cell.');
  }
  const totals = page.locator('[data-testid="totals"]');
  await expect(totals).toHaveAttribute('data-artefacts', String(bad.length));
  await expect(totals).toHaveAttribute('data-errors', '0');
  await expect(totals).toHaveAttribute('data-uninfected', '1');
  await expect(totals).toHaveAttribute('data-parasitized', '0');
  await expect(totals).toHaveAttribute('data-inconclusive', '0');
});

test('slide session: a platelet crop added as a single cell is not counted', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page, '', 'session');
  await startSession(page, 'ARTEFACT-2');
  const view = sessionView(page);
  await view.getByTestId('add-cells-input').setInputFiles([await payloadOf(UNINFECTED)]);
  await expect(view.getByTestId('total-red-cells')).toHaveText('1', { timeout: 60_000 });
  await view.getByTestId('add-cells-input').setInputFiles([await png('platelet-crop.png', plateletCrop())]);
  const item = view.getByTestId('session-errors').locator('li', { hasText: 'platelet-crop.png' });
  await expect(item).toContainText(/platelet clump or stain debris/, { timeout: 60_000 });
  await expect(item).toContainText('not counted');
  await expect(view.getByTestId('session-working')).toHaveText('');
  await expect(view.getByTestId('total-red-cells')).toHaveText('1');
});
