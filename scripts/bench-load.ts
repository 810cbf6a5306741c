/**
 * `npm run bench:load`: the first-load rows of issue 15, against the production build served by
 * scripts/serve.mjs (what `npm start` serves), in Debian Chromium (headless).
 *
 * - Script bytes loaded before the app is ready: every JavaScript response (same origin, the page
 *   and its dedicated workers, e.g. the classifier worker's tfjs chunks) that finished before
 *   `<malaria-app data-ready>` appeared, summed (bodies as served: the server does not compress).
 *   WASM bytes are listed apart.
 * - Page open → ready (navigation start → `data-ready`, in-page clock), unthrottled and at 4× CPU
 *   throttling (CDP `Emulation.setCPUThrottlingRate`), first visit (fresh browser context: no HTTP
 *   cache, no service worker) and reload (same page: service worker and caches warm). Also first
 *   contentful paint. Each cell is the median of --runs runs (default 3).
 * - Lighthouse 12 (the `lighthouse` npm package), mobile (its default: simulated slow 4G, 4× CPU) and
 *   desktop presets, against a Chromium started by chrome-launcher: performance / accessibility /
 *   best-practices / SEO scores and the key metrics; the reports are kept (screenshots stripped)
 *   as docs/perf/lighthouse-<preset>[-<label>].json.
 *
 *   npm run bench:load [-- --runs 3 --label after --no-lighthouse --lighthouse-runs 1 --presets mobile,desktop]
 * Writes bench-results/load[-<label>].json. The load average (1/5/15 min) is recorded before and
 * after: this machine's 2 cores are shared, and other work changes the numbers a lot.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { startBenchServer } from './bench-server.js';
import { median } from '../src/core/shared/median.js';
import { cliArg } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, def: string): string => cliArg(name, def);
const RUNS = Number(arg('runs', '3'));
const LH_RUNS = Number(arg('lighthouse-runs', '1'));
const LABEL = arg('label', '');
const LIGHTHOUSE = !args.includes('--no-lighthouse');
const LH_PRESETS = arg('presets', 'mobile,desktop')
  .split(',')
  .filter((p): p is 'mobile' | 'desktop' => p === 'mobile' || p === 'desktop');
const PORT = Number(process.env.BENCH_PORT ?? 4191);
const URL_ = `http://127.0.0.1:${PORT}/`;
const suffix = LABEL ? `-${LABEL}` : '';

const startServer = (): Promise<ChildProcess> => startBenchServer(ROOT, PORT);

interface LoadRun {
  /** navigation start → data-ready (performance.now() in the page when the attribute appeared). */
  readyMs: number;
  /** first-contentful-paint entry. */
  fcpMs: number | null;
  /** Node wall clock: goto() → data-ready seen. */
  wallMs: number;
  scriptBytes: number;
  scriptFiles: string[];
  wasmBytes: number;
  backend: string;
}

/** Records the in-page time at which <malaria-app> gets data-ready (installed before any page script). */
const READY_PROBE = `
globalThis.__name = (f) => f;
(() => {
  const mark = () => { if (globalThis.__readyAt === undefined) globalThis.__readyAt = performance.now(); };
  const obs = new MutationObserver(() => { const el = document.querySelector('malaria-app'); if (el && el.hasAttribute('data-ready')) { mark(); obs.disconnect(); } });
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})();`;

async function measure(page: Page, reload: boolean): Promise<LoadRun> {
  const scripts = new Map<string, number>();
  const wasm = new Map<string, number>();
  let ready = false;
  // Playwright's request events cover the page and its dedicated workers (the classifier worker
  // fetches tfjs and the WASM binary; CDP's Network domain on the page target does not see those).
  // Bytes = body length as served (the server does not compress); responses from the service
  // worker's precache (reload) included.
  const onFinished = (req: Request) => {
    if (ready) return;
    const url = req.url();
    if (!/^https?:/.test(url)) return;
    const isWasm = /\.wasm(\?|$)/.test(url);
    const isScript = !isWasm && (req.resourceType() === 'script' || /\.m?js(\?|$)/.test(url));
    if (!isScript && !isWasm) return;
    void req
      .response()
      .then((r) => r?.body())
      .then((b) => {
        if (b) (isScript ? scripts : wasm).set(url, b.length);
      })
      .catch(() => undefined);
  };
  page.on('requestfinished', onFinished);
  const t0 = Date.now();
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(URL_, { waitUntil: 'commit' });
  await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
  const wallMs = Date.now() - t0;
  ready = true;
  await new Promise((r) => setTimeout(r, 200)); // let the body() calls settle
  page.off('requestfinished', onFinished);
  const m = await page.evaluate(() => ({
    readyAt: (globalThis as unknown as { __readyAt?: number }).__readyAt ?? -1,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    backend: document.querySelector('malaria-app')?.getAttribute('data-backend') ?? '',
  }));
  return {
    readyMs: m.readyAt,
    fcpMs: m.fcp,
    wallMs,
    scriptBytes: [...scripts.values()].reduce((a, b) => a + b, 0),
    scriptFiles: [...scripts.entries()].map(([u, b]) => `${new URL(u).pathname} ${b}`),
    wasmBytes: [...wasm.values()].reduce((a, b) => a + b, 0),
    backend: m.backend,
  };
}

interface Cell {
  throttle: number;
  visit: 'first' | 'reload';
  runs: LoadRun[];
}

async function benchLoads(browser: Browser): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const throttle of [1, 4]) {
    const first: LoadRun[] = [];
    const again: LoadRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript({ content: READY_PROBE });
      page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
      first.push(await measure(page, false));
      // Let the service worker finish installing (precache) before the reload, as a returning user would.
      await page
        .waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 60_000 })
        .catch(() => undefined);
      again.push(await measure(page, true));
      await context.close();
      console.log(
        `[bench:load] ${throttle}× run ${i + 1}: first ${first.at(-1)!.readyMs.toFixed(0)} ms, reload ${again.at(-1)!.readyMs.toFixed(0)} ms`,
      );
    }
    cells.push({ throttle, visit: 'first', runs: first }, { throttle, visit: 'reload', runs: again });
  }
  return cells;
}

interface LhSummary {
  preset: 'mobile' | 'desktop';
  scores: Record<string, number | null>;
  metrics: Record<string, number | null>;
  /** Lighthouse's largest-contentful-paint element (its DOM path): the shell's or an app element. */
  lcpElement: string | null;
  file: string;
}

async function runLighthouse(preset: 'mobile' | 'desktop', run: number): Promise<LhSummary> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  try {
    const result = await lighthouse(
      URL_,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      },
      preset === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error('lighthouse returned nothing');
    const lhr = result.lhr;
    const scores = Object.fromEntries(
      Object.entries(lhr.categories).map(([k, c]) => [k, c.score === null ? null : Math.round(c.score * 100)]),
    );
    const num = (id: string) => lhr.audits[id]?.numericValue ?? null;
    const metrics = {
      fcpMs: num('first-contentful-paint'),
      lcpMs: num('largest-contentful-paint'),
      tbtMs: num('total-blocking-time'),
      ttiMs: num('interactive'),
      siMs: num('speed-index'),
      cls: num('cumulative-layout-shift'),
      unusedJsBytes:
        (lhr.audits['unused-javascript']?.details as { overallSavingsBytes?: number } | undefined)
          ?.overallSavingsBytes ?? null,
    };
    const lcpItems = (
      lhr.audits['largest-contentful-paint-element']?.details as
        { items?: { items?: { node?: { path?: string; nodeLabel?: string } }[] }[] } | undefined
    )?.items?.[0]?.items;
    const lcpNode = lcpItems?.[0]?.node;
    const lcpElement = lcpNode ? `${lcpNode.path ?? '?'} (“${(lcpNode.nodeLabel ?? '').slice(0, 40)}”)` : null;
    // Screenshots make the report ~10× bigger and say nothing the numbers do not.
    for (const id of ['screenshot-thumbnails', 'final-screenshot', 'full-page-screenshot']) delete lhr.audits[id];
    delete (lhr as { fullPageScreenshot?: unknown }).fullPageScreenshot;
    const file = `docs/perf/lighthouse-${preset}${suffix}${run ? `-${run + 1}` : ''}.json`;
    await mkdir(join(ROOT, 'docs/perf'), { recursive: true });
    await writeFile(join(ROOT, file), JSON.stringify(lhr));
    return { preset, scores, metrics, lcpElement, file };
  } finally {
    await chrome.kill();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  const server = await startServer();
  let cells: Cell[];
  const lh: LhSummary[] = [];
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      cells = await benchLoads(browser);
    } finally {
      await browser.close();
    }
    if (LIGHTHOUSE) {
      for (const preset of LH_PRESETS) {
        for (let i = 0; i < LH_RUNS; i++) {
          const s = await runLighthouse(preset, i);
          lh.push(s);
          console.log(`[bench:load] lighthouse ${preset}: ${JSON.stringify(s.scores)} ${JSON.stringify(s.metrics)}`);
        }
      }
    }
  } finally {
    server.kill();
  }
  const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
  const firstUnthrottled = cells.find((c) => c.throttle === 1 && c.visit === 'first')!;
  const rows: [string, string][] = [
    ['load average 1/5/15 min before → after', `${loadBefore.join(' ')} → ${loadAfter.join(' ')}`],
    ['active backend', firstUnthrottled.runs[0]?.backend ?? '?'],
    [
      'script bytes before ready, first visit (KB)',
      (median(firstUnthrottled.runs.map((r) => r.scriptBytes)) / 1000).toFixed(1),
    ],
    ['script files before ready', String(firstUnthrottled.runs[0]?.scriptFiles.length ?? 0)],
    [
      'WASM bytes before ready, first visit (KB)',
      (median(firstUnthrottled.runs.map((r) => r.wasmBytes)) / 1000).toFixed(1),
    ],
  ];
  for (const c of cells) {
    const tag = `${c.throttle === 1 ? 'unthrottled' : `${c.throttle}× CPU`}, ${c.visit === 'first' ? 'first visit' : 'reload'}`;
    rows.push([
      `page open → ready ms, ${tag} (median of ${c.runs.length}; min–max)`,
      `${median(c.runs.map((r) => r.readyMs)).toFixed(0)} (${Math.min(...c.runs.map((r) => r.readyMs)).toFixed(0)}–${Math.max(...c.runs.map((r) => r.readyMs)).toFixed(0)})`,
    ]);
    rows.push([`first contentful paint ms, ${tag}`, `${median(c.runs.map((r) => r.fcpMs ?? NaN)).toFixed(0)}`]);
  }
  for (const s of lh) {
    rows.push([
      `Lighthouse ${s.preset}: performance / accessibility / best practices / SEO`,
      ['performance', 'accessibility', 'best-practices', 'seo'].map((k) => String(s.scores[k] ?? '-')).join(' / '),
    ]);
    rows.push([
      `Lighthouse ${s.preset}: FCP / LCP / TBT / TTI ms, unused JS KB`,
      [s.metrics.fcpMs, s.metrics.lcpMs, s.metrics.tbtMs, s.metrics.ttiMs]
        .map((v) => (v == null ? '-' : v.toFixed(0)))
        .join(' / ') + `, ${s.metrics.unusedJsBytes == null ? '-' : (s.metrics.unusedJsBytes / 1024).toFixed(0)}`,
    ]);
    rows.push([`Lighthouse ${s.preset}: largest contentful paint element`, s.lcpElement ?? '-']);
  }
  const w0 = Math.max(...rows.map(([n]) => n.length));
  console.log(`\n| ${'metric'.padEnd(w0)} | value |\n|${'-'.repeat(w0 + 2)}|---|`);
  for (const [n, v] of rows) console.log(`| ${n.padEnd(w0)} | ${v} |`);
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const out = {
    date: new Date().toISOString(),
    label: LABEL || null,
    cpus: cpus().length,
    chromium: CHROMIUM_PATH,
    loadAverage: { before: loadBefore, after: loadAfter },
    note: 'headless Debian Chromium, default backend choice (WASM on SwiftShader). The machine is shared: see loadAverage.',
    loads: cells,
    lighthouse: lh,
  };
  const outFile = `bench-results/load${suffix}.json`;
  await writeFile(join(ROOT, outFile), JSON.stringify(out, null, 2));
  console.log(`\n[bench:load] wrote ${outFile}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
