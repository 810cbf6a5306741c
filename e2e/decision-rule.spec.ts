/**
 * The numbers the user reads about the model's labels: About states the labelling rule the app
 * applies (band first: a cell just below the band's high edge is Needs review, whatever the
 * threshold), from public/model/metadata.json; the Cells totals say what "Share infected" rests on.
 * (labelForProbability itself at the band's edges: src/core/cells/decision-rule.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIDENT_PARASITIZED, CONFIDENT_UNINFECTED, cellPath } from './helpers/fixtures.js';
import { appRoot, expect, openApp, results, test, upload, waitForIdle } from './helpers/app-test.js';
import { REPO_ROOT } from './helpers/paths.js';

interface Decision {
  threshold: number;
  inconclusive: { low: number; high: number };
}
const { decision } = JSON.parse(readFileSync(join(REPO_ROOT, 'public', 'model', 'metadata.json'), 'utf8')) as {
  decision: Decision;
};
const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

test('About states the applied rule with metadata.json’s band, in the order the app applies it', async ({ page }) => {
  await openApp(page);
  await appRoot(page).getByTestId('about-open').click();
  const rule = page.getByTestId('diag-decision-rule');
  await expect(rule).toBeVisible();
  await expect(rule).toHaveAttribute('data-parasitized-from', String(decision.inconclusive.high));
  await expect(rule).toHaveAttribute('data-review-above', String(decision.inconclusive.low));
  await expect(rule).toHaveAttribute('data-review-below', String(decision.inconclusive.high));
  const { low, high } = decision.inconclusive;
  await expect(rule).toHaveText(
    `Infected if the likelihood is ${pct(high)} or more; needs review if it is above ${pct(low)} and below ${pct(high)}; not infected if it is ${pct(low)} or less`,
  );
  // The threshold lies inside the band on the shipped model, so it labels no cell and is not quoted.
  expect(decision.threshold).toBeGreaterThan(low);
  expect(decision.threshold).toBeLessThan(high);
  await expect(rule).not.toContainText(pct(decision.threshold));
  // That a cell just below the high edge is labelled Inconclusive: src/core/cells/decision-rule.test.ts.
});

test('Cells: "Share infected" comes with its basis and 95 % interval', async ({ page }) => {
  await openApp(page);
  const files = [
    ...CONFIDENT_PARASITIZED.slice(0, 2).map((n) => cellPath('Parasitized', n)),
    ...CONFIDENT_UNINFECTED.slice(0, 3).map((n) => cellPath('Uninfected', n)),
  ];
  await upload(page, files);
  await expect(results(page)).toHaveCount(files.length);
  await waitForIdle(page);
  const totals = page.locator('[data-testid="totals"]');
  const basis = page.getByTestId('totals-share-basis');
  await expect(basis).toHaveAttribute('data-red-cells', '5');
  await expect(basis).toHaveAttribute('data-parasitized', (await totals.getAttribute('data-parasitized'))!);
  await expect(basis).toHaveAttribute('data-inconclusive', (await totals.getAttribute('data-inconclusive'))!);
  // 2 of 5: 95 % Wilson 11.8–76.9 %.
  await expect(basis).toHaveText(
    'Share infected: 2 of 5 red cells called Infected by the model; 95% interval 11.8% – 76.9%.',
  );
});
