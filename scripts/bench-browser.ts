/**
 * `npm run bench`: browser benchmark of the built app in headless Chromium.
 *
 * Per backend (WASM and WebGL): model load, the first result after load (one file through the real
 * file input), ms per cell for single images and for a 1,000-cell batch (decode excluded, and the
 * app's pipelined worker decode included), the Cells view end to end through its real
 * `<input type=file multiple>` (files set → every row present with a label; in-page and via
 * Playwright's setInputFiles), peak JS heap, and the machine's load average around each run.
 *
 * Then issue 15's decode, memory and whole-field rows on WASM (scripts/bench-goals.ts): 1,000 PNG,
 * JPEG and WebP cells through the real input; peak JS heap and tensor count over 3,000 cells and over
 * 10 fields in a row; every 16 MP field photo in ../shared/data/smear-fields (FIELDS_DIR overrides)
 * through the Field view's real file input at 1× and 4× CPU, with the view's decode / detect /
 * classify split. Each of those rows is run `--runs` times (median shown, every run in the JSON).
 *
 * Last, the first-load rows (scripts/bench-load.ts, run as its own process so its server and browser
 * start clean): script bytes before ready (page + workers), page open → ready at 1× and 4× CPU,
 * Lighthouse mobile and desktop (JSON kept in docs/perf/). `--load-runs N` (default 1) and
 * `--lighthouse-runs N` are passed on; `npm run bench:load` runs only these.
 *
 * Prints a table and writes bench-results/browser.json (bench-results/load.json for the load rows).
 *
 *   npm run bench [-- --cells 1000 --backends wasm,webgl --single 50 --runs 3 --rates 1,4
 *                  --only goals|backends|load --goals cells,heap,fields --load-runs 1 --lighthouse-runs 1]
 * Cells come from /work/shared/data/nih-malaria/cell_images (NIH_DIR overrides), else fixtures/cells
 * (the goal rows need the NIH folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { startBenchServer } from './bench-server.js';
import { SMEAR_FIELDS } from '../e2e/helpers/paths.js';
import { listFieldPhotos } from './field-photos.js';
import { benchGoals, goalRows, GOAL_SECTIONS, type GoalResults, type GoalSection } from './bench-goals.js';
import { cliArg, loadFilesIntoPage } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, def: string): string => cliArg(name, def);
const N_CELLS = Number(arg('cells', '1000'));
const BACKENDS = arg('backends', 'wasm,webgl').split(',');
const N_SINGLE = Number(arg('single', '50'));
const PORT = Number(process.env.BENCH_PORT ?? 4190);
const NIH_DIR = process.env.NIH_DIR ?? '/work/shared/data/nih-malaria/cell_images';
const FIELDS_DIR = process.env.FIELDS_DIR ?? SMEAR_FIELDS;
const RUNS = Number(arg('runs', '3'));
const RATES = arg('rates', '1,4').split(',').map(Number);
const ONLY = arg('only', 'all');
const SECTIONS = arg('goals', GOAL_SECTIONS.join(',')).split(',') as GoalSection[];

function cellFiles(): string[] {
  const dirs = existsSync(NIH_DIR)
    ? ['Parasitized', 'Uninfected'].map((c) => join(NIH_DIR, c))
    : ['Parasitized', 'Uninfected'].map((c) => join(ROOT, 'fixtures', 'cells', c));
  const lists = dirs.map((d) =>
    readdirSync(d)
      .filter((f) => /\.(webp|png|jpe?g)$/i.test(f))
      .sort()
      .map((f) => join(d, f)),
  );
  const out: string[] = [];
  // Alternate classes; repeat when there are fewer files than requested (fixtures).
  for (let i = 0; out.length < N_CELLS; i++) {
    const list = lists[i % 2] as string[];
    out.push(list[Math.floor(i / 2) % list.length] as string);
  }
  return out;
}

const startServer = (): Promise<ChildProcess> => startBenchServer(ROOT, PORT);

interface BackendResult {
  backend: string;
  activeBackend: string;
  wasmThreads: string;
  decoder: string;
  modelLoadMs: number;
  pageReadyMs: number;
  /** One file set on the real <input type=file> right after `data-ready` → its labelled row. */
  firstResultAfterLoadMs: number;
  pageOpenToFirstResultMs: number;
  singleMsPerCellWithDecode: number;
  singleMsPerCellNoDecode: number;
  batchMsPerCellNoDecode: number;
  /** The Cells view's pipeline without the UI: worker decode of chunk n+1 overlapped with chunk n. */
  batchMsPerCellWithDecode: number;
  batchTotalMsWithDecode: number;
  /** In-page: FileList set on the real <input type=file multiple> + change → N rows with data-label. */
  uiEndToEndMs: number;
  /** Same through Playwright's setInputFiles (file paths), measured from Node. */
  uiSetInputFilesMs: number;
  peakJsHeapMB: number;
  loadAverage: { before: number[]; after: number[] };
}

const VALID_LABELS = ['Parasitized', 'Uninfected', 'Inconclusive', 'Error'];

/** Clears the Cells view (its "Clear results" button) so the next UI run starts from an empty list. */
async function clearResults(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const app = document.querySelector('malaria-app')!;
    const view = app.shadowRoot!.querySelector('cell-classifier-view')!;
    (view.shadowRoot!.querySelector('button.clear') as HTMLButtonElement | null)?.click();
    await (view as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  });
}

type BenchWindow = Window & { __benchFiles: File[]; __benchRows: (n: number) => Promise<string[]> };

/** Installs `__benchRows(n)`: resolves once the Cells view shows n result rows with a label; returns the labels. */
async function installRowWaiter(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as BenchWindow).__benchRows = async (n: number) => {
      const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
      const rows = () => view.shadowRoot!.querySelectorAll('[data-testid="result"][data-label]');
      while (rows().length < n) await new Promise((r) => setTimeout(r, 10));
      return Array.from(rows(), (r) => r.getAttribute('data-label') ?? '');
    };
  });
}

async function benchBackend(page: Page, backend: string, files: string[]): Promise<BackendResult> {
  const loadBefore = loadavg().map((v) => Number(v.toFixed(2)));
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/?backend=${backend}`);
  await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
  const pageReadyMs = Date.now() - t0;
  // The Cells view is its own chunk, loaded when its tab is first shown (not part of "ready").
  await page.locator('malaria-app').getByTestId('nav-cells').click();
  await page.waitForFunction(
    () => !!document.querySelector('malaria-app')?.shadowRoot?.querySelector('cell-classifier-view')?.shadowRoot,
  );
  await installRowWaiter(page);
  // First result right after load, through the real file input (what a user does first).
  const firstResultAfterLoadMs = await page.evaluate(
    async (b64) => {
      const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
      const input = view.shadowRoot!.querySelector('input[type="file"][multiple]') as HTMLInputElement;
      const dt = new DataTransfer();
      dt.items.add(
        new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'first.webp', { type: 'image/webp' }),
      );
      const t = performance.now();
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await (window as unknown as BenchWindow).__benchRows(1);
      return performance.now() - t;
    },
    (await readFile(files[0] as string)).toString('base64'),
  );
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false);
  await clearResults(page);
  await loadFilesIntoPage(page, files, (f, i) => `${String(i).padStart(4, '0')}-${f.split('/').pop()}`);
  // UI runs first, on a fresh app (as a user would), with the JS heap sampled every 50 ms.
  await page.evaluate(() => {
    const w = window as unknown as { __peakHeap: number };
    const mem = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    w.__peakHeap = mem();
    setInterval(() => {
      w.__peakHeap = Math.max(w.__peakHeap, mem());
    }, 50);
  });
  // The Cells view end to end through its real <input type=file multiple>: files in → N labelled rows.
  const ui = await page.evaluate(async () => {
    const w = window as unknown as BenchWindow;
    const files = w.__benchFiles;
    const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
    const input = view.shadowRoot!.querySelector('input[type="file"][multiple]') as HTMLInputElement;
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    const t = performance.now();
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const labels = await w.__benchRows(files.length);
    return { ms: performance.now() - t, labels };
  });
  if (ui.labels.length !== files.length || !ui.labels.every((l) => VALID_LABELS.includes(l)))
    throw new Error('UI rows missing or unlabelled');
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false);
  await clearResults(page);
  // Same through Playwright's setInputFiles (the e2e tests' way), timed from Node.
  const input = page.locator('cell-classifier-view input[type="file"][multiple]');
  const tPick = Date.now();
  await input.setInputFiles(files);
  await page.evaluate((n) => (window as unknown as BenchWindow).__benchRows(n), files.length);
  const uiSetInputFilesMs = Date.now() - tPick;
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false);
  const peak = await page.evaluate(() => (window as unknown as { __peakHeap: number }).__peakHeap);
  await clearResults(page);
  // Micro-benchmarks without the UI.
  const r = await page.evaluate(
    async ({ nSingle }) => {
      const w = window as unknown as BenchWindow;
      const dbg = window.__malariaDebug!;
      const c = dbg.classifier()!;
      const files = w.__benchFiles;
      const now = () => performance.now();
      const CHUNK = 32;
      // Single images, one at a time (decode worker + classify).
      let t = now();
      for (let i = 0; i < nSingle; i++) await dbg.classifyFile(files[i % files.length]!);
      const singleWith = (now() - t) / nSingle;
      const few = (await dbg.decodeCells(files.slice(0, nSingle))).flatMap((d) =>
        d.status === 'fulfilled' ? [d.value] : [],
      );
      t = now();
      for (const d of few) await c.classify(d.source);
      const singleNo = (now() - t) / few.length;
      // Batch with decode: the Cells view's pipeline (decode ahead in the worker) without the UI.
      t = now();
      const labels = await dbg.classifyCells(files);
      const batchWithTotal = now() - t;
      if (labels.length !== files.length || labels.includes('Error')) throw new Error('pipeline lost or failed files');
      // Batch, decode excluded: everything decoded first, then chunks of 32 through the model.
      const all = (await dbg.decodeCells(files)).flatMap((d) => (d.status === 'fulfilled' ? [d.value] : []));
      t = now();
      for (let i = 0; i < all.length; i += CHUNK) await c.classifyBatch(all.slice(i, i + CHUNK).map((d) => d.source));
      const batchNoTotal = now() - t;
      const d = c as unknown as {
        diagnostics: { timings: { totalMs: number }; wasm: { threads: boolean; threadCount: number | null } | null };
      };
      return {
        activeBackend: c.backend,
        modelLoadMs: d.diagnostics.timings.totalMs,
        singleMsPerCellWithDecode: singleWith,
        singleMsPerCellNoDecode: singleNo,
        batchMsPerCellNoDecode: batchNoTotal / all.length,
        batchMsPerCellWithDecode: batchWithTotal / files.length,
        batchTotalMsWithDecode: batchWithTotal,
        wasmThreads: d.diagnostics.wasm
          ? d.diagnostics.wasm.threads
            ? `yes (${d.diagnostics.wasm.threadCount})`
            : 'no'
          : '-',
      };
    },
    { nSingle: N_SINGLE },
  );
  const decoder = await page.evaluate(() => window.__malariaDebug!.decoderMode());
  return {
    backend,
    pageReadyMs,
    firstResultAfterLoadMs,
    pageOpenToFirstResultMs: pageReadyMs + firstResultAfterLoadMs,
    uiEndToEndMs: ui.ms,
    uiSetInputFilesMs,
    peakJsHeapMB: peak / 2 ** 20,
    decoder,
    loadAverage: { before: loadBefore, after: loadavg().map((v) => Number(v.toFixed(2))) },
    ...r,
  };
}

async function newAppPage(browser: Browser, backend: string, label: string): Promise<Page> {
  const page = await browser.newPage();
  // tsx (esbuild keepNames) wraps named functions in __name(); give evaluated code that helper.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  page.on('pageerror', (e) => console.error(`[page ${label}] ${e.message}`));
  return page;
}

function printBackendTable(results: BackendResult[]): void {
  const f = (v: number) => v.toFixed(v < 10 ? 2 : 0);
  const load = (v: number[]) => v.map((x) => x.toFixed(2)).join(' ');
  const rows: [string, (r: BackendResult) => string][] = [
    ['active backend', (r) => r.activeBackend],
    ['WASM threads', (r) => r.wasmThreads],
    ['batch decoding', (r) => r.decoder],
    ['load average 1/5/15 min before', (r) => load(r.loadAverage.before)],
    ['load average 1/5/15 min after', (r) => load(r.loadAverage.after)],
    ['model load (in app) ms', (r) => f(r.modelLoadMs)],
    ['page open → ready ms', (r) => f(r.pageReadyMs)],
    ['first result after load (1 file via <input>) ms', (r) => f(r.firstResultAfterLoadMs)],
    ['page open → first result ms', (r) => f(r.pageOpenToFirstResultMs)],
    ['single image, ms/cell (with decode)', (r) => f(r.singleMsPerCellWithDecode)],
    ['single image, ms/cell (no decode)', (r) => f(r.singleMsPerCellNoDecode)],
    [`batch ${N_CELLS}, ms/cell (no decode)`, (r) => f(r.batchMsPerCellNoDecode)],
    [`batch ${N_CELLS}, ms/cell (with decode, pipelined)`, (r) => f(r.batchMsPerCellWithDecode)],
    [`batch ${N_CELLS} total with decode ms`, (r) => f(r.batchTotalMsWithDecode)],
    [`UI: ${N_CELLS} files via <input> → ${N_CELLS} labelled rows ms`, (r) => f(r.uiEndToEndMs)],
    [`UI: same via Playwright setInputFiles ms`, (r) => f(r.uiSetInputFilesMs)],
    ['peak JS heap during the UI runs MB', (r) => f(r.peakJsHeapMB)],
  ];
  const w0 = Math.max(...rows.map(([n]) => n.length));
  const colW = Math.max(10, ...results.flatMap((r) => rows.map(([, get]) => get(r).length)));
  console.log(`\n| ${'metric'.padEnd(w0)} | ${results.map((r) => r.backend.padStart(colW)).join(' | ')} |`);
  console.log(`|${'-'.repeat(w0 + 2)}|${results.map(() => '-'.repeat(colW + 2)).join('|')}|`);
  for (const [name, get] of rows)
    console.log(`| ${name.padEnd(w0)} | ${results.map((r) => get(r).padStart(colW)).join(' | ')} |`);
}

function printGoalTable(goals: GoalResults): void {
  const rows = goalRows(goals, RUNS);
  const w = [0, 1, 2].map((k) =>
    Math.max(...rows.map((r) => r[k]!.length), ['metric (WASM)', 'value', 'goal'][k]!.length),
  );
  const line = (r: string[]) => `| ${r.map((c, k) => (k ? c.padStart(w[k]!) : c.padEnd(w[k]!))).join(' | ')} |`;
  console.log(`\n${line(['metric (WASM)', 'value', 'goal'])}`);
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  if (ONLY === 'load') return runLoadBench();
  const files = cellFiles();
  const backends = ONLY === 'goals' || ONLY === 'load' ? [] : BACKENDS;
  console.log(
    `[bench] ${files.length} cells from ${existsSync(NIH_DIR) ? NIH_DIR : 'fixtures/cells'}; backends ${backends.join(', ') || 'none'}; goal rows ${ONLY !== 'all' && ONLY !== 'goals' ? 'no' : `yes (${RUNS} runs)`}`,
  );
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
  const results: BackendResult[] = [];
  let goals: GoalResults | null = null;
  try {
    for (const backend of backends) {
      const page = await newAppPage(browser, backend, backend);
      console.log(`[bench] ${backend}…`);
      results.push(await benchBackend(page, backend, files));
      await page.close();
    }
    if (ONLY === 'all' || ONLY === 'goals') {
      if (!existsSync(NIH_DIR)) throw new Error(`the goal rows need the NIH cells (${NIH_DIR}; NIH_DIR overrides)`);
      console.log('[bench] goal rows (wasm)…');
      goals = await benchGoals({
        browser,
        openPage: async () => {
          const page = await newAppPage(browser, 'wasm', 'goals');
          await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm`);
          await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
          return page;
        },
        root: ROOT,
        nihDir: NIH_DIR,
        fieldPhotos: listFieldPhotos(FIELDS_DIR).map((f) => f.jpg),
        cells: N_CELLS,
        heapCells: 3 * N_CELLS,
        heapFields: 10,
        runs: RUNS,
        rates: RATES,
        sections: SECTIONS,
        log: (l) => console.log(l),
      });
    }
  } finally {
    await browser.close();
    server.kill();
  }
  if (results.length) printBackendTable(results);
  if (goals) printGoalTable(goals);
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const out = {
    date: new Date().toISOString(),
    cells: N_CELLS,
    cpus: cpus().length,
    chromium: CHROMIUM_PATH,
    dist: process.env.DIST_DIR ?? 'dist',
    note: 'headless Chromium; WebGL is SwiftShader (software). Numbers are noisy when other jobs (e.g. training) run: see loadAverage per backend.',
    results,
    goals,
  };
  await writeFile(join(ROOT, 'bench-results', 'browser.json'), JSON.stringify(out, null, 2));
  console.log('\n[bench] wrote bench-results/browser.json');
  if (ONLY === 'all' || ONLY === 'load') await runLoadBench();
}

/** The first-load rows: scripts/bench-load.ts in its own process (it prints its own table). */
function runLoadBench(): Promise<void> {
  const passOn = ['--runs', arg('load-runs', '1'), '--lighthouse-runs', arg('lighthouse-runs', '1')];
  console.log(`\n[bench] first-load rows (scripts/bench-load.ts ${passOn.join(' ')})…`);
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'bench-load.ts'), ...passOn],
      {
        stdio: 'inherit',
        env: { ...process.env, BENCH_PORT: String(PORT + 1) },
      },
    );
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`bench-load exited with ${code}`))));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
