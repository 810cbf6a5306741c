import { CHROMIUM_ARGS, CHROMIUM_PATH } from './helpers/chromium.js';
import sharp from 'sharp';
import { CAMERA_CELL, CAMERA_Y4M } from './helpers/paths.js';
import { expect, openApp, results, test, waitForIdle } from './helpers/app-test.js';

// Chromium's fake capture device plays a .y4m made from a fixture cell (e2e/helpers/global-setup.ts).
test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${CAMERA_Y4M}`,
    ],
  },
  permissions: ['camera'],
});

test('camera: live preview from the rear camera, capture → classified', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('open-camera').click();
  const video = page.getByTestId('camera-preview');
  await expect(video).toBeVisible();
  // The preview is the fixture video (not Chromium's default test pattern): same size as the cell.
  const meta = await sharp(CAMERA_CELL).metadata();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe((meta.width ?? 0) & ~1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoHeight)).toBe((meta.height ?? 0) & ~1);
  await page.getByTestId('capture').click();
  await expect(results(page)).toHaveCount(1);
  await waitForIdle(page);
  const row = results(page).first();
  await expect(row).toHaveAttribute('data-file', /^camera-.*\.png$/);
  // The fake camera shows a confidently parasitized fixture cell (through YUV 4:2:0, so not bit-exact).
  await expect(row).toHaveAttribute('data-label', 'Parasitized');
});
