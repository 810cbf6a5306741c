import type { Page } from '@playwright/test';
import { CONFIDENT_PARASITIZED, CONFIDENT_UNINFECTED, cellPath } from './helpers/fixtures.js';
import { appRoot, expect, openApp, resultFor, results, test, upload, waitForIdle } from './helpers/app-test.js';

/** The WASM backend's two Emscripten glues, each its own chunk (build/tfjs-wasm-plugin.ts). */
const THREADED_GLUE = /\/assets\/tfjs-backend-wasm-threaded-simd-[\w-]{8}\.js$/;
const PLAIN_GLUE = /\/assets\/tfjs-backend-wasm-(?!threaded)[\w-]{8}\.js$/;

test.describe('classifying fixture cells', () => {
  test('uploaded cells get the right labels (auto backend = WASM on SwiftShader)', async ({ page }) => {
    await openApp(page);
    // Headless Chromium only has SwiftShader: the automatic choice must be WASM.
    await expect(appRoot(page)).toHaveAttribute('data-backend', 'wasm');
    const files = [
      ...CONFIDENT_PARASITIZED.map((n) => cellPath('Parasitized', n)),
      ...CONFIDENT_UNINFECTED.map((n) => cellPath('Uninfected', n)),
    ];
    await upload(page, files);
    await expect(results(page)).toHaveCount(files.length);
    await waitForIdle(page);
    for (const name of CONFIDENT_PARASITIZED) {
      await expect(resultFor(page, name)).toHaveAttribute('data-label', 'Parasitized');
    }
    for (const name of CONFIDENT_UNINFECTED) {
      await expect(resultFor(page, name)).toHaveAttribute('data-label', 'Uninfected');
    }
    for (const row of await results(page).all()) {
      const p = Number(await row.getAttribute('data-probability'));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    const totals = page.locator('[data-testid="totals"]');
    await expect(totals).toHaveAttribute('data-parasitized', String(CONFIDENT_PARASITIZED.length));
    await expect(totals).toHaveAttribute('data-uninfected', String(CONFIDENT_UNINFECTED.length));
    await expect(page.getByText('Screening aid, not a diagnosis')).toBeVisible();
  });

  test('the page is cross-origin isolated and loads WASM binaries from its own origin', async ({ page }) => {
    const wasmRequests: string[] = [];
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname);
      if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
    });
    await openApp(page, '?backend=wasm');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(wasmRequests.length).toBeGreaterThan(0);
    for (const p of wasmRequests) expect(p).toMatch(/^\/tfjs-wasm\/tfjs-backend-wasm(-threaded-simd|-simd)?\.wasm$/);
    // With isolation + SIMD support, tfjs must pick the threaded SIMD binary…
    expect(wasmRequests).toContain('/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm');
    // …and only its Emscripten glue is fetched: the plain glue is a chunk of its own
    // (build/tfjs-wasm-plugin.ts lazyWasmGlue; docs/performance.md, step 7).
    expect(scripts.filter((p) => THREADED_GLUE.test(p))).toHaveLength(1);
    expect(scripts.filter((p) => PLAIN_GLUE.test(p))).toEqual([]);
    // …in the classifier worker, which is isolated too and runs XNNPACK's threads (pthread workers
    // it starts from a blob: URL, allowed by the CSP's worker-src).
    const d = await page.evaluate(() => {
      const c = window.__malariaDebug!.classifier()!;
      return { ...c.diagnostics, thread: window.__malariaDebug!.classifierThread() };
    });
    expect(d.thread).toBe('worker');
    expect(d.crossOriginIsolated).toBe(true);
    expect(d.wasm).toMatchObject({ simd: true, threads: true });
  });
});

test('without cross-origin isolation the WASM backend fetches only its plain glue and the SIMD binary, with the same results', async ({
  page,
  browser,
}) => {
  const files = [
    ...CONFIDENT_PARASITIZED.map((n) => cellPath('Parasitized', n)),
    ...CONFIDENT_UNINFECTED.map((n) => cellPath('Uninfected', n)),
  ];
  const rows = async (p: Page) => {
    await upload(p, files);
    await expect(results(p)).toHaveCount(files.length);
    await waitForIdle(p);
    return results(p).evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-file'), e.getAttribute('data-label'), e.getAttribute('data-probability')]),
    );
  };
  await openApp(page, '?backend=wasm');
  const isolated = await rows(page);
  // A host that drops COOP/COEP: the document is not isolated, so no SharedArrayBuffer and no
  // threaded WASM (a fresh context, so that no service worker answers instead).
  const context = await browser.newContext({ baseURL: new URL('/', page.url()).href, locale: 'en-US' });
  try {
    const plainPage = await context.newPage();
    await plainPage.route(
      (url) => url.pathname === '/',
      async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response, headers });
      },
    );
    const wasmRequests: string[] = [];
    const scripts: string[] = [];
    plainPage.on('request', (r) => {
      if (r.url().endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname);
      if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
    });
    await openApp(plainPage, '?backend=wasm');
    expect(await plainPage.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(wasmRequests).toEqual(['/tfjs-wasm/tfjs-backend-wasm-simd.wasm']);
    expect(scripts.filter((p) => PLAIN_GLUE.test(p))).toHaveLength(1);
    expect(scripts.filter((p) => THREADED_GLUE.test(p))).toEqual([]);
    const d = await plainPage.evaluate(() => window.__malariaDebug!.classifier()!.diagnostics);
    expect(d.wasm).toMatchObject({ simd: true, threads: false });
    const plain = await rows(plainPage);
    expect(plain.map((r) => r.slice(0, 2))).toEqual(isolated.map((r) => r.slice(0, 2)));
    for (const [i, r] of plain.entries()) expect(Math.abs(Number(r[2]) - Number(isolated[i]?.[2]))).toBeLessThan(1e-6);
  } finally {
    await context.close();
  }
});

test('batches are decoded and classified in workers; without OffscreenCanvas both run on the page with the same results', async ({
  page,
}) => {
  const files = [
    ...CONFIDENT_PARASITIZED.map((n) => cellPath('Parasitized', n)),
    ...CONFIDENT_UNINFECTED.map((n) => cellPath('Uninfected', n)),
  ];
  const rows = async () => {
    await upload(page, files);
    await expect(results(page)).toHaveCount(files.length);
    await waitForIdle(page);
    return results(page).evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-file'), e.getAttribute('data-label'), e.getAttribute('data-probability')]),
    );
  };
  await openApp(page);
  expect(await page.evaluate(() => window.__malariaDebug!.decoderMode())).toBe('worker');
  expect(await page.evaluate(() => window.__malariaDebug!.classifierThread())).toBe('worker');
  const inWorker = await rows();
  await page.addInitScript(() => {
    delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas;
  });
  await openApp(page);
  expect(await page.evaluate(() => window.__malariaDebug!.decoderMode())).toBe('page');
  // The classifier worker needs OffscreenCanvas too (WebGL in a worker): the model runs on the page.
  expect(await page.evaluate(() => window.__malariaDebug!.classifierThread())).toBe('page');
  const onPage = await rows();
  expect(onPage.map((r) => r.slice(0, 2))).toEqual(inWorker.map((r) => r.slice(0, 2)));
  for (const [i, r] of onPage.entries()) expect(Math.abs(Number(r[2]) - Number(inWorker[i]?.[2]))).toBeLessThan(1e-5);
});

test('the production server sends isolation and security headers, correct MIME types and no-cache where needed', async ({
  request,
}) => {
  const expectations: [string, RegExp, RegExp | null][] = [
    ['./', /^text\/html/, /no-cache/],
    ['./sw.js', /^text\/javascript/, /no-cache/],
    ['./tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm', /^application\/wasm$/, null],
    ['./model/model.json', /^application\/json/, null],
    ['./model/metadata.json', /^application\/json/, null],
    ['./manifest.webmanifest', /^application\/manifest\+json/, null],
  ];
  for (const [path, type, cache] of expectations) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const h = res.headers();
    expect(h['content-type'], path).toMatch(type);
    expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(h['cross-origin-embedder-policy'], path).toBe('require-corp');
    // Security headers (issue 13): no framing by any site, no referrer, camera for this origin only.
    expect(h['content-security-policy'], path).toBe("frame-ancestors 'none'");
    expect(h['x-frame-options'], path).toBe('DENY');
    expect(h['referrer-policy'], path).toBe('no-referrer');
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['permissions-policy'], path).toMatch(/(?:^|, )camera=\(self\)(?:,|$)/);
    expect(h['permissions-policy'], path).toMatch(/(?:^|, )microphone=\(\)(?:,|$)/);
    expect(h['permissions-policy'], path).toMatch(/(?:^|, )geolocation=\(\)(?:,|$)/);
    if (cache) expect(h['cache-control'], path).toMatch(cache);
  }
  const model = (await (await request.get('./model/model.json')).json()) as { weightsManifest: { paths: string[] }[] };
  for (const p of model.weightsManifest.flatMap((g) => g.paths)) {
    const res = await request.get(`./model/${p}`);
    expect(res.headers()['content-type'], p).toBe('application/octet-stream');
  }
  expect((await request.get('./%2e%2e/package.json')).status()).toBe(404);
});

test("the app refuses to be framed (CSP frame-ancestors 'none')", async ({ page, baseURL, problems }) => {
  // The refusal is what this test wants to see; Chromium reports it as a console error.
  const blocked =
    /(?:Framing|Refused to frame) .*violates the following Content Security Policy directive: "frame-ancestors 'none'"/;
  problems.allow.push(blocked);
  const refused = page.waitForEvent('console', { predicate: (m) => blocked.test(m.text()), timeout: 15_000 });
  // A page (served by the test, same origin even) that puts the app in an iframe.
  const framer = new URL('framer-test.html', baseURL).href;
  await page.route(framer, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>framer</title><iframe id="app" src="${new URL('./', baseURL).href}" width="800" height="600"></iframe>`,
    }),
  );
  await page.goto(framer);
  await refused;
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(frame, 'the iframe').toBeDefined();
  expect(frame!.url()).not.toBe(new URL('./', baseURL).href);
  await expect(page.frameLocator('#app').locator('malaria-app')).toHaveCount(0);
});
