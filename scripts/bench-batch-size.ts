/**
 * Batch size of the classifier in the browser (built app, classifier worker, WASM): for each batch
 * size, 1,000 NIH cells (a) decoded first, then `classifyBatch` per chunk (the forward pass in the
 * worker plus the message round trip: ms/cell, decode excluded), and (b) through the Cells view's
 * pipeline without the UI (`__malariaDebug.classifyCells` with `chunkSize`: worker decode of the next
 * chunk overlapped with the model). Batch sizes are interleaved round by round, so each sees the same
 * minutes of machine load; the probabilities of every batch size are compared with the first one's.
 *
 *   flock /tmp/bench.lock env BENCH_PORT=4292 npx tsx scripts/bench-batch-size.ts [--sizes 16,32,64,128]
 *     [--cells 1000] [--rounds 3] [--label name]        (DIST_DIR serves another build)
 *
 * Prints a table and writes bench-results/batch-size[-label].json.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { startBenchServer } from './bench-server.js';
import { cliArg, loadFilesIntoPage } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, def: string): string => cliArg(name, def);
const SIZES = arg('sizes', '16,32,64,128').split(',').map(Number);
const N_CELLS = Number(arg('cells', '1000'));
const ROUNDS = Number(arg('rounds', '3'));
const LABEL = arg('label', '');
const PORT = Number(process.env.BENCH_PORT ?? 4190);
const NIH_DIR = process.env.NIH_DIR ?? '/work/shared/data/nih-malaria/cell_images';

function cellFiles(): string[] {
  const lists = ['Parasitized', 'Uninfected'].map((c) =>
    readdirSync(join(NIH_DIR, c))
      .filter((f) => /\.(webp|png|jpe?g)$/i.test(f))
      .sort()
      .map((f) => join(NIH_DIR, c, f)),
  );
  const out: string[] = [];
  for (let i = 0; out.length < N_CELLS; i++) out.push(lists[i % 2]![Math.floor(i / 2)]!);
  return out;
}

interface Run {
  size: number;
  round: number;
  forwardMsPerCell: number;
  /** CPU time of the renderer process (page + workers + decoder threads), CDP SystemInfo.getProcessInfo. */
  forwardCpuMsPerCell: number;
  pipelineMsPerCell: number;
  pipelineCpuMsPerCell: number;
  load: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const server: ChildProcess = await startBenchServer(ROOT, PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const cdp = await browser.newBrowserCDPSession();
    const rendererCpuMs = async () => {
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: { type: string; cpuTime: number }[];
      };
      return processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime * 1000, 0);
    };
    const page = await browser.newPage();
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm`);
    await page.waitForSelector('malaria-app[data-ready]', { timeout: 120_000 });
    const files = cellFiles();
    await loadFilesIntoPage(page, files);
    const info = await page.evaluate(() => {
      const c = window.__malariaDebug!.classifier()!;
      return { backend: c.backend, thread: c.diagnostics.thread, wasm: c.diagnostics.wasm };
    });
    console.log(
      `backend ${info.backend} in the ${info.thread}, wasm ${JSON.stringify(info.wasm)}; ${files.length} cells`,
    );
    const runs: Run[] = [];
    const probabilities = new Map<number, number[]>();
    for (let round = 0; round <= ROUNDS; round++) {
      // Round 0 warms every batch shape up (XNNPACK set-up per shape) and is not counted.
      for (const size of round % 2 ? SIZES : [...SIZES].reverse()) {
        await page.evaluate(async () => {
          const w = window as unknown as { __benchFiles: File[]; __decoded: unknown[] };
          w.__decoded = (await window.__malariaDebug!.decodeCells(w.__benchFiles)).flatMap((d) =>
            d.status === 'fulfilled' ? [d.value] : [],
          );
        });
        const cpu0 = await rendererCpuMs();
        const fw = await page.evaluate(async (size) => {
          const w = window as unknown as { __decoded: { source: never }[] };
          const c = window.__malariaDebug!.classifier()!;
          const all = w.__decoded;
          const p: number[] = [];
          const t = performance.now();
          for (let i = 0; i < all.length; i += size)
            for (const x of await c.classifyBatch(all.slice(i, i + size).map((d) => d.source))) p.push(x.probability);
          w.__decoded = [];
          return { ms: performance.now() - t, n: all.length, p };
        }, size);
        const cpu1 = await rendererCpuMs();
        const pipeline = await page.evaluate(async (size) => {
          const w = window as unknown as { __benchFiles: File[] };
          const t = performance.now();
          const labels = await window.__malariaDebug!.classifyCells(w.__benchFiles, { chunkSize: size });
          return { ms: performance.now() - t, ok: labels.filter((l) => l !== 'Error').length };
        }, size);
        const cpu2 = await rendererCpuMs();
        // The NIH set has a file the decoder refuses (999 of the first 1,000 decode): it fails in both.
        if (pipeline.ok !== fw.n) throw new Error(`${pipeline.ok} labelled cells, ${fw.n} decoded`);
        const r = {
          forward: fw.ms / fw.n,
          forwardCpu: (cpu1 - cpu0) / fw.n,
          pipeline: pipeline.ms / fw.n,
          pipelineCpu: (cpu2 - cpu1) / fw.n,
          p: fw.p,
        };
        if (!probabilities.has(size)) probabilities.set(size, r.p);
        if (round > 0)
          runs.push({
            size,
            round,
            forwardMsPerCell: r.forward,
            forwardCpuMsPerCell: r.forwardCpu,
            pipelineMsPerCell: r.pipeline,
            pipelineCpuMsPerCell: r.pipelineCpu,
            load: loadavg()[0]!,
          });
      }
    }
    const first = probabilities.get(SIZES[0]!)!;
    console.log(
      'batch | forward in the worker, ms/cell wall (decode excluded) | its renderer CPU ms/cell | Cells pipeline, ms/cell wall | its renderer CPU | max |ΔP| vs first size',
    );
    for (const size of SIZES) {
      const mine = runs.filter((r) => r.size === size);
      const p = probabilities.get(size)!;
      const diff = Math.max(...p.map((v, i) => Math.abs(v - first[i]!)));
      const fmt = (xs: number[]) => `${median(xs).toFixed(3)} (${xs.map((x) => x.toFixed(2)).join(', ')})`;
      console.log(
        `${String(size).padStart(5)} | ${fmt(mine.map((r) => r.forwardMsPerCell))} | ${fmt(mine.map((r) => r.forwardCpuMsPerCell))} | ` +
          `${fmt(mine.map((r) => r.pipelineMsPerCell))} | ${fmt(mine.map((r) => r.pipelineCpuMsPerCell))} | ${diff.toExponential(1)}`,
      );
    }
    console.log(`load average (1 min) per run: ${runs.map((r) => r.load.toFixed(1)).join(' ')}`);
    await mkdir(join(ROOT, 'bench-results'), { recursive: true });
    const file = join(ROOT, 'bench-results', `batch-size${LABEL ? `-${LABEL}` : ''}.json`);
    await writeFile(file, JSON.stringify({ cells: files.length, info, runs }, null, 2));
    console.log(`wrote ${file}`);
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
