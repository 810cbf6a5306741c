/**
 * `npm run bench`: browser benchmark of the built app in headless Chromium, for WASM and WebGL.
 * Measures model load, first classification after load, ms per cell for single images and for a
 * 1,000-cell batch (decode included and excluded), the Cells view end to end, and peak JS heap.
 * Prints a table and writes bench-results/browser.json.
 *
 *   npm run bench [-- --cells 1000 --backends wasm,webgl]
 * Cells come from /work/shared/data/nih-malaria/cell_images (NIH_DIR overrides), else fixtures/cells.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const N_CELLS = Number(arg('cells', '1000'));
const BACKENDS = arg('backends', 'wasm,webgl').split(',');
const N_SINGLE = Number(arg('single', '50'));
const PORT = Number(process.env.BENCH_PORT ?? 4190);
const NIH_DIR = process.env.NIH_DIR ?? '/work/shared/data/nih-malaria/cell_images';

function cellFiles(): string[] {
  const dirs = existsSync(NIH_DIR)
    ? ['Parasitized', 'Uninfected'].map((c) => join(NIH_DIR, c))
    : ['Parasitized', 'Uninfected'].map((c) => join(ROOT, 'fixtures', 'cells', c));
  const lists = dirs.map((d) => readdirSync(d).filter((f) => /\.(webp|png|jpe?g)$/i.test(f)).sort().map((f) => join(d, f)));
  const out: string[] = [];
  // Alternate classes; repeat when there are fewer files than requested (fixtures).
  for (let i = 0; out.length < N_CELLS; i++) {
    const list = lists[i % 2] as string[];
    out.push(list[Math.floor(i / 2) % list.length] as string);
  }
  return out;
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs'), '--build-if-needed'], {
    cwd: ROOT, env: { ...process.env, PORT: String(PORT) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => { process.stdout.write(d); if (d.toString().includes('cross-origin isolated')) res(); });
    child.on('exit', (code) => rej(new Error(`server exited with ${code}`)));
  });
  return child;
}

interface BackendResult {
  backend: string;
  activeBackend: string;
  modelLoadMs: number;
  pageReadyMs: number;
  firstClassificationMs: number;
  singleMsPerCellWithDecode: number;
  singleMsPerCellNoDecode: number;
  batchMsPerCellWithDecode: number;
  batchMsPerCellNoDecode: number;
  batchTotalMsWithDecode: number;
  uiEndToEndMs: number;
  peakJsHeapMB: number;
  wasmThreads: string;
}

async function loadFilesIntoPage(page: Page, files: string[]): Promise<void> {
  await page.evaluate(() => { (window as unknown as { __benchFiles: File[] }).__benchFiles = []; });
  for (let i = 0; i < files.length; i += 100) {
    const part = await Promise.all(files.slice(i, i + 100).map(async (f, k) => ({
      name: `${String(i + k).padStart(4, '0')}-${f.split('/').pop()}`, b64: (await readFile(f)).toString('base64'),
    })));
    await page.evaluate((list) => {
      const w = window as unknown as { __benchFiles: File[] };
      for (const f of list) w.__benchFiles.push(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/webp' }));
    }, part);
  }
}

async function benchBackend(page: Page, backend: string, files: string[]): Promise<BackendResult> {
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/?backend=${backend}`);
  await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
  const pageReadyMs = Date.now() - t0;
  await page.evaluate(() => {
    const w = window as unknown as { __peakHeap: number };
    const mem = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    w.__peakHeap = mem();
    setInterval(() => { w.__peakHeap = Math.max(w.__peakHeap, mem()); }, 50);
  });
  await loadFilesIntoPage(page, files);
  const r = await page.evaluate(async ({ nSingle }) => {
    const w = window as unknown as { __benchFiles: File[]; __peakHeap: number };
    const dbg = window.__malariaDebug!;
    const c = dbg.classifier()!;
    const files = w.__benchFiles;
    const now = () => performance.now();
    // First classification right after load (decode included).
    let t = now();
    await dbg.classifyFile(files[0]!);
    const firstClassificationMs = now() - t;
    // Single images, one at a time.
    t = now();
    for (let i = 0; i < nSingle; i++) await dbg.classifyFile(files[i % files.length]!);
    const singleWith = (now() - t) / nSingle;
    const decodedFew = await Promise.all(files.slice(0, nSingle).map((f) => dbg.decode(f)));
    t = now();
    for (const d of decodedFew) await c.classify(d.source);
    const singleNo = (now() - t) / nSingle;
    decodedFew.forEach((d) => d.close());
    // Batch, chunks of 32, decode included.
    const CHUNK = 32;
    t = now();
    for (let i = 0; i < files.length; i += CHUNK) {
      const decoded = await Promise.all(files.slice(i, i + CHUNK).map((f) => dbg.decode(f)));
      await c.classifyBatch(decoded.map((d) => d.source));
      decoded.forEach((d) => d.close());
    }
    const batchWithTotal = now() - t;
    // Batch, decode excluded.
    const all = await Promise.all(files.map((f) => dbg.decode(f)));
    t = now();
    for (let i = 0; i < all.length; i += CHUNK) await c.classifyBatch(all.slice(i, i + CHUNK).map((d) => d.source));
    const batchNoTotal = now() - t;
    all.forEach((d) => d.close());
    // The Cells view end to end: files in → all rows rendered.
    const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view') as unknown as { addFiles(f: File[]): void };
    t = now();
    view.addFiles(files);
    await new Promise<void>((res) => { const id = setInterval(() => { if (!dbg.isBusy()) { clearInterval(id); res(); } }, 10); });
    await new Promise((res) => requestAnimationFrame(() => res(null)));
    const uiMs = now() - t;
    const d = c as unknown as { diagnostics: { timings: { totalMs: number }; wasm: { threads: boolean; threadCount: number | null } | null } };
    return {
      activeBackend: c.backend,
      modelLoadMs: d.diagnostics.timings.totalMs,
      firstClassificationMs,
      singleMsPerCellWithDecode: singleWith,
      singleMsPerCellNoDecode: singleNo,
      batchMsPerCellWithDecode: batchWithTotal / files.length,
      batchMsPerCellNoDecode: batchNoTotal / files.length,
      batchTotalMsWithDecode: batchWithTotal,
      uiEndToEndMs: uiMs,
      peakJsHeapMB: w.__peakHeap / 2 ** 20,
      wasmThreads: d.diagnostics.wasm ? (d.diagnostics.wasm.threads ? `yes (${d.diagnostics.wasm.threadCount})` : 'no') : '-',
    };
  }, { nSingle: N_SINGLE });
  return { backend, pageReadyMs, ...r };
}

async function main(): Promise<void> {
  const files = cellFiles();
  console.log(`[bench] ${files.length} cells from ${existsSync(NIH_DIR) ? NIH_DIR : 'fixtures/cells'}; backends ${BACKENDS.join(', ')}`);
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const results: BackendResult[] = [];
  try {
    for (const backend of BACKENDS) {
      const page = await browser.newPage();
      // tsx (esbuild keepNames) wraps named functions in __name(); give evaluated code that helper.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      page.on('pageerror', (e) => console.error(`[page ${backend}] ${e.message}`));
      console.log(`[bench] ${backend}…`);
      results.push(await benchBackend(page, backend, files));
      await page.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
  const f = (v: number) => v.toFixed(v < 10 ? 2 : 0);
  const rows: [string, (r: BackendResult) => string][] = [
    ['active backend', (r) => r.activeBackend],
    ['WASM threads', (r) => r.wasmThreads],
    ['model load (in app) ms', (r) => f(r.modelLoadMs)],
    ['page open → ready ms', (r) => f(r.pageReadyMs)],
    ['first classification after load ms', (r) => f(r.firstClassificationMs)],
    ['single image, ms/cell (with decode)', (r) => f(r.singleMsPerCellWithDecode)],
    ['single image, ms/cell (no decode)', (r) => f(r.singleMsPerCellNoDecode)],
    [`batch ${N_CELLS}, ms/cell (with decode)`, (r) => f(r.batchMsPerCellWithDecode)],
    [`batch ${N_CELLS}, ms/cell (no decode)`, (r) => f(r.batchMsPerCellNoDecode)],
    [`batch ${N_CELLS} total with decode ms`, (r) => f(r.batchTotalMsWithDecode)],
    [`Cells view end to end, ${N_CELLS} cells ms`, (r) => f(r.uiEndToEndMs)],
    ['peak JS heap MB', (r) => f(r.peakJsHeapMB)],
  ];
  const w0 = Math.max(...rows.map(([n]) => n.length));
  console.log(`\n| ${'metric'.padEnd(w0)} | ${results.map((r) => r.backend.padStart(10)).join(' | ')} |`);
  console.log(`|${'-'.repeat(w0 + 2)}|${results.map(() => '-'.repeat(12)).join('|')}|`);
  for (const [name, get] of rows) console.log(`| ${name.padEnd(w0)} | ${results.map((r) => get(r).padStart(10)).join(' | ')} |`);
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const out = {
    date: new Date().toISOString(), cells: N_CELLS, cpus: cpus().length, chromium: CHROMIUM_PATH,
    note: 'headless Chromium; WebGL is SwiftShader (software). Numbers are noisy when other jobs (e.g. training) run.',
    results,
  };
  await writeFile(join(ROOT, 'bench-results', 'browser.json'), JSON.stringify(out, null, 2));
  console.log('\n[bench] wrote bench-results/browser.json');
}

main().catch((err) => { console.error(err); process.exit(1); });
