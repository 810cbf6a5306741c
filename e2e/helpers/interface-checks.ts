/**
 * Checks shared by the interface specs (issue 14): axe-core on the whole page (every impact),
 * no horizontal scroll at a width, touch targets ≥ 44 × 44 CSS px, and the visible text of the page
 * through open shadow roots (for the locale snapshot).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './app-test.js';

export const WIDTHS = [360, 800, 1280] as const;

export interface AxeSummary {
  state: string;
  violations: { id: string; impact: string | null | undefined; nodes: string[] }[];
}

/** Runs axe on the page as it is; returns the violations (the caller asserts there are none). */
export async function axeViolations(page: Page, state: string): Promise<AxeSummary> {
  const result = await new AxeBuilder({ page }).analyze();
  return {
    state,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    })),
  };
}

export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const s = await axeViolations(page, state);
  expect(s.violations, `axe violations in state "${state}"`).toEqual([]);
}

/** The page's horizontal overflow at `width` (document scrollWidth vs clientWidth). */
export async function overflowAt(
  page: Page,
  width: number,
): Promise<{ width: number; scrollWidth: number; clientWidth: number }> {
  const height = page.viewportSize()?.height ?? 1280;
  await page.setViewportSize({ width, height });
  // Two frames: layout (and ResizeObservers) settle after the resize.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(
    (w) => ({
      width: w,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }),
    width,
  );
}

export async function expectNoOverflow(page: Page, state: string, widths: readonly number[] = WIDTHS): Promise<void> {
  const before = page.viewportSize();
  for (const w of widths) {
    const o = await overflowAt(page, w);
    expect(o.scrollWidth, `horizontal scroll in "${state}" at ${w} px`).toBeLessThanOrEqual(o.clientWidth);
  }
  if (before) await page.setViewportSize(before);
}

/** Interactive elements (through open shadow roots) smaller than `min` CSS px either way. */
export async function smallTouchTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate((minSize) => {
    const SELECTOR =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="tab"], [tabindex]:not([tabindex="-1"])';
    const out: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        if (!el.matches(SELECTOR)) continue;
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
        // A transparent input stretched over its label (the big pick buttons): the label is the target.
        if (el instanceof HTMLInputElement && Number(style.opacity) === 0) continue;
        if (r.width < minSize || r.height < minSize) {
          const name = (el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent ?? '')
            .trim()
            .slice(0, 40);
          out.push(`<${el.tagName.toLowerCase()}> "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
        }
      }
    };
    visit(document);
    return out;
  }, min);
}

export async function expectTouchTargets(page: Page, state: string): Promise<void> {
  expect(await smallTouchTargets(page), `touch targets under 44 px in "${state}"`).toEqual([]);
}

/** The text a user sees: innerText of every visible element, through open shadow roots. */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (node: Node) => {
      if (node instanceof Element) {
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden') return;
        if (node instanceof HTMLDialogElement && !node.open) return;
        if (node instanceof HTMLDetailsElement && !node.open) {
          const summary = node.querySelector(':scope > summary');
          if (summary) walk(summary);
          return;
        }
        if (node.shadowRoot) walk(node.shadowRoot);
        if (node instanceof HTMLElement && (node.hidden || node.tagName === 'STYLE' || node.tagName === 'SCRIPT'))
          return;
        // translate="no": data and developer facts (tfjs's reason for a backend), not interface words.
        if (node.getAttribute('translate') === 'no') return;
        if (node.tagName === 'INPUT') parts.push((node as HTMLInputElement).placeholder ?? '');
        if (node.getAttribute('aria-label')) parts.push(node.getAttribute('aria-label')!);
      }
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) parts.push(child.textContent ?? '');
        else walk(child);
      }
    };
    walk(document.body);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  });
}
