/**
 * Issue 14: the report a lab can sign, rendered as a PDF (page.pdf) on A4 and on US Letter:
 *  - page size as asked, few pages (a short slide fits on one or two);
 *  - page 1 carries the screening-aid statement, the clinic/lab name, the result, the reviewer
 *    and the signature and date lines (text read back from the PDF with Ghostscript's txtwrite
 *    when it is installed);
 *  - page 1 is rendered to PNG (Ghostscript) for a person to look at: docs/screenshots/ with
 *    SCREENSHOTS=1, else the test's output folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './helpers/app-test.js';
import { tour } from './helpers/interface-tour.js';
import { REPO_ROOT } from './helpers/paths.js';
import { recordsView } from './session-helpers.js';

const GS = ['/usr/bin/gs', '/usr/local/bin/gs'].find((p) => existsSync(p));

/** Page sizes (points) from the PDF's page objects. */
function pdfPages(pdf: Buffer): { width: number; height: number }[] {
  const text = pdf.toString('latin1');
  const pages: { width: number; height: number }[] = [];
  for (const m of text.matchAll(
    /\/Type\s*\/Page[^s][\s\S]*?\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g,
  )) {
    pages.push({ width: Number(m[3]) - Number(m[1]), height: Number(m[4]) - Number(m[2]) });
  }
  return pages;
}

test.use({ locale: 'fr-FR' });

test('the slide report prints on A4 and Letter with the statement, clinic, reviewer and signature on page 1', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 800, height: 1280 });
  const out = process.env.SCREENSHOTS ? join(REPO_ROOT, 'docs', 'screenshots') : test.info().outputPath('pdf');
  mkdirSync(out, { recursive: true });
  const measured: string[] = [];
  await tour(
    page,
    async (state) => {
      if (state !== 'report-print') return;
      for (const [format, size] of [
        ['A4', { width: 595.28, height: 841.89 }],
        ['Letter', { width: 612, height: 792 }],
      ] as const) {
        // Chromium fires afterprint after each page.pdf(), which takes the report away (as after a
        // real print): print it again each time, as a user would.
        await page.emulateMedia({ media: 'screen' });
        await recordsView(page).getByTestId('record-detail').getByTestId('print-report').click();
        await page.emulateMedia({ media: 'print' });
        await expect(page.locator('body > [data-testid="print-report"]')).toBeVisible();
        const pdf = await page.pdf({ format, printBackground: true });
        const file = test.info().outputPath(`report-${format}.pdf`);
        writeFileSync(file, pdf);
        const pages = pdfPages(pdf);
        measured.push(
          `${format}: ${pages.length} page(s), ${pages.map((p) => `${p.width.toFixed(0)}×${p.height.toFixed(0)} pt`).join(', ')}`,
        );
        expect(pages.length, `${format} pages`).toBeGreaterThanOrEqual(1);
        expect(pages.length, `${format} pages`).toBeLessThanOrEqual(3);
        for (const p of pages) {
          expect(Math.abs(p.width - size.width), `${format} width`).toBeLessThan(2);
          expect(Math.abs(p.height - size.height), `${format} height`).toBeLessThan(2);
        }
        if (GS) {
          const textOf = (first: number, last: number) =>
            execFileSync(GS, [
              '-q',
              '-dNOPAUSE',
              '-dBATCH',
              '-sDEVICE=txtwrite',
              `-dFirstPage=${first}`,
              `-dLastPage=${last}`,
              '-sOutputFile=-',
              file,
            ])
              .toString('utf8')
              .replace(/\s+/g, ' ');
          const first = textOf(1, 1);
          expect(first).toContain('Aide au dépistage uniquement, pas un diagnostic');
          expect(first).toContain('Centre de santé de Test');
          expect(first).toContain('Parasitémie');
          expect(first).toContain('Positif');
          expect(first).toContain('A. Microscopist');
          expect(first).toContain('Signature');
          const all = textOf(1, pages.length);
          expect(all).toContain('Globule blanc');
          expect(all).not.toContain('WhiteBloodCell');
          execFileSync(GS, [
            '-q',
            '-dNOPAUSE',
            '-dBATCH',
            '-sDEVICE=png16m',
            '-r70',
            '-dFirstPage=1',
            '-dLastPage=2',
            `-sOutputFile=${join(out, `fr-report-${format}-page%d.png`)}`,
            file,
          ]);
        }
      }
    },
    { clinic: 'Centre de santé de Test' },
  );
  test.info().annotations.push({ type: 'pdf', description: measured.join('; ') });
  console.log(measured.join('\n'));
  expect(measured).toHaveLength(2);
});
