import { cellPath } from './helpers/fixtures.js';
import { expect, forPage, openApp, payloadOf, resultFor, results, test } from './helpers/app-test.js';

const PARASITIZED = cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_160.webp');
const UNINFECTED = cellPath('Uninfected', 'C226ThinF_IMG_20151112_131408_cell_91.webp');

test.describe('inputs', () => {
  test('drag-and-drop anywhere on the page classifies the dropped files', async ({ page }) => {
    await openApp(page);
    const files = [forPage(await payloadOf(PARASITIZED)), forPage(await payloadOf(UNINFECTED))];
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const target = document.querySelector('malaria-app') ?? document.body;
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, files);
    await expect(results(page)).toHaveCount(2);
    await expect(resultFor(page, files[0]!.name)).toHaveAttribute('data-label', 'Parasitized');
    await expect(resultFor(page, files[1]!.name)).toHaveAttribute('data-label', 'Uninfected');
  });

  test('pasting an image from the clipboard classifies it', async ({ page }) => {
    await openApp(page);
    const file = forPage(await payloadOf(PARASITIZED));
    await page.evaluate((f) => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, file);
    await expect(resultFor(page, file.name)).toHaveAttribute('data-label', 'Parasitized');
  });

  test('without getUserMedia the camera button offers <input capture> and it classifies the photo', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    });
    await openApp(page);
    await page.getByTestId('open-camera').click();
    const fallback = page.getByTestId('camera-fallback-input');
    await expect(fallback).toHaveAttribute('capture', 'environment');
    await expect(fallback).toHaveAttribute('accept', 'image/*');
    await expect(page.getByText('no live camera access')).toBeVisible();
    await fallback.setInputFiles(PARASITIZED);
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toHaveAttribute('data-label', 'Parasitized');
  });

  test('when the camera is refused the fallback input is offered', async ({ page, context }) => {
    await context.clearPermissions();
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await openApp(page);
    await page.getByTestId('open-camera').click();
    await expect(page.getByText('Camera permission was refused')).toBeVisible();
    await expect(page.getByTestId('camera-fallback-input')).toBeAttached();
  });
});
