/**
 * `npm run eval:where-map`: picks the review screen's "where" map method by measurement.
 *
 * On the project's TEST-split patients (training/src/split.ts, checked against the split hash in
 * public/model/metadata.json), takes up to CELLS (default 300) Parasitized cells the shipped model
 * calls with P ≥ 0.5, decoded and preprocessed exactly as training/evaluation do (sharp →
 * the app's preprocessPixels). For every candidate method (Grad-CAM in src/core/review/where-map.ts,
 * the others in where-map-candidates.ts) it deletes (paints with the mask background, metadata
 * input.background) the top 10 % of pixels
 * ranked by the map, and separately 10 % random pixels (RANDOM_DRAWS draws per cell, the same for
 * every method; anywhere in the crop, and only inside the cell), and compares P.
 * Random black pixels look like stained chromatin to the model, so everything is repeated with the
 * cell's own mean colour as paint. Also: 2 %, 5 %, 20 % deletion, ms per cell (batch of 1, as the
 * review screen runs it, and batched of 25). Maps and P use the batch-norm-folded model the app runs
 * (optimize-model.ts); the maps of the model as loaded are compared with them.
 * Backend: tfjs-backend-wasm. Each method is first tried with the backend's stock kernels (what the
 * app's WASM path has); then the training engine's conv-gradient kernels are registered so the
 * gradient methods can be measured too (their timings are with those kernels). Prints a table and
 * writes docs/where-map-deletion.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { scanDataset, type CellRecord } from '../training/src/dataset.js';
import { cellsOfSplit, splitByPatient } from '../training/src/split.js';
import { fileLoadHandler } from '../training/src/model-io.js';
import { preprocessFile } from '../training/src/tensor-cache.js';
import { registerWasmConvGradients } from '../training/src/conv2d-backprop-filter-wasm.js';
import { mulberry32, shuffleInPlace } from '../training/src/rng.js';
import { parseModelMetadata, viewCountOf, type ModelViewCount } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { foldBatchNorms } from '../src/core/model/optimize-model.js';
import { createCellNetwork, type CellNetwork } from '../src/core/model/cell-network.js';
import { median } from '../src/core/shared/median.js';
import {
  gradCamOverViews,
  normalizeScores,
  SHIPPED_WHERE_METHOD,
  type WhereMethod,
} from '../src/core/review/where-map.js';
import { gradientTimesInput, occlusion, smoothGrad } from '../src/core/review/where-map-candidates.js';
import { errorMessage } from '../src/core/shared/error-message.js';
import { errorDetail } from '../src/core/shared/error-message.js';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = process.env.DATA_DIR ?? path.resolve(root, '../shared/data/nih-malaria');
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'public/model');
const CELLS = Number(process.env.CELLS ?? 300);
const RANDOM_DRAWS = Number(process.env.RANDOM_DRAWS ?? 5);
const FRACTIONS = [0.02, 0.05, 0.1, 0.2];
const MAIN_FRACTION = 0.1;
const BATCH = 25;
const SEED = 20261201;
const LATENCY_CELLS = 10;
const FOLDED_CELLS = 8;

interface Method {
  id: WhereMethod;
  label: string;
  /** The map's resolution, from the model's input grid and its last conv block's grid. */
  grid(g: { input: string; cam: string; views: ModelViewCount }): string;
  /** `views`: the shipped model's (metadata output.views); only the shipped Grad-CAM explains every view. */
  scores(model: CellNetwork, x: tf.Tensor4D, bg: [number, number, number], views: ModelViewCount): tf.Tensor3D;
}

const METHODS: Method[] = [
  {
    id: 'gradientTimesInput',
    label: 'gradient × input (logit)',
    grid: (g) => g.input,
    scores: (m, x, bg) => gradientTimesInput(m, x, bg[0]),
  },
  {
    id: 'smoothGrad',
    label: 'SmoothGrad |grad| (16 × σ 0.15)',
    grid: (g) => g.input,
    scores: (m, x) => smoothGrad(m, x),
  },
  {
    id: 'occlusion',
    label: 'occlusion 8×8 stride 4',
    grid: (g) => `${g.input} (4-px steps)`,
    scores: (m, x, bg) => occlusion(m, x, { background: bg }),
  },
  {
    id: 'gradCam',
    label: 'Grad-CAM last conv block',
    grid: (g) => `${g.cam} → bilinear ${g.input}${g.views > 1 ? `, mean of ${g.views} views` : ''}`,
    scores: (m, x, _bg, views) => gradCamOverViews(m, x, views),
  },
];

type Fill = 'background' | 'cellMean';
const FILLS: Fill[] = ['background', 'cellMean'];

interface Deleted {
  meanP: number;
  /** Fraction of cells whose P falls below the decision threshold. */
  belowThreshold: number;
}

interface MethodDeletion extends Deleted {
  drop: number;
  excessDropVsRandom: number;
  excessDropVsRandomInCell: number;
  dropRatioVsRandom: number;
  dropRatioVsRandomInCell: number;
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** P(Parasitized) for `count` cells of `pixels` (each `per` floats), in batches. */
/** P as the app computes it: the mean over the model's views. */
function predict(
  model: CellNetwork,
  pixels: Float32Array,
  count: number,
  h: number,
  w: number,
  views: ModelViewCount,
): Float32Array {
  const per = h * w * 3;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 128) {
    const k = Math.min(128, count - i);
    const p = tf.tidy(() =>
      predictOverViews(tf.tensor4d(pixels.subarray(i * per, (i + k) * per), [k, h, w, 3]), views, (x) =>
        model.predict(x),
      ).dataSync(),
    );
    out.set(p, i);
  }
  return out;
}

/** Copy of the cells with the first `count` pixels of each cell's order painted with that cell's fill colour. */
function deletePixels(
  pixels: Float32Array,
  cells: number,
  hw: number,
  orders: Int32Array[],
  count: number,
  fill: [number, number, number][],
): Float32Array {
  const out = pixels.slice(0, cells * hw * 3);
  for (let i = 0; i < cells; i++) {
    const order = orders[i] as Int32Array;
    const bg = fill[i] as [number, number, number];
    const base = i * hw * 3;
    for (let j = 0; j < count; j++) {
      const p = base + (order[j] as number) * 3;
      out[p] = bg[0];
      out[p + 1] = bg[1];
      out[p + 2] = bg[2];
    }
  }
  return out;
}

/** Pixel indices by descending score (ties: lower index first). */
function rankByScore(scores: Float32Array): Int32Array {
  const idx = Int32Array.from(scores.keys());
  return idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend did not initialise');
  await tf.ready();
  const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const { width: W, height: H, scale, offset } = metadata.input;
  const views = viewCountOf(metadata);
  const hw = H * W;
  const bg = metadata.input.background.map((c) => c * scale + offset) as [number, number, number];
  const handler = fileLoadHandler(modelDir);
  if (!handler.load) throw new Error('no model loader');
  const artifacts = await handler.load();
  // The network the app runs (tfjs-core ops, src/core/model/cell-network.ts).
  const original = createCellNetwork(artifacts);
  const { artifacts: foldedArtifacts, folds } = foldBatchNorms(artifacts);
  // The app runs the batch-norm-folded model: everything below uses it; the original is compared with it.
  const model = createCellNetwork(foldedArtifacts);
  const cam = model.split?.featureShape;
  const grids = { input: `${W}×${H}`, cam: cam ? `${cam[0]}×${cam[1]}` : '–', views };
  console.log(
    `[where-map] backend ${tf.getBackend()} (stock kernels), model ${metadata.name} ${metadata.createdAt}, background ${JSON.stringify(bg)}, ${folds.length} BN folded (as in the app)`,
  );

  // The project's patient split; refuse to run on a different one than the shipped model's.
  const scan = await scanDataset(dataDir);
  const split = splitByPatient(scan.cells);
  const expectedHash = (metadata.dataset as { splitHash?: string } | undefined)?.splitHash;
  if (expectedHash && expectedHash !== split.hash)
    throw new Error(`split hash ${split.hash} ≠ metadata ${expectedHash}: different data or split`);
  const candidates = cellsOfSplit(scan.cells, split, 'test').filter((c) => c.label === 1);
  shuffleInPlace(candidates, mulberry32(SEED));

  // Cells the model calls with P ≥ 0.5, in a seeded random order over the test patients.
  const per = hw * 3;
  const pixels = new Float32Array(CELLS * per);
  const chosen: CellRecord[] = [];
  let decoded = 0;
  for (let i = 0; i < candidates.length && chosen.length < CELLS; i += 64) {
    const group = candidates.slice(i, i + 64);
    const px = await Promise.all(group.map((c) => preprocessFile(c.file, metadata.input)));
    decoded += group.length;
    const buf = new Float32Array(group.length * per);
    px.forEach((p, k) => buf.set(p, k * per));
    const probs = predict(model, buf, group.length, H, W, views);
    for (let k = 0; k < group.length && chosen.length < CELLS; k++) {
      if ((probs[k] as number) >= 0.5) {
        pixels.set(px[k] as Float32Array, chosen.length * per);
        chosen.push(group[k] as CellRecord);
      }
    }
  }
  const n = chosen.length;
  const patients = new Set(chosen.map((c) => c.patient));
  console.log(
    `[where-map] ${n} test-split Parasitized cells with P ≥ 0.5 (of ${decoded} decoded; ${candidates.length} in the split) from ${patients.size} patients`,
  );
  const p0 = predict(model, pixels, n, H, W, views);

  // Random deletions, the same for every method: anywhere in the crop, and inside the cell only.
  const rand = mulberry32(SEED + 1);
  const allPixels = Array.from({ length: hw }, (_, j) => j);
  const randomAny: Int32Array[][] = [];
  const randomCell: Int32Array[][] = [];
  for (let d = 0; d < RANDOM_DRAWS; d++) {
    randomAny.push(Array.from({ length: n }, () => Int32Array.from(shuffleInPlace([...allPixels], rand))));
    randomCell.push(
      Array.from({ length: n }, (_, i) => {
        const inCell: number[] = [];
        const outside: number[] = [];
        for (let j = 0; j < hw; j++) {
          const q = i * per + j * 3;
          const far = Math.max(
            Math.abs((pixels[q] as number) - bg[0]),
            Math.abs((pixels[q + 1] as number) - bg[1]),
            Math.abs((pixels[q + 2] as number) - bg[2]),
          );
          (far > 10 / 255 ? inCell : outside).push(j);
        }
        return Int32Array.from([...shuffleInPlace(inCell, rand), ...shuffleInPlace(outside, rand)]);
      }),
    );
  }
  const threshold = metadata.decision.threshold;
  // Deletion colours: the mask background (the test asked for), and, as a check that the result is
  // not an artefact of black dots (which look like stained chromatin), the cell's own mean colour.
  const fills: Record<Fill, [number, number, number][]> = {
    background: Array.from({ length: n }, () => bg),
    cellMean: Array.from({ length: n }, (_, i) => {
      const order = randomCell[0]![i]!;
      const sum = [0, 0, 0];
      let count = 0;
      for (const j of order) {
        const q = i * per + j * 3;
        const far = Math.max(
          Math.abs((pixels[q] as number) - bg[0]),
          Math.abs((pixels[q + 1] as number) - bg[1]),
          Math.abs((pixels[q + 2] as number) - bg[2]),
        );
        if (far <= 10 / 255) continue;
        for (let c = 0; c < 3; c++) sum[c]! += pixels[q + c] as number;
        count++;
      }
      return sum.map((v) => v / Math.max(1, count)) as [number, number, number];
    }),
  };
  const perCellTop: Record<string, Record<Fill, number[]>> = {};
  const summarise = (
    orderSets: Int32Array[][],
    fraction: number,
    fill: Fill,
    keep?: (pAfter: number[]) => void,
  ): Deleted => {
    const count = Math.round(fraction * hw);
    const perDraw = orderSets.map((orders) =>
      predict(model, deletePixels(pixels, n, hw, orders, count, fills[fill]), n, H, W, views),
    );
    const pAfter = Array.from({ length: n }, (_, i) => mean(perDraw.map((p) => p[i] as number)));
    const flipped = mean(perDraw.map((p) => mean(Array.from(p, (v) => (v < threshold ? 1 : 0)))));
    keep?.(pAfter);
    return { meanP: mean(pAfter), belowThreshold: flipped };
  };
  const baseline = {} as Record<Fill, Record<string, { any: Deleted; inCell: Deleted }>>;
  for (const fill of FILLS) {
    baseline[fill] = {};
    for (const f of FRACTIONS)
      baseline[fill][String(f)] = { any: summarise(randomAny, f, fill), inCell: summarise(randomCell, f, fill) };
  }

  // Which methods run on the app's WASM backend as it is (stock kernels: no Conv2DBackpropFilter,
  // which the gradient of tfjs' fused conv needs even for ∂/∂input)? Then register the training
  // engine's conv-gradient kernels so that every method can be measured.
  const stockWasm: Record<string, string> = {};
  for (const method of METHODS) {
    const x = tf.tensor4d(pixels.subarray(0, per), [1, H, W, 3]);
    try {
      for (const m of [model, original]) {
        const s = method.scores(m, x, bg, views);
        await s.data();
        s.dispose();
      }
      stockWasm[method.id] = 'ok';
    } catch (err) {
      stockWasm[method.id] = `fails: ${errorMessage(err)}`;
    } finally {
      x.dispose();
    }
    console.log(`[where-map] ${method.id} on stock wasm kernels: ${stockWasm[method.id]}`);
  }
  registerWasmConvGradients();

  const meanP0 = mean(Array.from(p0));
  const results = [];
  for (const method of METHODS) {
    // Warm-up (kernel set-up) on one cell, then batch-1 latency as the review screen runs it.
    const one = (i: number) => tf.tensor4d(pixels.subarray(i * per, (i + 1) * per), [1, H, W, 3]);
    {
      const x = one(0);
      const s = method.scores(model, x, bg, views);
      await s.data();
      s.dispose();
      x.dispose();
    }
    const lat: number[] = [];
    for (let i = 0; i < Math.min(LATENCY_CELLS, n); i++) {
      const x = one(i);
      const t0 = performance.now();
      const s = method.scores(model, x, bg, views);
      await s.data();
      lat.push(performance.now() - t0);
      s.dispose();
      x.dispose();
    }
    // All cells, batched.
    const scores = new Float32Array(n * hw);
    const tensorsBefore = tf.memory().numTensors;
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      const k = Math.min(BATCH, n - i);
      const x = tf.tensor4d(pixels.subarray(i * per, (i + k) * per), [k, H, W, 3]);
      const s = method.scores(model, x, bg, views);
      scores.set(await s.data(), i * hw);
      s.dispose();
      x.dispose();
    }
    const batchedMs = (performance.now() - t0) / n;
    const leaked = tf.memory().numTensors - tensorsBefore;
    const orders = Array.from({ length: n }, (_, i) => rankByScore(scores.subarray(i * hw, (i + 1) * hw)));
    const byFill = {} as Record<Fill, Record<string, MethodDeletion>>;
    perCellTop[method.id] = { background: [], cellMean: [] };
    for (const fill of FILLS) {
      byFill[fill] = {};
      for (const f of FRACTIONS) {
        const top = summarise(
          [orders],
          f,
          fill,
          f === MAIN_FRACTION
            ? (p) => {
                perCellTop[method.id]![fill] = p;
              }
            : undefined,
        );
        const b = baseline[fill][String(f)]!;
        byFill[fill][String(f)] = {
          ...top,
          drop: meanP0 - top.meanP,
          excessDropVsRandom: b.any.meanP - top.meanP,
          excessDropVsRandomInCell: b.inCell.meanP - top.meanP,
          dropRatioVsRandom: (meanP0 - top.meanP) / (meanP0 - b.any.meanP),
          dropRatioVsRandomInCell: (meanP0 - top.meanP) / (meanP0 - b.inCell.meanP),
        };
      }
    }
    // Same maps on the model as loaded (BN not folded): agreement of the 0–255 maps and of the top 10 %.
    const m = Math.min(FOLDED_CELLS, n);
    const xs = tf.tensor4d(pixels.subarray(0, m * per), [m, H, W, 3]);
    const sa = method.scores(original, xs, bg, views);
    const sb = method.scores(model, xs, bg, views);
    const [da, db] = [(await sa.data()) as Float32Array, (await sb.data()) as Float32Array];
    sa.dispose();
    sb.dispose();
    xs.dispose();
    const ma = normalizeScores(da, m, H, W);
    const mb = normalizeScores(db, m, H, W);
    let maxDiff = 0;
    const overlap: number[] = [];
    const k10 = Math.round(MAIN_FRACTION * hw);
    for (let i = 0; i < m; i++) {
      const a = ma[i]!.values,
        b = mb[i]!.values;
      for (let j = 0; j < hw; j++) maxDiff = Math.max(maxDiff, Math.abs((a[j] as number) - (b[j] as number)));
      const ta = new Set(rankByScore(da.subarray(i * hw, (i + 1) * hw)).subarray(0, k10));
      overlap.push(
        Array.from(rankByScore(db.subarray(i * hw, (i + 1) * hw)).subarray(0, k10)).filter((j) => ta.has(j)).length /
          k10,
      );
    }
    results.push({
      method: method.id,
      label: method.label,
      grid: method.grid(grids),
      appWasmStockKernels: stockWasm[method.id],
      msPerCellBatch1: median(lat),
      msPerCellBatched: batchedMs,
      batch: BATCH,
      leakedTensors: leaked,
      deletion: byFill,
      unfoldedVsFolded: { cells: m, maxAbsDiff0to255: maxDiff, top10Overlap: mean(overlap) },
    });
    console.log(
      `[where-map] ${method.id}: ${median(lat).toFixed(1)} ms/cell (batch 1), ${batchedMs.toFixed(1)} ms/cell (batch ${BATCH}), ${leaked} tensors left`,
    );
  }

  // Paired comparison with the shipped method at 10 %: mean over cells of P(other) − P(shipped) after
  // deleting each method's top pixels (> 0: the shipped map finds more of what the model uses),
  // with a 95 % bootstrap interval that resamples patients (cells of one patient are not independent).
  const byPatient = new Map<string, number[]>();
  chosen.forEach((c, i) => byPatient.set(c.patient, [...(byPatient.get(c.patient) ?? []), i]));
  const groups = [...byPatient.values()];
  const versusShipped: Record<string, Record<Fill, { meanDiff: number; ci95: [number, number] }>> = {};
  for (const r of results) {
    if (r.method === SHIPPED_WHERE_METHOD) continue;
    versusShipped[r.method] = {} as Record<Fill, { meanDiff: number; ci95: [number, number] }>;
    for (const fill of FILLS) {
      const other = perCellTop[r.method]![fill];
      const shipped = perCellTop[SHIPPED_WHERE_METHOD]![fill];
      const diff = other.map((v, i) => v - (shipped[i] as number));
      const boot = mulberry32(SEED + 2);
      const stats: number[] = [];
      for (let k = 0; k < 2000; k++) {
        let sum = 0,
          count = 0;
        for (let g = 0; g < groups.length; g++) {
          for (const i of groups[Math.floor(boot() * groups.length)]!) {
            sum += diff[i] as number;
            count++;
          }
        }
        stats.push(sum / count);
      }
      stats.sort((a, c) => a - c);
      versusShipped[r.method]![fill] = { meanDiff: mean(diff), ci95: [stats[50] as number, stats[1949] as number] };
    }
  }

  const f = String(MAIN_FRACTION);
  const b = baseline.background[f]!;
  const bm = baseline.cellMean[f]!;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const header = [
    'method',
    'map grid',
    'P top-10% black',
    'P<thr',
    'P top-10% cell colour',
    'P<thr',
    'drop ratio (cell colour)',
    'app WASM',
    'ms/cell b1',
    `ms/cell b${BATCH}`,
    'BN unfolded vs folded',
  ];
  const rows = results.map((r) => {
    const t = r.deletion.background[f]!;
    const tm = r.deletion.cellMean[f]!;
    return [
      r.label,
      r.grid,
      t.meanP.toFixed(3),
      pct(t.belowThreshold),
      tm.meanP.toFixed(3),
      pct(tm.belowThreshold),
      tm.dropRatioVsRandomInCell.toFixed(2),
      r.appWasmStockKernels === 'ok' ? 'runs' : 'fails',
      r.msPerCellBatch1.toFixed(1),
      r.msPerCellBatched.toFixed(1),
      `Δmax ${r.unfoldedVsFolded.maxAbsDiff0to255}, top-10% ${pct(r.unfoldedVsFolded.top10Overlap)}`,
    ];
  });
  rows.push([
    'random 10% anywhere',
    '',
    b.any.meanP.toFixed(3),
    pct(b.any.belowThreshold),
    bm.any.meanP.toFixed(3),
    pct(bm.any.belowThreshold),
    '',
    '',
    '',
    '',
    '',
  ]);
  rows.push([
    'random 10% in cell',
    '',
    b.inCell.meanP.toFixed(3),
    pct(b.inCell.belowThreshold),
    bm.inCell.meanP.toFixed(3),
    pct(bm.inCell.belowThreshold),
    '1.00',
    '',
    '',
    '',
    '',
  ]);
  const widths = header.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(
    `\n${n} cells of ${patients.size} test patients, mean P before ${meanP0.toFixed(3)} (all ≥ 0.5); top/random 10 % of the ${W}×${H} pixels painted black (mask background ${JSON.stringify(metadata.input.background)}) or the cell's mean colour`,
  );
  console.log(
    `P<thr: cells whose P falls below the decision threshold ${threshold}. drop ratio = (P before − P top) / (P before − P random in-cell), cell-colour fill`,
  );
  console.log(
    `(with black fill random pixels RAISE P, ${meanP0.toFixed(3)} → ${b.any.meanP.toFixed(3)}, so that ratio is meaningless; JSON has it and the excess drops)`,
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(
    `P(other method) − P(${SHIPPED_WHERE_METHOD}) after deleting each one's top 10 %, paired, 95 % bootstrap over patients (> 0: ${SHIPPED_WHERE_METHOD} better):`,
  );
  for (const [m, v] of Object.entries(versusShipped)) {
    console.log(
      `  ${m.padEnd(20)} ${FILLS.map((fill) => `${fill}: ${v[fill].meanDiff >= 0 ? '+' : ''}${v[fill].meanDiff.toFixed(3)} [${v[fill].ci95[0].toFixed(3)}, ${v[fill].ci95[1].toFixed(3)}]`).join('   ')}`,
    );
  }
  for (const fill of FILLS) {
    console.log(`mean P after deleting the top x % (${fill} fill; P<threshold):`);
    for (const r of results) {
      console.log(
        `  ${r.method.padEnd(20)} ${FRACTIONS.map((fr) => {
          const t = r.deletion[fill][String(fr)]!;
          return `${(fr * 100).toFixed(0).padStart(2)}%: ${t.meanP.toFixed(3)} (${pct(t.belowThreshold).padStart(5)})`;
        }).join('  ')}`,
      );
    }
    for (const kind of ['any', 'inCell'] as const) {
      console.log(
        `  ${(kind === 'any' ? 'random anywhere' : 'random in cell').padEnd(20)} ${FRACTIONS.map((fr) => {
          const t = baseline[fill][String(fr)]![kind];
          return `${(fr * 100).toFixed(0).padStart(2)}%: ${t.meanP.toFixed(3)} (${pct(t.belowThreshold).padStart(5)})`;
        }).join('  ')}`,
      );
    }
  }

  const out = path.join(root, 'docs/where-map-deletion.json');
  await writeFile(
    out,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        backend: `${tf.getBackend()} (tfjs-backend-wasm, Node ${process.version}); timings with training/src/conv2d-backprop-filter-wasm.ts kernels registered (only the gradient methods use them)`,
        model: {
          name: metadata.name,
          createdAt: metadata.createdAt,
          dir: path.relative(root, modelDir),
          bnFolded: folds.length,
        },
        split: { hash: split.hash, testPatients: split.patients.test.length },
        cells: { count: n, patients: patients.size, decoded, minProbability: 0.5, seed: SEED },
        deletion: {
          fills: { background: metadata.input.background, cellMean: "mean colour of the cell's own in-cell pixels" },
          fractions: FRACTIONS,
          main: MAIN_FRACTION,
          randomDraws: RANDOM_DRAWS,
          inCellRule: 'any channel more than 10/255 from the background colour',
          ranking: 'raw method scores (before 0–255 quantisation), descending; ties by pixel index',
        },
        decisionThreshold: threshold,
        meanPBefore: meanP0,
        randomBaseline: baseline,
        methods: results,
        shipped: SHIPPED_WHERE_METHOD,
        versusShippedAtMainFraction: versusShipped,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(root, out)}; shipped method: ${SHIPPED_WHERE_METHOD}`);
  model.dispose();
  original.dispose();
}

main().catch((err: unknown) => {
  console.error(errorDetail(err));
  process.exit(1);
});
