/**
 * `npx tsx scripts/bench-lighthouse-ab.ts <distA> <distB> [--rounds 5]`: Lighthouse mobile on two
 * builds, interleaved (A B, B A, A B, …), so that both see the same machine load. On this shared
 * 2-core machine one Lighthouse run moves by 10–20 points with the load; a back-to-back pair of
 * `bench:load` runs can land in different minutes of it.
 *
 * Serves each folder with scripts/serve.mjs (DIST_DIR; ports BENCH_PORT and BENCH_PORT − 1, default
 * 4191/4190), runs Lighthouse 12 as `bench:load` does (mobile preset, performance only), prints
 * every run (score, FCP, LCP, TBT, TTI, the load average, the long tasks Lighthouse lists, the
 * LCP element — index.html's static shell or the app's shadow DOM — and every LCP candidate of the
 * trace with its size: whether the app's paint became a later candidate, docs/performance.md step 7)
 * and the medians per build, and writes bench-results/lighthouse-ab.json. A run Lighthouse could not trace
 * (NO_NAVSTART under load) is kept as null and left out of the medians.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/helpers/chromium.js';
import { median } from '../src/core/shared/median.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')).slice(0, 2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 4191);
if (dists.length !== 2) {
  console.error('usage: npx tsx scripts/bench-lighthouse-ab.ts <distA> <distB> [--rounds 5]');
  process.exit(2);
}

interface Run {
  score: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  ttiMs: number | null;
  loadAverage: number;
  longTasks: string[];
  /** 'shell' (index.html's static copy), 'app' (inside <malaria-app>'s shadow DOM) or null. */
  lcpElement: 'shell' | 'app' | null;
  /** Every `largestContentfulPaint::Candidate` of the trace: observed ms after navigation start, CSS px². */
  lcpCandidates: { ms: number; size: number; node: string }[];
}

interface TraceEvent {
  name: string;
  ts: number;
  args?: { data?: { size?: number; nodeName?: string; nodeId?: number } };
}

/** LCP candidates of a Lighthouse trace, observed times relative to the navigation start. */
export function lcpCandidates(events: readonly TraceEvent[]): Run['lcpCandidates'] {
  const nav = events.find((e) => e.name === 'navigationStart')?.ts ?? 0;
  return events
    .filter((e) => e.name === 'largestContentfulPaint::Candidate')
    .map((e) => ({
      ms: Math.round((e.ts - nav) / 1000),
      size: e.args?.data?.size ?? 0,
      node: `${e.args?.data?.nodeName ?? '?'}#${e.args?.data?.nodeId ?? '?'}`,
    }));
}

function serve(dist: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs')], {
    cwd: ROOT,
    env: { ...process.env, DIST_DIR: resolve(dist), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('cross-origin isolated')) res(child);
    });
    child.on('exit', (code) => rej(new Error(`server for ${dist} exited with ${code}`)));
  });
}

async function lighthouseRun(url: string): Promise<Run> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  try {
    const loadAverage = loadavg()[0] ?? 0;
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
    });
    const lhr = result?.lhr;
    const num = (id: string) => lhr?.audits[id]?.numericValue ?? null;
    const score = lhr?.categories.performance?.score;
    const tasks =
      (lhr?.audits['long-tasks']?.details as { items?: { url: string; duration: number; startTime: number }[] })
        ?.items ?? [];
    const path = (
      lhr?.audits['largest-contentful-paint-element']?.details as
        { items?: { items?: { node?: { path?: string } }[] }[] } | undefined
    )?.items?.[0]?.items?.[0]?.node?.path;
    const trace = (result?.artifacts as { Trace?: { traceEvents: TraceEvent[] } } | undefined)?.Trace;
    return {
      score: score == null ? null : Math.round(score * 100),
      fcpMs: num('first-contentful-paint'),
      lcpMs: num('largest-contentful-paint'),
      tbtMs: num('total-blocking-time'),
      ttiMs: num('interactive'),
      loadAverage,
      longTasks: tasks.map((t) => `${Math.round(t.duration)} ms ${t.url.split('/').pop() || '(none)'}`),
      lcpElement: path == null ? null : path.includes('#document-fragment') ? 'app' : 'shell',
      lcpCandidates: lcpCandidates(trace?.traceEvents ?? []),
    };
  } finally {
    await chrome.kill();
  }
}

async function main(): Promise<void> {
  const servers: ChildProcess[] = [];
  const runs: Record<string, Run[]> = Object.fromEntries(dists.map((d) => [d, []]));
  try {
    for (const [i, d] of dists.entries()) servers.push(await serve(d, BASE_PORT - i));
    for (let r = 0; r < ROUNDS; r++) {
      for (const i of r % 2 ? [1, 0] : [0, 1]) {
        const dist = dists[i] as string;
        const run = await lighthouseRun(`http://127.0.0.1:${BASE_PORT - i}/`);
        runs[dist]!.push(run);
        const f = (v: number | null) => (v == null ? '-' : v.toFixed(0));
        console.log(
          `[lighthouse-ab] ${dist}: ${f(run.score)} (FCP ${f(run.fcpMs)}, LCP ${f(run.lcpMs)}, TBT ${f(run.tbtMs)}, TTI ${f(run.ttiMs)} ms; load ${run.loadAverage.toFixed(1)}) LCP element ${run.lcpElement ?? '-'}, candidates ${run.lcpCandidates.map((c) => `${c.node} ${c.size} px² at ${c.ms} ms`).join(' → ') || '-'}; ${run.longTasks.join(', ')}`,
        );
      }
    }
  } finally {
    for (const s of servers) s.kill();
  }
  for (const [dist, rs] of Object.entries(runs)) {
    const ok = rs.filter((r) => r.score !== null);
    const med = (f: (r: Run) => number | null) => median(ok.map((r) => f(r) ?? NaN)).toFixed(0);
    console.log(
      `[lighthouse-ab] ${dist}: median of ${ok.length} (of ${rs.length}): score ${med((r) => r.score)}, FCP ${med((r) => r.fcpMs)}, LCP ${med((r) => r.lcpMs)}, TBT ${med((r) => r.tbtMs)} ms; scores ${ok.map((r) => r.score).join(' ')}, TBT ${ok.map((r) => r.tbtMs?.toFixed(0)).join(' ')}; LCP element ${ok.map((r) => r.lcpElement ?? '-').join(' ')}`,
    );
  }
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  await writeFile(
    join(ROOT, 'bench-results/lighthouse-ab.json'),
    JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, runs }, null, 2),
  );
  console.log('[lighthouse-ab] wrote bench-results/lighthouse-ab.json');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
