/**
 * Records actions found missing by QA:
 *  - an ended slide can be reopened from Records ("Reopen to correct"): it opens in the Slide tab,
 *    one review changes, it is ended again and Records shows the new result;
 *  - an archive file dropped on Records is imported exactly as the Import button does (same message).
 */
import { expect, openApp, test } from './helpers/app-test.js';
import { fixtureCells, recordRow, recordsView, sessionView, showTab } from './session-helpers.js';

test('an ended slide reopened from Records, corrected and ended again shows the new result', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page, '', 'session');
  const view = sessionView(page);
  await view.getByTestId('session-identifier').fill('REOPEN-1');
  // Target 2 with two parasitized cells: rejecting both reaches the target with nothing pending.
  await view.getByTestId('target').fill('2');
  await view.getByTestId('start-session').click();
  await expect(view.getByTestId('session-current-identifier')).toHaveText('REOPEN-1');
  await view.getByTestId('reviewer').fill('QA');
  await view.getByTestId('reviewer').press('Tab');
  await view.getByTestId('add-cells-input').setInputFiles(fixtureCells('Parasitized', 2));
  const items = view.getByTestId('review-item');
  await expect(items).toHaveCount(2, { timeout: 60_000 });
  for (const i of [0, 1]) {
    await items.nth(i).getByTestId('review-reject').click();
    await expect(items.nth(i)).toHaveAttribute('data-review', 'rejected');
  }
  await expect(view.getByTestId('verdict')).toHaveAttribute('data-verdict', 'negative');
  await view.getByTestId('end-session').click();
  await expect(view.getByTestId('session-ended')).toBeVisible();
  await view.getByTestId('new-session').click();

  await showTab(page, 'Records');
  const row = recordRow(page, 'REOPEN-1');
  await expect(row.getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'negative');
  await row.locator('button.open').click();
  await recordsView(page).getByTestId('reopen-record').click();

  // The Slide tab shows the slide; its stored end stays until a review actually changes.
  await expect(page.locator('malaria-app').getByTestId('nav-session')).toHaveAttribute('aria-selected', 'true');
  await expect(view.getByTestId('session-current-identifier')).toHaveText('REOPEN-1');
  await items.first().getByTestId('review-confirm').click();
  await expect(items.first()).toHaveAttribute('data-review', 'confirmed');
  await expect(view.getByTestId('verdict')).toHaveAttribute('data-verdict', 'positive');
  await expect(view.getByTestId('session-ended')).toHaveCount(0);
  await view.getByTestId('end-session').click();
  await expect(view.getByTestId('session-ended')).toBeVisible();

  await showTab(page, 'Records');
  await expect(row.getByTestId('record-verdict')).toHaveAttribute('data-verdict', 'positive');
  await expect(row.getByTestId('record-confirmed')).toHaveText('1');
});

test('an archive dropped on Records is imported like the Import button (same messages)', async ({ page }) => {
  await openApp(page, '', 'records');
  const records = recordsView(page);
  await expect(records.getByTestId('records-empty')).toBeVisible();
  const drop = (name: string, text: string) =>
    page.evaluate(
      ([n, t]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([t], n, { type: 'application/json' }));
        const target = document.querySelector('malaria-app')!.shadowRoot!.querySelector('records-view')!;
        target.dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }),
        );
      },
      [name, text] as const,
    );
  await drop('notes.json', 'not json');
  await expect(records.getByTestId('records-error')).toHaveText(
    'This file is not valid JSON, so it is not a records archive.',
  );
  const empty = JSON.stringify({
    format: 'malaria-screen-records',
    formatVersion: 1,
    schemaVersion: 3,
    exportedAt: new Date().toISOString(),
    sessions: [],
    fields: [],
  });
  await drop('empty.json', empty);
  await expect(records.getByTestId('records-error')).toHaveCount(0);
  await expect(records.getByTestId('records-message')).toContainText('Imported empty.json: 0 new sessions');
  // The Import button gives the same message for the same file.
  await records.getByTestId('import-archive-input').setInputFiles({
    name: 'empty.json',
    mimeType: 'application/json',
    buffer: Buffer.from(empty),
  });
  await expect(records.getByTestId('records-message')).toContainText('Imported empty.json: 0 new sessions');
});
