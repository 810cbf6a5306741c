/**
 * A walk through every view and its main states (issue 14), calling `visit(state)` at each: the
 * interface specs run axe, the overflow and touch-target checks, the locale snapshot and the
 * screenshots on the same walk. Uses the fixture cells (always present) and, when the shared data
 * is there, one smear-field photo for the Field view.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { appRoot, expect, payloadOf, showView } from './app-test.js';
import { SMEAR_FIELDS } from './paths.js';
import { fixtureCells, recordRow, recordsView, sessionView } from '../session-helpers.js';

export const TOUR_FIELD = join(SMEAR_FIELDS, '239C12NThinF', 'IMG_20150614_125703.jpg');

export type TourState =
  | 'slide-start'
  | 'records-empty'
  | 'cells-results'
  | 'field-result'
  | 'slide-queue'
  | 'slide-reviewed'
  | 'records-list'
  | 'record-open'
  | 'report-print'
  | 'about';

export interface TourOptions {
  /** The slide identifier (also the record's name). */
  identifier?: string;
  /** Clinic name typed in the slide view (printed on the report). */
  clinic?: string;
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export async function tour(
  page: Page,
  visit: (state: TourState) => Promise<void>,
  options: TourOptions = {},
): Promise<void> {
  const identifier = options.identifier ?? 'TOUR-1';
  await page.goto('./');
  await expect(appRoot(page)).toHaveAttribute('data-ready', '', { timeout: 90_000 });
  await visit('slide-start');

  await showView(page, 'records');
  await expect(recordsView(page).getByTestId('records-empty')).toBeVisible({ timeout: 30_000 });
  await visit('records-empty');

  await showView(page, 'cells');
  // Four cells and a file that is not an image (its error row is translated too).
  const cellFiles = await Promise.all(
    [...fixtureCells('Parasitized', 2), ...fixtureCells('Uninfected', 2)].map((p) => payloadOf(p)),
  );
  await page
    .locator('cell-classifier-view input[type="file"][multiple]')
    .setInputFiles([
      ...cellFiles,
      { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are notes, not a picture') },
    ]);
  await expect(page.locator('[data-testid="result"]')).toHaveCount(5, { timeout: 60_000 });
  await visit('cells-results');

  if (existsSync(TOUR_FIELD)) {
    await showView(page, 'field');
    const view = page.locator('field-analysis-view');
    const buffer = await sharp(TOUR_FIELD)
      .rotate()
      .resize(1600, 1600, { fit: 'inside' })
      .jpeg({ quality: 88 })
      .toBuffer();
    const name = `${'Patient-0042_slide-7_field-3_oil-immersion_100x_'.repeat(3)}IMG_20150614_125703.jpg`;
    await view.getByTestId('field-force').check();
    await view.getByTestId('field-file-input').setInputFiles([{ name, mimeType: 'image/jpeg', buffer }]);
    await expect(view).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    const box = (await view.getByTestId('field-overlay').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await settle(page);
    await visit('field-result');
  }

  await showView(page, 'session');
  const view = sessionView(page);
  await view.getByTestId('session-identifier').fill(identifier);
  await view.getByTestId('target').fill('10');
  await view.getByTestId('start-session').click();
  await expect(view.getByTestId('session-current-identifier')).toHaveText(identifier);
  const cells = [...fixtureCells('Parasitized', 3), ...fixtureCells('Uninfected', 3)];
  await view.getByTestId('add-cells-input').setInputFiles(cells);
  await expect(view.locator('session-field-map')).toHaveCount(cells.length, { timeout: 60_000 });
  await expect(view.getByTestId('session-working')).toHaveText('', { timeout: 60_000 });
  const items = view.getByTestId('review-item');
  await expect.poll(() => items.count()).toBeGreaterThanOrEqual(2);
  await visit('slide-queue');

  await items.first().getByTestId('review-confirm').click();
  await expect(items.first()).toHaveAttribute('data-review', 'confirmed');
  await items.nth(1).getByTestId('review-reject').click();
  // The decision is saved asynchronously: wait for it, so that 'slide-reviewed' (and the record ended
  // below) always include it.
  await expect(items.nth(1)).toHaveAttribute('data-review', 'rejected');
  await view.getByTestId('reviewer').fill('A. Microscopist');
  await view.getByTestId('reviewer').press('Tab');
  if (options.clinic) {
    await view.getByTestId('clinic-name').fill(options.clinic);
    await view.getByTestId('clinic-name').press('Tab');
  }
  await view.getByTestId('blood-kind').selectOption('haematocrit');
  await view.getByTestId('blood-value').fill('38,5');
  await view.getByTestId('blood-value').press('Tab');
  await expect(view.getByTestId('result-density')).toBeVisible();
  await visit('slide-reviewed');

  await view.getByTestId('end-session').click();
  await expect(view.getByTestId('session-ended')).toBeVisible();
  await showView(page, 'records');
  await expect(recordRow(page, identifier)).toBeVisible();
  await visit('records-list');

  await recordRow(page, identifier).getByRole('button').first().click();
  const detail = recordsView(page).getByTestId('record-detail');
  await expect(detail).toBeVisible();
  await visit('record-open');

  await page.evaluate(() => {
    window.print = () => document.documentElement.setAttribute('data-printed', '');
  });
  await detail.getByTestId('print-report').click();
  await expect(page.locator('html[data-printed]')).toHaveCount(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('body > [data-testid="print-report"]')).toBeVisible();
  await visit('report-print');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));

  await appRoot(page).getByTestId('about-open').click();
  await expect(appRoot(page).getByTestId('about-dialog')).toBeVisible();
  await expect(page.getByTestId('diagnostics')).toBeVisible();
  await visit('about');
  await appRoot(page).getByTestId('about-close').click();
}
