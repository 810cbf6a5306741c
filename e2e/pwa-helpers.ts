/**
 * Helpers for the PWA e2e specs (e2e/pwa-*.spec.ts). The builds are served by the real production
 * server (`scripts/serve.mjs`, what `npm start` runs), started as a child process on a chosen port,
 * so it can be stopped (really offline) and restarted on the same origin with another build (update).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
/** The production build under test (`PWA_E2E_DIST` overrides, e.g. for a build elsewhere). */
export const DIST = resolve(process.env.PWA_E2E_DIST ?? join(REPO_ROOT, 'dist'));

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface AppServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Runs `node scripts/serve.mjs` for `distDir` on 127.0.0.1:`port` and waits until it listens. */
export async function startAppServer(distDir: string, port?: number): Promise<AppServer> {
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'serve.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', DIST_DIR: distDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve.mjs did not start:\n${output}`)), 15_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes(`:${p}/`)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve.mjs exited (${String(code)}):\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${p}/`,
    port: p,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

/** Waits until a service worker controls the page (first install claims the page). */
export async function waitForServiceWorkerControl(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout });
}

/** Fails on any request that does not go to `origin` (data:/blob: URLs are local and allowed). */
export function isOwnOrigin(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  return new URL(url).origin === origin;
}

export const FIXTURE_CELLS = join(REPO_ROOT, 'fixtures', 'cells');

/** The app's multi-file input (inside malaria-app's open shadow root; Playwright CSS pierces it). */
export function fileInput(page: Page) {
  return page.locator('malaria-app input[type="file"][multiple]').first();
}

/** Waits for the app to be warmed up on the expected backend. */
export async function waitForAppReady(page: Page, backend: string, timeout = 120_000): Promise<void> {
  const app = page.locator('malaria-app');
  const loadError = page.getByTestId('load-error');
  await app.and(page.locator('[data-ready]')).or(loadError).first().waitFor({ timeout });
  if (await loadError.isVisible()) throw new Error(`the model did not load: ${await loadError.innerText()}`);
  const active = await app.getAttribute('data-backend');
  if (active !== backend) throw new Error(`expected backend ${backend}, app runs on ${String(active)}`);
  // The app opens on the slide workflow; these specs classify single cells.
  await app.getByTestId('nav-cells').click();
}

/** Collects console errors, uncaught page errors and failed responses of one page. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return errors;
}
