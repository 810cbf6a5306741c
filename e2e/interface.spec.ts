/**
 * Issue 14: accessibility and layout on every view and state. On a walk through the app
 * (e2e/helpers/interface-tour.ts) each state must have
 *  - 0 axe-core violations of any impact (@axe-core/playwright, default rules);
 *  - no horizontal scroll at 360, 800 and 1,280 px (document scrollWidth <= clientWidth);
 *  - every interactive element at least 44 × 44 CSS px (at the 800 × 1280 tablet size).
 * The report in print media is checked for axe only (it is paper).
 */
import { expect, test } from './helpers/app-test.js';
import { axeViolations, overflowAt, smallTouchTargets, WIDTHS } from './helpers/interface-checks.js';
import { tour } from './helpers/interface-tour.js';

test('every view and state: no axe violations, no horizontal scroll, 44 px touch targets', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 800, height: 1280 });
  const found: string[] = [];
  const visited: string[] = [];
  await tour(page, async (state) => {
    visited.push(state);
    const axe = await axeViolations(page, state);
    for (const v of axe.violations) found.push(`${state}: axe ${v.impact} ${v.id} — ${v.nodes.join(' | ')}`);
    if (state === 'report-print') return;
    for (const t of await smallTouchTargets(page)) found.push(`${state}: small target ${t}`);
    const before = page.viewportSize()!;
    for (const width of WIDTHS) {
      const o = await overflowAt(page, width);
      if (o.scrollWidth > o.clientWidth)
        found.push(`${state}: horizontal scroll at ${width} px (${o.scrollWidth} > ${o.clientWidth})`);
    }
    await page.setViewportSize(before);
  });
  test.info().annotations.push({ type: 'states', description: visited.join(', ') });
  expect(found).toEqual([]);
});
