/**
 * Issue 14: French and Portuguese. For each language the browser asks for (fr-FR, pt-BR):
 *  - the app starts in it (<html lang>, the language switcher), every view and state of the walk
 *    (e2e/helpers/interface-tour.ts) shows no English word from a list of the app's own English
 *    words (a locale snapshot: the visible text, through shadow roots, is also attached);
 *  - "38,5" typed for haematocrit is accepted and numbers and percentages use the decimal comma;
 *  - screenshots of every state at tablet size (800 × 1280) go to docs/screenshots/ with
 *    SCREENSHOTS=1 (else to the test's output folder).
 * And: a language picked in the app wins over the browser's and is remembered after a reload.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot, expect, test } from './helpers/app-test.js';
import { visibleText } from './helpers/interface-checks.js';
import { tour } from './helpers/interface-tour.js';
import { REPO_ROOT } from './helpers/paths.js';

/**
 * English words of the interface that a translated screen must not show. File names, the
 * identifier, the clinic name and units are data, not words of the interface.
 */
const ENGLISH = [
  'Slide',
  'Field',
  'Cells',
  'Records',
  'Review',
  'reviewed',
  'Parasitized',
  'Uninfected',
  'Inconclusive',
  'White blood',
  'Red cells',
  'red cells',
  'Loading',
  'Export',
  'Delete',
  'Print',
  'Choose',
  'Start',
  'Engine',
  'Language',
  'About',
  'Screening aid',
  'Infected',
  'Needs review',
  'likelihood',
  'Not a parasite',
  'Unsure',
  'Previous',
  'Next',
  'Undo',
  'Signature',
  'Reviewed by',
  'Storage',
  'Search',
  'Sessions',
  'Camera',
  'Take a photo',
  'Drop',
  'Clear results',
  'Parasitaemia',
  'Haematocrit',
  'Positive',
  'Negative',
  'Not finished',
  'Close',
  'Counts',
  'Images',
  'the ',
  ' and ',
  ' of ',
];
const ALLOWED = ['Malaria Screen', 'English', 'Français', 'Português', 'WebGL', 'WASM', 'SIMD', 'KiB', 'RGB'];

/** Words spelled the same in the language as in English. */
const SAME: Record<string, readonly string[]> = { fr: ['Sessions', 'Images', 'Signature'], pt: [] };

function englishIn(text: string, data: string[], lang: string): string[] {
  let t = text;
  for (const a of [...ALLOWED, ...data]) t = t.split(a).join(' ');
  return ENGLISH.filter(
    (w) => !SAME[lang]!.includes(w) && new RegExp(`(^|[^\\p{L}])${w.trim()}([^\\p{L}]|$)`, 'u').test(t),
  );
}

for (const [browserLocale, lang, words] of [
  ['fr-FR', 'fr', { decimal: '38,5', parasitaemia: 'Parasitémie' }],
  ['pt-BR', 'pt', { decimal: '38,5', parasitaemia: 'Parasitemia' }],
] as const) {
  test.describe(`${browserLocale}`, () => {
    test.use({ locale: browserLocale });

    test(`every view in ${lang}: no English left, decimal commas, screenshots`, async ({ page }) => {
      test.setTimeout(600_000);
      await page.setViewportSize({ width: 800, height: 1280 });
      const out = process.env.SCREENSHOTS
        ? join(REPO_ROOT, 'docs', 'screenshots')
        : test.info().outputPath('screenshots');
      mkdirSync(out, { recursive: true });
      const data = [
        'notes.png',
        'TOUR-1',
        'A. Microscopist',
        'Centre de santé de Test',
        'Patient-0042_slide-7_field-3_oil-immersion_100x_',
        'IMG_',
        'ThinF',
        '.webp',
        '.jpg',
      ];
      const leftovers: string[] = [];
      const snapshot: string[] = [];
      await tour(
        page,
        async (state) => {
          await expect(page.locator('html')).toHaveAttribute('lang', lang);
          const text = await visibleText(page);
          snapshot.push(`## ${state}\n${text}`);
          for (const w of englishIn(text, data, lang)) leftovers.push(`${state}: "${w}"`);
          if (state === 'cells-results') {
            const bad = page.locator('[data-testid="result"][data-file="notes.png"]');
            await expect(bad).toContainText(lang === 'fr' ? 'Ce n’est pas une image' : 'Não é uma imagem');
          }
          if (state === 'slide-reviewed') {
            const view = page.locator('slide-session-view');
            await expect(view.getByTestId('blood-value')).toHaveValue(words.decimal);
            await expect(view.getByTestId('density-formula')).toContainText('38,5');
            await expect(view.getByTestId('result-parasitaemia')).toContainText(words.parasitaemia);
            await expect(view.getByTestId('result-parasitaemia')).toContainText(/\d,\d/);
          }
          if (state === 'report-print')
            await page.screenshot({ path: join(out, `${lang}-${state}.png`), fullPage: true });
          else await page.screenshot({ path: join(out, `${lang}-${state}.png`), fullPage: false });
        },
        { clinic: 'Centre de santé de Test' },
      );
      await test
        .info()
        .attach(`locale-snapshot-${lang}.txt`, { body: snapshot.join('\n\n'), contentType: 'text/plain' });
      expect(leftovers, `English left in ${lang}`).toEqual([]);
    });
  });
}

test.describe('language switcher', () => {
  test.use({ locale: 'fr-FR' });
  test('a language picked in the app wins over the browser’s and is remembered', async ({ page }) => {
    await page.goto('./');
    const app = appRoot(page);
    // After the model is ready nothing else re-renders the shell: the switch alone must (the root
    // element is upgraded at definition, so @localized() must be applied before @customElement()).
    await expect(app).toHaveAttribute('data-ready', '', { timeout: 90_000 });
    await expect(app.getByTestId('nav-session')).toHaveText('Lame');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await app.getByTestId('locale-select').selectOption('pt');
    await expect(app.getByTestId('nav-session')).toHaveText('Lâmina');
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt');
    await page.reload();
    await expect(appRoot(page).getByTestId('nav-records')).toHaveText('Registos');
    await appRoot(page).getByTestId('locale-select').selectOption('en');
    await expect(appRoot(page).getByTestId('nav-records')).toHaveText('Records');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test.describe('records import errors', () => {
  test.use({ locale: 'fr-FR' });
  test('an archive refused on import is explained in French (technical detail kept after the lead)', async ({
    page,
  }) => {
    await page.goto('./');
    const app = appRoot(page);
    await expect(app).toHaveAttribute('data-ready', '', { timeout: 90_000 });
    await app.getByTestId('nav-records').click();
    const records = page.locator('records-view');
    const error = records.getByTestId('records-error');
    const pick = (name: string, text: string) =>
      records
        .getByTestId('import-archive-input')
        .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

    await pick('notes.json', 'not json');
    await expect(error).toHaveText('Ce fichier n’est pas du JSON valide : ce n’est donc pas une archive de dossiers.');
    expect(englishIn((await error.textContent()) ?? '', [], 'fr')).toEqual([]);

    await pick('other.json', '{"hello": 1}');
    await expect(error).toHaveText('Ce fichier n’est pas une archive de dossiers de cette application.');
    expect(englishIn((await error.textContent()) ?? '', [], 'fr')).toEqual([]);

    // A validation failure: the lead sentence is French, the detail (archive field names) stays as is.
    const bad = { format: 'malaria-screen-records', formatVersion: 1, schemaVersion: 3, sessions: 'x', fields: [] };
    await pick('bad.json', JSON.stringify(bad));
    await expect(error).toContainText('Archive de dossiers non valide. Le fichier n’a pas été importé.');
    const lead = ((await error.textContent()) ?? '').split('Détail technique')[0]!;
    expect(englishIn(lead, [], 'fr')).toEqual([]);
  });
});
