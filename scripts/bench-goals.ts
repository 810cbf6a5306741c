/**
 * The decode, memory and whole-field rows of issue 15 for `npm run bench` (scripts/bench-browser.ts),
 * on the WASM backend, each run `runs` times (the table shows the median, the JSON keeps every run):
 *
 * - **cells by format**: 1,000 NIH cells as PNG, JPEG and WebP, handed to the Cells view's real
 *   `<input type=file multiple>` (a `FileList` set + `change`) → 1,000 rows with a label, timed in
 *   the page. The files are disk-backed `File`s (staged through a second, bench-only file input with
 *   Playwright's `setInputFiles`), as a user's picked files are. With the wall time goes the CPU time
 *   the browser's processes spent (CDP `SystemInfo.getProcessInfo`: renderer = page + workers +
 *   decoder threads; GPU = compositing, SwiftShader here; browser = file and blob reads), which moves
 *   much less than wall time on this shared 2-core machine.
 * - **heap over 3,000 cells**: 3,000 PNG cells through the same input in one go; peak
 *   `performance.memory.usedJSHeapSize` (sampled every 20 ms, `--enable-precise-memory-info`) and
 *   `tf.memory().numTensors` (the app's `numTensors` hook) before and after.
 * - **fields**: every 16 MP field photo through the Field view's real file input → `data-state`
 *   done (overlay and totals shown), unthrottled and at 4× CPU (CDP `Emulation.setCPUThrottlingRate`),
 *   with the view's own decode / detection / classification split (`data-testid="field-timing"`).
 * - **heap over 10 fields**: the photos one after another (repeated to make 10), peak JS heap and
 *   numTensors before/after.
 *
 * The PNG and JPEG sets are made once from the first cells of the NIH folder (alternating classes)
 * with sharp (PNG: lossless, the NIH pixels; JPEG: quality 90) under bench-results/cells/ (ignored
 * by git); the WebP set is the NIH files themselves (lossless WebP, pixel-identical to NIH's PNGs).
 * Probabilities are recorded per file so runs, formats and builds can be compared: PNG and WebP
 * must agree exactly (same pixels).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { parseFieldTiming } from '../e2e/helpers/field-timing.js';
import { median } from '../src/core/shared/median.js';

export type CellFormat = 'png' | 'jpeg' | 'webp';
export const CELL_FORMATS: readonly CellFormat[] = ['png', 'jpeg', 'webp'];

export interface CpuMs {
  renderer: number;
  gpu: number;
  browser: number;
}

export interface CellRun {
  format: CellFormat;
  /** FileList set on the Cells view's input → N rows with data-label, in the page. */
  ms: number;
  cpu: CpuMs;
  loadAverage: number;
}

export interface CellFormatResult {
  format: CellFormat;
  cells: number;
  runs: CellRun[];
  medianMs: number;
  medianCpu: CpuMs;
  labels: Record<string, number>;
  /** sha256 of "file label probability" lines (last run): equal digests = identical outputs. */
  digest: string;
  /** Runs whose outputs differed from the first run's (should be 0). */
  unstableRuns: number;
}

export interface HeapRow {
  items: number;
  peakHeapMB: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  tensorsBefore: number;
  tensorsAfter: number;
  ms: number;
}

export interface FieldRun {
  file: string;
  rate: number;
  wallMs: number;
  /** CPU time of the browser's processes during the field (moves less than wall time under load). */
  cpu: CpuMs;
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  redCells: number;
  /**
   * sha256 of the field's outputs: every detected cell (id, kind, label, probability, box, outline)
   * and every crop's pixels. Equal digests across builds = identical detections and classifications.
   */
  digest: string;
  loadAverage: number;
}

export interface FieldRateResult {
  rate: number;
  runs: FieldRun[];
  /** Medians over every field and run. */
  medianWallMs: number;
  maxWallMs: number;
  medianDecodeMs: number;
  medianDetectMs: number;
  medianClassifyMs: number;
  medianCpu: CpuMs;
}

export interface GoalResults {
  loadAverage: { before: number[]; after: number[] };
  cells: CellFormatResult[];
  /** PNG and WebP hold the same pixels: their outputs must be identical. */
  pngWebpIdentical: boolean | null;
  /** Share of cells whose JPEG label equals the PNG label. */
  jpegLabelAgreement: number | null;
  heapCells: HeapRow | null;
  fields: FieldRateResult[];
  heapFields: HeapRow | null;
}

export interface GoalOptions {
  browser: Browser;
  /** Opens a fresh app page on the WASM backend and returns it once `data-ready`. */
  openPage: () => Promise<Page>;
  root: string;
  nihDir: string;
  fieldPhotos: string[];
  cells: number;
  heapCells: number;
  heapFields: number;
  runs: number;
  rates: number[];
  /** Which rows to run (default all): 'cells' (by format), 'heap' (3,000 cells), 'fields' (heap over 10 + timings). */
  sections?: readonly GoalSection[];
  log: (line: string) => void;
}

export type GoalSection = 'cells' | 'heap' | 'fields';
export const GOAL_SECTIONS: readonly GoalSection[] = ['cells', 'heap', 'fields'];

const round = (v: number, d = 1) => Number(v.toFixed(d));
const load1 = () => round(loadavg()[0] ?? 0, 2);
const loads = () => loadavg().map((v) => round(v, 2));

/** The first `n` NIH cells, alternating Parasitized / Uninfected, each class in name order. */
function nihCells(nihDir: string, n: number): string[] {
  const lists = ['Parasitized', 'Uninfected'].map((c) =>
    readdirSync(join(nihDir, c))
      .filter((f) => /\.(webp|png)$/i.test(f))
      .sort()
      .map((f) => join(nihDir, c, f)),
  );
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const list = lists[i % 2] as string[];
    const f = list[Math.floor(i / 2)];
    if (!f) throw new Error(`fewer than ${n} cells in ${nihDir}`);
    out.push(f);
  }
  return out;
}

/** The cell sets (file paths), made once with sharp under bench-results/cells/<format>/. */
export async function prepareCellSets(
  root: string,
  nihDir: string,
  n: number,
  heapN: number,
): Promise<Record<CellFormat, string[]>> {
  const sources = nihCells(nihDir, Math.max(n, heapN));
  const { default: sharp } = await import('sharp');
  const dir = (f: string) => {
    const d = join(root, 'bench-results', 'cells', f);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const stem = (src: string, i: number) =>
    `${String(i).padStart(4, '0')}-${(src.split('/').pop() as string).replace(/\.\w+$/, '')}`;
  const png: string[] = [];
  const jpeg: string[] = [];
  for (const [i, src] of sources.entries()) {
    const p = join(dir('png'), `${stem(src, i)}.png`);
    if (!existsSync(p)) await sharp(src).png().toFile(p);
    png.push(p);
    if (i >= n) continue;
    const j = join(dir('jpeg'), `${stem(src, i)}.jpg`);
    if (!existsSync(j)) await sharp(src).jpeg({ quality: 90 }).toFile(j);
    jpeg.push(j);
  }
  return { png, jpeg, webp: sources.slice(0, n) };
}

/** CPU seconds of the browser's processes so far, by kind (CDP SystemInfo.getProcessInfo). */
async function cpuNow(session: CDPSession): Promise<CpuMs> {
  const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; cpuTime: number }[];
  };
  const out: CpuMs = { renderer: 0, gpu: 0, browser: 0 };
  for (const p of processInfo) {
    const ms = p.cpuTime * 1000;
    if (p.type === 'renderer') out.renderer += ms;
    else if (p.type === 'GPU') out.gpu += ms;
    else out.browser += ms; // browser, network and storage services: file and blob reads
  }
  return out;
}

const cpuDiff = (a: CpuMs, b: CpuMs): CpuMs => ({
  renderer: Math.round(b.renderer - a.renderer),
  gpu: Math.round(b.gpu - a.gpu),
  browser: Math.round(b.browser - a.browser),
});

type StagedWindow = Window & { __benchSets?: Record<string, File[]> };

/**
 * Hands files to the page as disk-backed `File`s (what a file picker gives) under
 * `window.__benchSets[key]`, through a bench-only `<input type=file multiple>` outside the app.
 */
export async function stageFiles(page: Page, key: string, paths: readonly string[]): Promise<void> {
  await page.evaluate(() => {
    if (document.getElementById('bench-staging')) return;
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'bench-staging';
    input.hidden = true;
    document.body.append(input);
  });
  await page.locator('#bench-staging').setInputFiles([...paths]);
  await page.evaluate((k) => {
    const w = window as StagedWindow;
    const input = document.getElementById('bench-staging') as HTMLInputElement;
    w.__benchSets ??= {};
    w.__benchSets[k] = Array.from(input.files ?? []);
  }, key);
}

/** Starts sampling the page's JS heap (peak since the last call); returns nothing. */
async function startHeapSampling(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __heapPeak: number; __heapTimer?: number };
    const used = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    if (w.__heapTimer) clearInterval(w.__heapTimer);
    w.__heapPeak = used();
    w.__heapTimer = window.setInterval(() => {
      w.__heapPeak = Math.max(w.__heapPeak, used());
    }, 20);
  });
}

async function stopHeapSampling(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __heapPeak: number; __heapTimer?: number };
    const used = (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    clearInterval(w.__heapTimer);
    w.__heapTimer = undefined;
    return Math.max(w.__heapPeak, used);
  });
}

async function heapNow(page: Page, session: CDPSession, settleMs = 0): Promise<{ heap: number; tensors: number }> {
  // After a run: the app's idle timers first (e.g. the decoder drops its reusable buffers after 2 s).
  if (settleMs) await page.waitForTimeout(settleMs);
  await session.send('HeapProfiler.collectGarbage');
  return page.evaluate(async () => ({
    heap: (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
    // Read from the classifier worker's tfjs (or the page's, in the page fallback).
    tensors: await window.__malariaDebug!.numTensors(),
  }));
}

const MB = 2 ** 20;
/** Wait before the "after" heap and tensor count of a heap row. */
const AFTER_SETTLE_MS = 3000;

export async function openCellsView(page: Page): Promise<void> {
  await page.locator('malaria-app').getByTestId('nav-cells').click();
  await page.waitForFunction(
    () => !!document.querySelector('malaria-app')?.shadowRoot?.querySelector('cell-classifier-view')?.shadowRoot,
  );
}

interface RowOutput {
  file: string;
  label: string;
  probability: string;
}

/**
 * The staged set `key` through the Cells view's real input: FileList set + change → every row has
 * a label. Returns the in-page time and every row's output; clears the list afterwards.
 */
export async function cellsThroughInput(page: Page, key: string): Promise<{ ms: number; rows: RowOutput[] }> {
  const result = await page.evaluate(async (k) => {
    const files = (window as StagedWindow).__benchSets![k]!;
    const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
    const root = view.shadowRoot!;
    const input = root.querySelector('input[type="file"][multiple]') as HTMLInputElement;
    // A live collection, checked every 10 ms: cheap, and it allocates nothing per check (a
    // querySelectorAll over thousands of rows would, and the heap rows would count it).
    const rowsLive = root.querySelector('.list')!.getElementsByTagName('cell-result-row');
    const n = files.length;
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    const t = performance.now();
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    // Rows arrive in order, a block at a time, and get data-label in their first update.
    while (!(rowsLive.length >= n && rowsLive[n - 1]!.hasAttribute('data-label')))
      await new Promise((r) => setTimeout(r, 10));
    const ms = performance.now() - t;
    const labelled = () => root.querySelectorAll('[data-testid="result"][data-label]');
    if (labelled().length !== n) throw new Error(`${labelled().length} labelled rows for ${n} files`);
    const rows = Array.from(labelled(), (r) => ({
      file: r.getAttribute('data-file') ?? '',
      label: r.getAttribute('data-label') ?? '',
      probability: r.getAttribute('data-probability') ?? '',
    }));
    return { ms, rows };
  }, key);
  await page.waitForFunction(() => window.__malariaDebug?.isBusy() === false);
  await page.evaluate(async () => {
    const view = document.querySelector('malaria-app')!.shadowRoot!.querySelector('cell-classifier-view')!;
    (view.shadowRoot!.querySelector('button.clear') as HTMLButtonElement | null)?.click();
    await (view as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  });
  return result;
}

function digestOf(rows: readonly RowOutput[]): string {
  const lines = rows.map((r) => `${r.file.replace(/\.\w+$/, '')} ${r.label} ${r.probability}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

function byStem(rows: readonly RowOutput[]): Map<string, RowOutput> {
  return new Map(rows.map((r) => [r.file.replace(/^\d{4}-/, '').replace(/\.\w+$/, ''), r]));
}

const medianCpu = (runs: readonly { cpu: CpuMs }[]): CpuMs => ({
  renderer: median(runs.map((r) => r.cpu.renderer)),
  gpu: median(runs.map((r) => r.cpu.gpu)),
  browser: median(runs.map((r) => r.cpu.browser)),
});

interface BenchFieldResult {
  cells: unknown[];
  crops: Map<number, ImageData>;
}

/** One field through the Field view's real input → data-state done; wall time in the page + the view's split. */
export async function fieldThroughInput(
  page: Page,
  index: number,
): Promise<Omit<FieldRun, 'file' | 'rate' | 'loadAverage' | 'cpu' | 'digest'>> {
  const wallMs = await page.evaluate(async (i) => {
    const file = (window as StagedWindow).__benchSets!.fields![i]!;
    const host = document.querySelector('malaria-app')!.shadowRoot!.querySelector('field-analysis-view')!;
    const input = host.shadowRoot!.querySelector('[data-testid="field-file-input"]') as HTMLInputElement;
    const dt = new DataTransfer();
    dt.items.add(file);
    // Finished = data-state moves from "running" to "done"/"error" (the previous field leaves "done").
    const finished = new Promise<void>((res) => {
      let sawRunning = false;
      const obs = new MutationObserver(() => {
        const st = host.getAttribute('data-state');
        if (st === 'running') sawRunning = true;
        else if (sawRunning && (st === 'done' || st === 'error')) {
          obs.disconnect();
          res();
        }
      });
      obs.observe(host, { attributes: true, attributeFilter: ['data-state'] });
    });
    const t = performance.now();
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await finished;
    return performance.now() - t;
  }, index);
  const view = page.locator('field-analysis-view');
  const state = await view.getAttribute('data-state');
  if (state !== 'done') throw new Error(`field ${index}: view ended in state ${state}`);
  const timing = parseFieldTiming((await view.getByTestId('field-timing').textContent()) ?? '');
  return {
    wallMs,
    decodeMs: timing.decodeMs,
    detectMs: timing.detectMs,
    classifyMs: timing.classifyMs,
    redCells: Number(await view.getByTestId('field-red-cells').textContent()),
  };
}

/** A digest of the Field view's last result (FieldRun.digest), read after the timed part. */
async function fieldDigest(page: Page): Promise<string> {
  const outputs = await page.evaluate(async () => {
    const host = document.querySelector('malaria-app')!.shadowRoot!.querySelector('field-analysis-view')!;
    // The view's last result (a private field, read here only to compare builds).
    const r = (host as unknown as { result: BenchFieldResult }).result;
    const cells = r.cells.map((c) => JSON.stringify(c));
    const crops: string[] = [];
    for (const [id, img] of [...r.crops].sort((a, b) => a[0] - b[0])) {
      const d = await crypto.subtle.digest('SHA-256', img.data);
      crops.push(`${id} ${img.width}x${img.height} ${Array.from(new Uint8Array(d), (b) => b.toString(16)).join('')}`);
    }
    return [...cells, ...crops].join('\n');
  });
  return createHash('sha256').update(outputs).digest('hex').slice(0, 16);
}

export async function openFieldView(page: Page): Promise<void> {
  await page.locator('malaria-app').getByRole('tab', { name: 'Field', exact: true }).click();
  await page.locator('field-analysis-view').waitFor();
  await page.waitForFunction(
    () =>
      document
        .querySelector('malaria-app')
        ?.shadowRoot?.querySelector('field-analysis-view')
        ?.getAttribute('data-state') === 'idle',
  );
}

export async function benchGoals(o: GoalOptions): Promise<GoalResults> {
  const before = loads();
  const run = new Set(o.sections ?? GOAL_SECTIONS);
  const sets = await prepareCellSets(o.root, o.nihDir, o.cells, o.heapCells);
  const browserSession = await o.browser.newBrowserCDPSession();
  const out: GoalResults = {
    loadAverage: { before, after: [] },
    cells: [],
    pngWebpIdentical: null,
    jpegLabelAgreement: null,
    heapCells: null,
    fields: [],
    heapFields: null,
  };

  // Cells by format, one fresh page for all formats (warmed by one small set first).
  if (run.has('cells')) {
    const page = await o.openPage();
    const session = await page.context().newCDPSession(page);
    await openCellsView(page);
    for (const f of CELL_FORMATS) await stageFiles(page, f, sets[f].slice(0, o.cells));
    await stageFiles(page, 'warm', sets.png.slice(0, 64));
    await cellsThroughInput(page, 'warm');
    const outputs = new Map<CellFormat, RowOutput[]>();
    const runsByFormat = new Map<CellFormat, CellRun[]>(CELL_FORMATS.map((f) => [f, []]));
    const digests = new Map<CellFormat, string[]>(CELL_FORMATS.map((f) => [f, []]));
    // Formats interleaved run by run, so a burst of load elsewhere does not land on one format only.
    for (let run = 0; run < o.runs; run++) {
      for (const format of CELL_FORMATS) {
        await session.send('HeapProfiler.collectGarbage');
        const loadAverage = load1();
        const c0 = await cpuNow(browserSession);
        const r = await cellsThroughInput(page, format);
        const cpu = cpuDiff(c0, await cpuNow(browserSession));
        runsByFormat.get(format)!.push({ format, ms: round(r.ms), cpu, loadAverage });
        digests.get(format)!.push(digestOf(r.rows));
        outputs.set(format, r.rows);
        o.log(
          `[goals] ${format} run ${run + 1}: ${r.ms.toFixed(0)} ms, cpu ${JSON.stringify(cpu)}, load ${loadAverage}`,
        );
      }
    }
    for (const format of CELL_FORMATS) {
      const runs = runsByFormat.get(format)!;
      const rows = outputs.get(format)!;
      const labels: Record<string, number> = {};
      for (const r of rows) labels[r.label] = (labels[r.label] ?? 0) + 1;
      const ds = digests.get(format)!;
      out.cells.push({
        format,
        cells: rows.length,
        runs,
        medianMs: median(runs.map((r) => r.ms)),
        medianCpu: medianCpu(runs),
        labels,
        digest: ds[ds.length - 1] as string,
        unstableRuns: ds.filter((d) => d !== ds[0]).length,
      });
    }
    const png = byStem(outputs.get('png')!);
    const webp = byStem(outputs.get('webp')!);
    const jpeg = byStem(outputs.get('jpeg')!);
    out.pngWebpIdentical =
      png.size === webp.size &&
      [...png].every(([k, r]) => webp.get(k)?.label === r.label && webp.get(k)?.probability === r.probability);
    let agree = 0;
    for (const [k, r] of png) if (jpeg.get(k)?.label === r.label) agree++;
    out.jpegLabelAgreement = png.size ? agree / png.size : null;
    await page.close();
  }

  // Heap over 3,000 cells: a fresh page, all of them through the input at once.
  if (run.has('heap')) {
    const page = await o.openPage();
    const session = await page.context().newCDPSession(page);
    await openCellsView(page);
    await stageFiles(page, 'heap', sets.png.slice(0, o.heapCells));
    const b = await heapNow(page, session);
    await startHeapSampling(page);
    const r = await cellsThroughInput(page, 'heap');
    const peak = await stopHeapSampling(page);
    const a = await heapNow(page, session, AFTER_SETTLE_MS);
    out.heapCells = {
      items: r.rows.length,
      peakHeapMB: round(peak / MB),
      heapBeforeMB: round(b.heap / MB),
      heapAfterMB: round(a.heap / MB),
      tensorsBefore: b.tensors,
      tensorsAfter: a.tensors,
      ms: round(r.ms),
    };
    o.log(`[goals] heap over ${r.rows.length} cells: ${JSON.stringify(out.heapCells)}`);
    await page.close();
  }

  if (run.has('fields') && o.fieldPhotos.length) {
    // Fields at each CPU rate, photos interleaved run by run.
    const page = await o.openPage();
    const session = await page.context().newCDPSession(page);
    await openFieldView(page);
    const heapOrder = Array.from({ length: o.heapFields }, (_, i) => i % o.fieldPhotos.length);
    await stageFiles(page, 'fields', o.fieldPhotos);
    // Heap over 10 fields in a row first (unthrottled), on the freshly opened view.
    const b = await heapNow(page, session);
    await startHeapSampling(page);
    const t0 = Date.now();
    for (const i of heapOrder) await fieldThroughInput(page, i);
    const peak = await stopHeapSampling(page);
    const a = await heapNow(page, session, AFTER_SETTLE_MS);
    out.heapFields = {
      items: heapOrder.length,
      peakHeapMB: round(peak / MB),
      heapBeforeMB: round(b.heap / MB),
      heapAfterMB: round(a.heap / MB),
      tensorsBefore: b.tensors,
      tensorsAfter: a.tensors,
      ms: Date.now() - t0,
    };
    o.log(`[goals] heap over ${heapOrder.length} fields: ${JSON.stringify(out.heapFields)}`);
    for (const rate of o.rates) {
      await session.send('Emulation.setCPUThrottlingRate', { rate });
      const runs: FieldRun[] = [];
      for (let run = 0; run < o.runs; run++) {
        for (const [i, file] of o.fieldPhotos.entries()) {
          const loadAverage = load1();
          const c0 = await cpuNow(browserSession);
          const r = await fieldThroughInput(page, i);
          const cpu = cpuDiff(c0, await cpuNow(browserSession));
          const digest = await fieldDigest(page);
          runs.push({
            digest,
            file: file.split('/').slice(-2).join('/'),
            rate,
            loadAverage,
            cpu,
            ...r,
            wallMs: round(r.wallMs),
          });
          o.log(
            `[goals] field ${i} at ${rate}×: ${r.wallMs.toFixed(0)} ms (decode ${r.decodeMs} / detect ${r.detectMs} / classify ${r.classifyMs}), CPU renderer / GPU ${Math.round(cpu.renderer)} / ${Math.round(cpu.gpu)} ms, outputs ${digest}, load ${loadAverage}`,
          );
        }
      }
      await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      out.fields.push({
        rate,
        runs,
        medianWallMs: median(runs.map((r) => r.wallMs)),
        maxWallMs: Math.max(...runs.map((r) => r.wallMs)),
        medianDecodeMs: median(runs.map((r) => r.decodeMs)),
        medianDetectMs: median(runs.map((r) => r.detectMs)),
        medianClassifyMs: median(runs.map((r) => r.classifyMs)),
        medianCpu: medianCpu(runs),
      });
    }
    await page.close();
  }
  out.loadAverage.after = loads();
  return out;
}

/** The goal rows as [metric, value, goal] for the printed table. */
export function goalRows(g: GoalResults, runs: number): [string, string, string][] {
  const f0 = (v: number) => Math.round(v).toLocaleString('en-US');
  const rows: [string, string, string][] = [
    [
      'load average 1/5/15 min before → after',
      `${g.loadAverage.before.join(' ')} → ${g.loadAverage.after.join(' ')}`,
      '',
    ],
  ];
  for (const c of g.cells) {
    const spread = `${f0(Math.min(...c.runs.map((r) => r.ms)))}–${f0(Math.max(...c.runs.map((r) => r.ms)))}`;
    rows.push([
      `${c.cells} ${c.format.toUpperCase()} cells via <input> → labelled rows ms (median of ${runs}, min–max)`,
      `${f0(c.medianMs)} (${spread})`,
      '≤ 2,000',
    ]);
    rows.push([
      `  CPU ms renderer / GPU / browser (median), runs' load`,
      `${f0(c.medianCpu.renderer)} / ${f0(c.medianCpu.gpu)} / ${f0(c.medianCpu.browser)}; ${c.runs.map((r) => r.loadAverage).join(', ')}`,
      '',
    ]);
  }
  if (g.pngWebpIdentical !== null)
    rows.push(['PNG and WebP outputs identical (same pixels)', g.pngWebpIdentical ? 'yes' : 'NO', 'yes']);
  if (g.jpegLabelAgreement !== null)
    rows.push(['JPEG (q90) labels equal to PNG labels', `${(g.jpegLabelAgreement * 100).toFixed(1)} %`, '']);
  const heap = (h: HeapRow | null, what: string) => {
    if (!h) return;
    rows.push([
      `peak JS heap over ${h.items} ${what} MB (before → 3 s after, GC'd)`,
      `${h.peakHeapMB} (${h.heapBeforeMB} → ${h.heapAfterMB})`,
      '≤ 150',
    ]);
    rows.push([`numTensors before → after ${h.items} ${what}`, `${h.tensorsBefore} → ${h.tensorsAfter}`, 'flat']);
  };
  heap(g.heapCells, 'cells');
  heap(g.heapFields, 'fields');
  for (const fr of g.fields) {
    const n = fr.runs.length;
    rows.push([
      `16 MP field via <input> → overlay, ${fr.rate}× CPU, ms (median / max of ${n})`,
      `${f0(fr.medianWallMs)} / ${f0(fr.maxWallMs)}`,
      fr.rate === 1 ? '≤ 1,000' : fr.rate === 4 ? '≤ 3,000' : '',
    ]);
    rows.push([
      `  decode / detect / classify ms (median), ${fr.rate}× CPU`,
      `${f0(fr.medianDecodeMs)} / ${f0(fr.medianDetectMs)} / ${f0(fr.medianClassifyMs)}`,
      '',
    ]);
    rows.push([
      `  CPU ms renderer / GPU / browser per field (median), ${fr.rate}× CPU`,
      `${f0(fr.medianCpu.renderer)} / ${f0(fr.medianCpu.gpu)} / ${f0(fr.medianCpu.browser)}`,
      '',
    ]);
  }
  return rows;
}
