/**
 * `npx tsx scripts/bench-main-thread.ts [--runs 3] [--throttle 4] [--label worker] [--query ?backend=wasm]`:
 * what blocks the page's main thread while the app loads (issue 15: Lighthouse mobile charges every
 * main-thread task over 50 ms as Total Blocking Time, at 4× CPU).
 *
 * Serves the production build (scripts/serve.mjs, BENCH_PORT, default 4191; DIST_DIR to serve
 * another build), opens the app in Debian Chromium with CDP CPU throttling (4× by default), a fresh
 * browser context per run (first visit: no cache, no service worker), and records from before any
 * page script runs:
 * - every Long Animation Frame (`long-animation-frame`, ≥ 50 ms) with its scripts: source file
 *   (basename, hash stripped), invoker (e.g. `Response.json.then`, `Worker.onmessage`) and duration;
 * - every `longtask` entry, and their blocking time (Σ max(0, duration − 50 ms)) from first
 *   contentful paint until 2 s after `<malaria-app data-ready>` (the app's own TBT-like sum).
 * Prints a table per run and the median, and writes bench-results/main-thread[-<label>].json.
 * Long tasks run in workers are not on the main thread and so are not in these entries.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { startBenchServer } from './bench-server.js';
import { median } from '../src/core/shared/median.js';
import { cliArg } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, def: string): string => cliArg(name, def);
const RUNS = Number(arg('runs', '3'));
const THROTTLE = Number(arg('throttle', '4'));
const LABEL = arg('label', '');
const QUERY = arg('query', '');
const PORT = Number(process.env.BENCH_PORT ?? 4191);
const URL_ = `http://127.0.0.1:${PORT}/${QUERY}`;

/** Installed before any page script: buffers LoAF and long-task entries and the ready time. */
const PROBE = `
globalThis.__name = (f) => f;
(() => {
  const g = globalThis;
  g.__loaf = []; g.__longtasks = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) g.__loaf.push({
      start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
      scripts: (e.scripts || []).map((s) => ({ file: s.sourceURL, invoker: s.invoker, duration: s.duration, fn: s.sourceFunctionName })),
    }); }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  new PerformanceObserver((l) => { for (const e of l.getEntries()) g.__longtasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  const mark = () => { if (g.__readyAt === undefined) g.__readyAt = performance.now(); };
  const obs = new MutationObserver(() => { const el = document.querySelector('malaria-app'); if (el && el.hasAttribute('data-ready')) { mark(); obs.disconnect(); } });
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})();`;

interface LoafScript {
  file: string;
  invoker: string;
  duration: number;
  fn: string;
}
interface Loaf {
  start: number;
  duration: number;
  blocking: number;
  scripts: LoafScript[];
}
interface Run {
  readyMs: number;
  fcpMs: number;
  backend: string;
  /** Σ max(0, longtask − 50 ms) from FCP to ready + 2 s. */
  blockingMs: number;
  longTasks: { start: number; duration: number }[];
  frames: Loaf[];
}

/** `…/assets/classifier-BVeaLL97.js` → `classifier-*.js`. */
function shortFile(url: string): string {
  const name = url.split('/').pop() ?? url;
  return name.replace(/-[A-Za-z0-9_-]{8}\.js$/, '-*.js') || '(inline)';
}

async function oneRun(browser: Browser): Promise<Run> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript({ content: PROBE });
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await page.goto(URL_, { waitUntil: 'commit' });
  await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
  await page.waitForTimeout(2_000);
  const r = await page.evaluate(() => {
    const g = globalThis as unknown as {
      __loaf: Loaf[];
      __longtasks: { start: number; duration: number }[];
      __readyAt?: number;
    };
    return {
      frames: g.__loaf,
      longTasks: g.__longtasks,
      readyMs: g.__readyAt ?? -1,
      fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
      backend: document.querySelector('malaria-app')?.getAttribute('data-backend') ?? '',
    };
  });
  await context.close();
  const blockingMs = r.longTasks
    .filter((t) => t.start >= r.fcpMs && t.start <= r.readyMs + 2_000)
    .reduce((s, t) => s + Math.max(0, t.duration - 50), 0);
  return { ...r, blockingMs };
}

function describeFrame(f: Loaf): string {
  const top = [...f.scripts]
    .sort((a, b) => b.duration - a.duration)
    .slice(0, 3)
    .map(
      (s) =>
        `${shortFile(s.file)} ${/^https?:/.test(s.invoker) ? '(script evaluation)' : s.invoker} ${s.duration.toFixed(0)} ms`,
    )
    .join('; ');
  return `at ${f.start.toFixed(0)} ms: ${f.duration.toFixed(0)} ms (blocking ${f.blocking.toFixed(0)}) — ${top || 'no script attributed (style/layout/paint)'}`;
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  const server: ChildProcess = await startBenchServer(ROOT, PORT);
  const runs: Run[] = [];
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      for (let i = 0; i < RUNS; i++) {
        const run = await oneRun(browser);
        runs.push(run);
        console.log(
          `\n[main-thread] run ${i + 1} (${THROTTLE}× CPU, ${run.backend}): FCP ${run.fcpMs.toFixed(0)} ms, ready ${run.readyMs.toFixed(0)} ms, ` +
            `long tasks ${run.longTasks.length}, blocking FCP → ready+2 s ${run.blockingMs.toFixed(0)} ms`,
        );
        for (const f of run.frames) console.log(`  LoAF ${describeFrame(f)}`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
  const loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
  const med = (f: (r: Run) => number) => median(runs.map(f)).toFixed(0);
  console.log(
    `\n[main-thread] median of ${RUNS}: ready ${med((r) => r.readyMs)} ms, FCP ${med((r) => r.fcpMs)} ms, ` +
      `long tasks ${med((r) => r.longTasks.length)}, longest ${med((r) => Math.max(0, ...r.longTasks.map((t) => t.duration)))} ms, ` +
      `blocking FCP → ready+2 s ${med((r) => r.blockingMs)} ms; load average ${loadBefore.join(' ')} → ${loadAfter.join(' ')}`,
  );
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const outFile = `bench-results/main-thread${LABEL ? `-${LABEL}` : ''}.json`;
  await writeFile(
    join(ROOT, outFile),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        throttle: THROTTLE,
        query: QUERY,
        loadAverage: { before: loadBefore, after: loadAfter },
        runs,
      },
      null,
      2,
    ),
  );
  console.log(`[main-thread] wrote ${outFile}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
