/**
 * Issue 13, item 6 (Field view): two field photos picked in the Cells tab both go to field analysis
 * (the second used to become a "single cell"); a long file name never pushes the Field totals
 * off-screen (390 px phone and 1280 px desktop widths).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { appRoot, expect, openApp, results, test, upload, type FilePayload } from './helpers/app-test.js';
import { SMEAR_FIELDS } from './helpers/paths.js';

const FIELDS = [
  join(SMEAR_FIELDS, '239C12NThinF', 'IMG_20150614_125703.jpg'),
  join(SMEAR_FIELDS, '234C92P53ThinF', 'IMG_20150821_150718.jpg'),
];
const NO_FIELD_DATA = 'shared smear-field data not present (set SHARED_DATA_DIR)';

/** A field photo at half size (2656 px long side): still a whole field, quicker to analyse. */
async function fieldPhoto(path: string, name: string): Promise<FilePayload> {
  const buffer = await sharp(path).rotate().resize(2656, 2656, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
  return { name, mimeType: 'image/jpeg', buffer };
}

async function noHorizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}

test('two field photos picked in the Cells tab are both analysed as fields; none becomes a cell', async ({ page }) => {
  test.skip(!FIELDS.every((f) => existsSync(f)), NO_FIELD_DATA);
  test.setTimeout(180_000);
  await openApp(page);
  await upload(page, [await fieldPhoto(FIELDS[0]!, 'field-one.jpg'), await fieldPhoto(FIELDS[1]!, 'field-two.jpg')]);
  const view = page.locator('field-analysis-view');
  await expect(appRoot(page).getByTestId('nav-field')).toHaveAttribute('aria-selected', 'true');
  // The first field is on screen: by then routing is done, and no field became a cell row.
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.locator('cell-classifier-view [data-testid="result"]')).toHaveCount(0);
  const items = view.getByTestId('field-history-item');
  await expect(items).toHaveCount(2, { timeout: 150_000 });
  await expect(items.nth(0)).toHaveAttribute('data-name', 'field-one.jpg');
  await expect(items.nth(1)).toHaveAttribute('data-name', 'field-two.jpg');
  for (const i of [0, 1]) expect(Number(await items.nth(i).getAttribute('data-red-cells'))).toBeGreaterThan(100);
  await expect(view).toHaveAttribute('data-state', 'done');
  await expect(view.getByTestId('field-timing')).toContainText('field-two.jpg');
  await appRoot(page).getByTestId('nav-cells').click();
  await expect(results(page)).toHaveCount(0);
});

test('a long file name does not push the Field totals off-screen (390 px and 1280 px)', async ({ page }) => {
  test.skip(!existsSync(FIELDS[0]!), NO_FIELD_DATA);
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page, '', 'field');
  const view = page.locator('field-analysis-view');
  const longName = `${'Patient-0042_slide-7_field-3_oil-immersion_100x_'.repeat(6)}IMG_20150614_125703.jpg`;
  await view.getByTestId('field-file-input').setInputFiles([await fieldPhoto(FIELDS[0]!, longName)]);
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(view.getByTestId('field-timing')).toContainText(longName.slice(0, 40));
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { scrollWidth, clientWidth } = await noHorizontalOverflow(page);
    expect(scrollWidth, `document scrollWidth at ${width} px`).toBeLessThanOrEqual(clientWidth);
    for (const id of ['field-red-cells', 'field-parasitized', 'field-parasitaemia', 'field-timing']) {
      const box = await view.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x, `${id} at ${width} px`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${id} at ${width} px`).toBeLessThanOrEqual(width + 0.5);
    }
  }
});
