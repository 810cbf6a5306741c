/**
 * A Chrome trace of one goal run (issue 15), summarised per thread: which thread worked when, and
 * on what. For finding the waits in the field and cell pipelines (who idles while whom works).
 *
 *   flock /tmp/bench.lock env BENCH_PORT=4293 [DIST_DIR=…] npx tsx scripts/trace-goals.ts
 *     [--what field|cells] [--field N] [--cells 1000] [--bucket 50] [--tail 1000] [--out trace.json]
 *
 * One warm-up run first (the same input), then the traced run. Prints, per busy thread (page main
 * thread, workers, GPU process, compositor, image decoders…), its busy time in the run (top-level
 * tasks), a strip of its busy share per `--bucket` ms (space < 10 %, `.` < 40 %, `:` < 70 %, `#`
 * above), and the event names that took the most time on it (inclusive, so they can nest).
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { SMEAR_FIELDS } from '../e2e/helpers/paths.js';
import { listFieldPhotos } from './field-photos.js';
import { startBenchServer } from './bench-server.js';
import { cellsThroughInput, fieldThroughInput, openCellsView, openFieldView, stageFiles } from './bench-goals.js';
import { cliArg } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, def: string): string => cliArg(name, def);
const WHAT = arg('what', 'field');
const FIELD = Number(arg('field', '0'));
const N_CELLS = Number(arg('cells', '1000'));
const BUCKET_MS = Number(arg('bucket', '50'));
const OUT = arg('out', '');
/** How long a traced field run waits after `done` (the overlay's frame and what the GPU does with it). */
const TAIL_MS = Number(arg('tail', '1000'));
const PORT = Number(process.env.BENCH_PORT ?? 4190);
const NIH_DIR = process.env.NIH_DIR ?? '/work/shared/data/nih-malaria/cell_images';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink',
  'cc',
  'gpu',
  'viz',
  '__metadata',
].join(',');

function summarise(events: TraceEvent[], fromTs: number, toTs: number): void {
  const names = new Map<string, string>();
  const procs = new Map<number, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.name === 'process_name') procs.set(e.pid, e.args?.name ?? '?');
  }
  const span = toTs - fromTs;
  const nBuckets = Math.ceil(span / 1000 / BUCKET_MS);
  interface Thread {
    busy: number;
    buckets: number[];
    byName: Map<string, number>;
  }
  const threads = new Map<string, Thread>();
  const get = (key: string): Thread => {
    let t = threads.get(key);
    if (!t) threads.set(key, (t = { busy: 0, buckets: new Array<number>(nBuckets).fill(0), byName: new Map() }));
    return t;
  };
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const a = Math.max(e.ts, fromTs);
    const b = Math.min(e.ts + e.dur, toTs);
    if (b <= a) continue;
    const t = get(`${e.pid}:${e.tid}`);
    t.byName.set(e.name, (t.byName.get(e.name) ?? 0) + (b - a));
    // Busy = top-level tasks (they do not nest).
    if (!e.cat.split(',').includes('toplevel')) continue;
    t.busy += b - a;
    for (let x = a; x < b;) {
      const i = Math.floor((x - fromTs) / 1000 / BUCKET_MS);
      const end = Math.min(b, fromTs + (i + 1) * BUCKET_MS * 1000);
      if (i >= 0 && i < nBuckets) t.buckets[i]! += end - x;
      x = end;
    }
  }
  console.log(
    `run: ${(span / 1000).toFixed(0)} ms; one character = ${BUCKET_MS} ms (' ' <10 %, . <40 %, : <70 %, # more)`,
  );
  const rows = [...threads.entries()].filter(([, t]) => t.busy > 5000).sort((x, y) => y[1].busy - x[1].busy);
  for (const [key, t] of rows) {
    const [pid] = key.split(':').map(Number);
    const label = `${procs.get(pid!) ?? pid} / ${names.get(key) ?? key}`;
    const strip = t.buckets
      .map((v) => {
        const f = v / (BUCKET_MS * 1000);
        return f < 0.1 ? ' ' : f < 0.4 ? '.' : f < 0.7 ? ':' : '#';
      })
      .join('');
    console.log(`\n${label}: busy ${(t.busy / 1000).toFixed(0)} ms\n  |${strip}|`);
    const top = [...t.byName.entries()].sort((x, y) => y[1] - x[1]).slice(0, 10);
    console.log(`  ${top.map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const server = await startBenchServer(ROOT, PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm`);
    await page.waitForSelector('malaria-app[data-ready]', { timeout: 180_000 });
    let run: () => Promise<number>;
    if (WHAT === 'field') {
      const photo = listFieldPhotos(SMEAR_FIELDS).map((f) => f.jpg)[FIELD];
      if (!photo) throw new Error(`no field photo ${FIELD}`);
      await openFieldView(page);
      await stageFiles(page, 'fields', [photo]);
      run = async () => {
        const { wallMs } = await fieldThroughInput(page, 0);
        const split = await page.evaluate(() => {
          const host = document.querySelector('malaria-app')!.shadowRoot!.querySelector('field-analysis-view')!;
          const r = (host as unknown as { result: { detection: { stats: { ms: number } }; timings: object } }).result;
          return `detectCells ${Math.round(r.detection.stats.ms)} ms; view's split ${JSON.stringify(r.timings)}`;
        });
        console.log(split);
        // The overlay's frame and what the GPU process does with it, inside the trace.
        await page.waitForTimeout(TAIL_MS);
        return wallMs;
      };
    } else {
      const dir = join(ROOT, 'bench-results', 'cells', 'png');
      const src = existsSync(dir) ? dir : join(NIH_DIR, 'Parasitized');
      const files = readdirSync(src)
        .filter((f) => /\.(png|webp)$/.test(f))
        .sort()
        .slice(0, N_CELLS)
        .map((f) => join(src, f));
      await openCellsView(page);
      await stageFiles(page, 'cells', files);
      run = async () => (await cellsThroughInput(page, 'cells')).ms;
    }
    console.log(`warm-up: ${(await run()).toFixed(0)} ms`);
    await page.waitForTimeout(500);
    await browser.startTracing(page, { categories: CATEGORIES.split(',') });
    const ms = await run();
    const buf = await browser.stopTracing();
    const trace = JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] };
    const events = trace.traceEvents;
    if (OUT) await writeFile(OUT, buf);
    // The traced window: from the first recorded event to the end of the last one.
    const xs = events.filter((e) => e.ph === 'X' && e.dur);
    const from = Math.min(...xs.map((e) => e.ts));
    const to = Math.max(...xs.map((e) => e.ts + (e.dur ?? 0)));
    console.log(`${WHAT}: ${ms.toFixed(0)} ms in the page (traced)`);
    summarise(events, from, to);
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
