/**
 * Browser benchmark of whole-field analysis (`npm run bench:fields`; skipped in the normal e2e run
 * unless BENCH_FIELDS=1): every field in ../shared/data/smear-fields analysed in the built app on
 * the auto backend (WASM under headless Chromium), timings read from the view and written to
 * bench-results/fields-browser.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { appRoot, expect, openApp, test } from './helpers/app-test.js';
import { parseFieldTiming } from './helpers/field-timing.js';
import { REPO_ROOT, SMEAR_FIELDS } from './helpers/paths.js';
import { listFieldPhotos } from '../scripts/field-photos.js';

const FIELDS = SMEAR_FIELDS;

test.describe('field analysis benchmark', () => {
  test.skip(!process.env.BENCH_FIELDS || !existsSync(FIELDS), 'set BENCH_FIELDS=1 (npm run bench:fields)');
  test.setTimeout(600_000);

  test('times every field in Chromium', async ({ page }) => {
    await openApp(page);
    const backend = await appRoot(page).getAttribute('data-backend');
    await appRoot(page).getByTestId('nav-field').click();
    const view = page.locator('field-analysis-view');
    const rows: Record<string, unknown>[] = [];
    for (const photo of listFieldPhotos(FIELDS)) {
      const f = basename(photo.jpg);
      const b64 = (await readFile(photo.jpg)).toString('base64');
      const t0 = Date.now();
      await view.evaluate(
        async (el, file) => {
          const bin = atob(file.b64);
          const buf = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
          await (el as HTMLElement & { analyze(b: Blob, n: string): Promise<void> }).analyze(
            new Blob([buf], { type: 'image/jpeg' }),
            file.name,
          );
        },
        { name: f, b64 },
      );
      const wallMs = Date.now() - t0;
      await expect(view).toHaveAttribute('data-state', 'done');
      const timing = parseFieldTiming((await view.getByTestId('field-timing').textContent()) ?? '');
      const row = {
        patient: photo.patient,
        field: f,
        redCells: Number(await view.getByTestId('field-red-cells').textContent()),
        parasitized: Number(await view.getByTestId('field-parasitized').textContent()),
        decodeMs: timing.decodeMs,
        detectMs: timing.detectMs,
        classifyMs: timing.classifyMs,
        totalMs: timing.totalMs,
        wallMs,
      };
      console.log(`[bench:fields] ${JSON.stringify(row)}`);
      rows.push(row);
    }
    await mkdir(join(REPO_ROOT, 'bench-results'), { recursive: true });
    await writeFile(
      join(REPO_ROOT, 'bench-results', 'fields-browser.json'),
      JSON.stringify(
        {
          generatedAt: new Date().toISOString(),
          browser: 'chromium (headless)',
          backend,
          rows,
        },
        null,
        2,
      ),
    );
  });
});
