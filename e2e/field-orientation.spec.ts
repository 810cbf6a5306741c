/**
 * The field worker reads a photo's pixels as stored and leaves the EXIF turn to the detector
 * (src/services/field/stored-pixels.ts, src/core/field/pixel-view.ts). For JPEGs stored under
 * orientations 1, 3, 6 and 8 (a synthetic field, so no shared data is needed): the worker takes
 * that path (`data-pixels-read="stored"`), and a page without VideoFrame, which reads the upright
 * bitmap through a canvas, finds the same cells with the same boxes, labels and probabilities.
 */
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { appRoot, dropOnFieldTab, expect, openApp, test, type FilePayload } from './helpers/app-test.js';
import { syntheticField } from '../scripts/fixtures/synthetic-images.js';
import { storedAs } from '../src/core/field/stored-image-test-kit.js';

interface ExportedField {
  image: { width: number; height: number };
  totals: Record<string, number | null>;
  cells: { id: number; label: string; probability: number | null; box: Record<string, number> }[];
}

const field = syntheticField(1400, 1000, 40, 11);
const upright = { width: field.width, height: field.height, data: field.data };

async function storedJpeg(orientation: number): Promise<FilePayload> {
  const { data, size } = storedAs(upright, orientation, 'rgba', 255);
  const buffer = await sharp(Buffer.from(data.buffer, data.byteOffset, data.length), {
    raw: { width: size.width, height: size.height, channels: 4 },
  })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation })
    .toBuffer();
  return { name: `field-o${orientation}.jpg`, mimeType: 'image/jpeg', buffer };
}

async function analyse(
  page: Page,
  photo: FilePayload,
): Promise<{ exported: ExportedField; pixelsRead: string | null }> {
  const view = page.locator('field-analysis-view');
  await dropOnFieldTab(page, photo);
  // The previous photo's result stays on screen, with data-state "done", until this one is read
  // (the drop first sniffs the file's header, asynchronously): wait for this photo's name too, or
  // the export below races the new result, whose arrival closes the export menu.
  await expect(view.getByTestId('field-name')).toHaveText(photo.name, { timeout: 90_000 });
  await expect(view).toHaveAttribute('data-state', 'done');
  // A new result always arrives with the export menu closed.
  await view.getByTestId('export').click();
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('export-json').click()]);
  const { readFile } = await import('node:fs/promises');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as ExportedField;
  return { exported, pixelsRead: await view.getByTestId('field-timing').getAttribute('data-pixels-read') };
}

async function openFieldTab(page: Page): Promise<void> {
  await openApp(page);
  await appRoot(page).getByTestId('nav-field').click();
  await expect(page.locator('field-analysis-view')).toHaveAttribute('data-state', 'idle');
}

test('JPEG fields stored under EXIF orientations 1, 3, 6, 8: read as stored, the same cells as through a canvas', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const throughCanvas = await context.newPage();
  await throughCanvas.addInitScript(() => {
    delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas;
    delete (globalThis as { VideoFrame?: unknown }).VideoFrame;
  });
  await openFieldTab(page);
  await openFieldTab(throughCanvas);
  for (const orientation of [1, 3, 6, 8]) {
    const photo = await storedJpeg(orientation);
    const stored = await analyse(page, photo);
    const canvas = await analyse(throughCanvas, photo);
    expect([stored.pixelsRead, canvas.pixelsRead], `orientation ${orientation}`).toEqual(['stored', 'canvas']);
    expect(stored.exported.image.width, `orientation ${orientation}`).toBe(upright.width);
    expect(stored.exported.image.height).toBe(upright.height);
    expect(stored.exported.cells.filter((c) => c.label !== 'Artefact').length).toBeGreaterThan(10);
    expect(stored.exported.totals).toEqual(canvas.exported.totals);
    expect(stored.exported.cells.map((c) => [c.id, c.box, c.label, c.probability])).toEqual(
      canvas.exported.cells.map((c) => [c.id, c.box, c.label, c.probability]),
    );
  }
});
