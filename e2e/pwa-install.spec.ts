/**
 * Installability: the web app manifest is valid and Chromium reports no installability error for
 * the production build (DevTools protocol), in a normal (non-incognito) profile.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DIST, startAppServer, waitForServiceWorkerControl, type AppServer } from './pwa-helpers.js';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}
interface WebAppManifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: ManifestIcon[];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

let server: AppServer;
test.beforeAll(async () => {
  server = await startAppServer(DIST);
});
test.afterAll(async () => {
  await server.stop();
});

test('manifest fields are complete and icons match their declared sizes', () => {
  const m = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8')) as WebAppManifest;
  expect(m.name.length).toBeGreaterThan(0);
  expect(m.short_name.length).toBeGreaterThan(0);
  expect(m.short_name.length).toBeLessThanOrEqual(15);
  expect(m.description.length).toBeGreaterThan(0);
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('./');
  expect(m.scope).toBe('./');
  expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  for (const size of [192, 512]) {
    for (const purpose of ['any', 'maskable']) {
      const icon = m.icons.find(
        (i) => i.sizes === `${size}x${size}` && (i.purpose ?? 'any').split(' ').includes(purpose),
      );
      expect(icon, `${size}px ${purpose} icon`).toBeTruthy();
      if (!icon) continue;
      expect(icon.type).toBe('image/png');
      expect(pngSize(join(DIST, icon.src))).toEqual({ width: size, height: size });
    }
  }
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  expect(html).toMatch(/<link rel="manifest" href="\.?\/?manifest\.webmanifest"/);
  expect(html).toMatch(new RegExp(`<meta name="theme-color" content="${m.theme_color}"`, 'i'));
});

test('Chromium finds the app installable (Page.getInstallabilityErrors) and the Install button appears', async ({
  playwright,
  launchOptions,
}) => {
  // Installability is never granted in incognito profiles, which is what a normal Playwright context is.
  const profile = mkdtempSync(join(tmpdir(), 'pwa-install-'));
  const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: Array<{ message: string }> };
    expect(manifest.url).toBe(`${server.url}manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    // Chromium fired beforeinstallprompt: the in-app Install button is offered.
    await expect(page.locator('pwa-status').getByTestId('pwa-install')).toHaveText('Install app');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

/**
 * Whether the element at the centre of `testid` (found by Playwright's locator, which pierces the
 * open shadow roots) is that element: nothing floats over it. Scrolls the page to its end first, where
 * the reserved bottom room must keep the last controls clear of the floating notices.
 */
async function centreIsOwn(page: Page, testid: string): Promise<string> {
  return page.getByTestId(testid).evaluate((target) => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const r = target.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (y < 0 || y > window.innerHeight) return `off screen (y ${Math.round(y)})`;
    let el: Element | null = document.elementFromPoint(x, y);
    while (el?.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el === target || target.contains(el)
      ? 'ok'
      : `covered by <${el?.localName}> ${el?.textContent?.trim() ?? ''}`;
  });
}

test('the offline notice and the Install button never cover the Start slide button (412 and 800 px)', async ({
  playwright,
  launchOptions,
}) => {
  test.setTimeout(120_000);
  const profile = mkdtempSync(join(tmpdir(), 'pwa-layout-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    ...launchOptions,
    headless: true,
    viewport: { width: 412, height: 915 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    const status = page.locator('pwa-status');
    const sizes = [
      { width: 412, height: 915 },
      { width: 800, height: 1280 },
    ];
    // First load: "Ready to work offline" floats at the bottom as soon as the service worker is set up…
    await expect(status.getByTestId('pwa-message')).toBeVisible({ timeout: 60_000 });
    for (const size of sizes) {
      await page.setViewportSize(size);
      expect(await centreIsOwn(page, 'start-session'), `${size.width} px, with the notice`).toBe('ok');
    }
    // …and the Install button once the browser offers installation.
    await waitForServiceWorkerControl(page);
    await expect(status.getByTestId('pwa-install')).toBeVisible();
    for (const size of sizes) {
      await page.setViewportSize(size);
      expect(await centreIsOwn(page, 'start-session'), `${size.width} px, with the Install button`).toBe('ok');
    }
    // Once the notice is dismissed (its OK), the room shrinks to the Install button's; still clear.
    await status.getByRole('button', { name: 'OK' }).click();
    await expect(status.getByTestId('pwa-message')).toHaveCount(0);
    await page.setViewportSize({ width: 412, height: 915 });
    expect(await centreIsOwn(page, 'start-session'), '412 px, Install button only').toBe('ok');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
