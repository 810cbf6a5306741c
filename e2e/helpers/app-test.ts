/**
 * Shared Playwright fixtures for the app specs: every test fails on a console error, an uncaught
 * page error, or a request to any origin other than the app's own. Plus page helpers.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface PageProblems {
  errors: string[];
  /** Messages matching these are expected by the test (e.g. a deliberately lost WebGL context). */
  allow: RegExp[];
}

export const test = base.extend<{ problems: PageProblems }>({
  problems: [
    async ({ page, baseURL }, use) => {
      const problems: PageProblems = { errors: [], allow: [] };
      const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.errors.push(`console.error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.errors.push(`pageerror: ${err.message}`));
      page.on('request', (req) => {
        const url = req.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        if (new URL(url).origin !== origin) problems.errors.push(`request to another origin: ${url}`);
      });
      await use(problems);
      const unexpected = problems.errors.filter((e) => !problems.allow.some((re) => re.test(e)));
      expect(unexpected, 'console errors, page errors or foreign requests').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export function appRoot(page: Page): Locator {
  return page.locator('malaria-app');
}

export type AppView = 'session' | 'field' | 'cells' | 'records';

/**
 * Shows one of the app's views through its navigation hook (`nav-<view>`), and waits until it is the
 * selected tab: Field, Cells and Records are imported on first use, and the tab switches only once the
 * view's module has loaded (a paste sent before that goes to the view still shown).
 */
export async function showView(page: Page, view: AppView): Promise<void> {
  const tab = appRoot(page).getByTestId(`nav-${view}`);
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * Opens the app (optionally with a query such as `?backend=wasm`), waits until the model is warmed
 * up and shows `view` (the Cells view by default: most specs classify single cells; the app itself
 * opens on the slide workflow).
 */
export async function openApp(page: Page, query = '', view: AppView = 'cells'): Promise<void> {
  await page.goto(`./${query}`);
  await expect(appRoot(page)).toHaveAttribute('data-ready', '', { timeout: 90_000 });
  await showView(page, view);
}

export function results(page: Page): Locator {
  return page.locator('[data-testid="result"]');
}

export function resultFor(page: Page, fileName: string): Locator {
  return page.locator(`[data-testid="result"][data-file="${fileName}"]`);
}

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export async function payloadOf(path: string, mimeType = 'image/webp'): Promise<FilePayload> {
  return { name: basename(path), mimeType, buffer: await readFile(path) };
}

/** Uploads through the real <input type=file multiple> in the Cells view. */
/** Drops one file on the Field view's drop zone (`field-drop`), as a desktop user drags a photo in. */
export async function dropOnFieldTab(page: Page, file: FilePayload): Promise<void> {
  await page.locator('field-analysis-view [data-testid="field-drop"]').evaluate(
    (el, f) => {
      const bin = atob(f.b64);
      const buf = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([buf], f.name, { type: f.type }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
    },
    { name: file.name, type: file.mimeType, b64: file.buffer.toString('base64') },
  );
}

export async function upload(page: Page, files: FilePayload[] | string[]): Promise<void> {
  await page.locator('cell-classifier-view input[type="file"][multiple]').setInputFiles(files);
}

/** Serialisable form of a file, for building File objects inside the page. */
export function forPage(f: FilePayload): { name: string; type: string; b64: string } {
  return { name: f.name, type: f.mimeType, b64: f.buffer.toString('base64') };
}

/**
 * Waits until no batch is running. Polls the app's busy flag instead of a locator: Playwright
 * locators walk every shadow root on each poll, which with 1,000 result rows blocks the page's main
 * thread for seconds and would distort responsiveness measurements.
 */
export async function waitForIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false, undefined, {
    polling: 250,
    timeout: 120_000,
  });
  await expect(page.locator('[data-testid="batch-progress"]')).toHaveCount(0);
}
