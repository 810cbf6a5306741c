/**
 * The classifier's forward pass on tfjs-backend-wasm in Node, in ms per cell: the network alone on
 * preprocessed batches (model as shipped, i.e. conv → batch norm → ReLU, and as the app runs it,
 * after `foldBatchNorms`), per batch size, and the app's whole batch path (TfClassifier.run in
 * src/services/model/classifier.ts: RGB float32 pixels → tensor → preprocessPixels → stack →
 * network → probabilities), plus the kernels one batch runs and their time (tf.profile).
 * CPU time (process.cpuUsage) is printed next to wall time: the machine is shared, and a background
 * training run at nice 19 takes the other core.
 *
 *   npx tsx scripts/bench-forward.ts [--cells 1000] [--batches 16,32,64,128] [--reps 3] [--label name]
 *
 * Cells: the first N NIH cells, alternating Parasitized / Uninfected (as scripts/bench-browser.ts),
 * decoded with sharp. Writes bench-results/forward[-label].json.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';
import {
  labelForProbability,
  parseModelMetadata,
  viewCountOf,
  type ModelMetadata,
  type ModelViewCount,
} from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { createCellNetwork, type CellNetwork } from '../src/core/model/cell-network.js';
import { foldBatchNorms } from '../src/core/model/optimize-model.js';
import { shippedModelArtifacts } from '../src/core/model/network-json-test-kit.js';
import { cliArg } from './bench-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, def: string): string => cliArg(name, def);
const N_CELLS = Number(arg('cells', '1000'));
const BATCHES = arg('batches', '16,32,64,128').split(',').map(Number);
const REPS = Number(arg('reps', '3'));
const LABEL = arg('label', '');
const NIH_DIR = process.env.NIH_DIR ?? '/work/shared/data/nih-malaria/cell_images';

interface Rgb {
  data: Float32Array;
  width: number;
  height: number;
}

async function loadCells(): Promise<Rgb[]> {
  const lists = ['Parasitized', 'Uninfected'].map((c) =>
    readdirSync(join(NIH_DIR, c))
      .filter((f) => /\.(webp|png|jpe?g)$/i.test(f))
      .sort()
      .map((f) => join(NIH_DIR, c, f)),
  );
  const files: string[] = [];
  for (let i = 0; files.length < N_CELLS; i++) files.push(lists[i % 2]![Math.floor(i / 2)]!);
  return Promise.all(
    files.map(async (f) => {
      const { data, info } = await sharp(await readFile(f))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data: Float32Array.from(data), width: info.width, height: info.height };
    }),
  );
}

/** The app's batch input path (TfClassifier.run). */
function appBatch(cells: readonly Rgb[], input: ModelMetadata['input']): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.stack(
        cells.map((c) => preprocessPixels(tf.tensor3d(c.data, [c.height, c.width, 3], 'float32'), input)),
      ) as tf.Tensor4D,
  );
}

/** Variant: each cell resized, then scale and offset once on the stacked batch (same values, elementwise). */
function batchScaled(cells: readonly Rgb[], input: ModelMetadata['input']): tf.Tensor4D {
  return tf.tidy(() => {
    const resized = cells.map((c) =>
      tf.image.resizeBilinear(
        tf.tensor3d(c.data, [c.height, c.width, 3], 'float32'),
        [input.height, input.width],
        input.resize.alignCorners,
        input.resize.halfPixelCenters,
      ),
    );
    return tf.add(tf.mul(tf.stack(resized), input.scale), input.offset) as tf.Tensor4D;
  });
}

/** Parts of the input path alone: tensors only, and tensors + resize (no network). */
function tensorsOnly(cells: readonly Rgb[]): tf.Tensor4D {
  return tf.tidy(() => {
    for (const c of cells) tf.tensor3d(c.data, [c.height, c.width, 3], 'float32');
    return tf.zeros([1, 1, 1, 1]) as tf.Tensor4D;
  });
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(run: () => Promise<void>): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** P per cell as the app computes it: the network on every view metadata `output.views` asks for, averaged. */
async function probabilities(network: CellNetwork, batch: tf.Tensor4D, views: ModelViewCount): Promise<Float32Array> {
  const y = predictOverViews(batch, views, (x) => network.predict(x));
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const metadata = parseModelMetadata(JSON.parse(await readFile(join(ROOT, 'public/model/metadata.json'), 'utf8')));
  const input = metadata.input;
  const views = viewCountOf(metadata);
  const shipped = shippedModelArtifacts();
  const networks: Record<string, CellNetwork> = {
    shipped: createCellNetwork(shipped),
    folded: createCellNetwork(foldBatchNorms(shipped).artifacts),
  };
  const load0 = loadavg();
  const cells = await loadCells();
  const preprocessed = chunks(cells, 128).map((part) => appBatch(part, input));
  const all = tf.concat(preprocessed) as tf.Tensor4D;
  tf.dispose(preprocessed);
  const batchesOf = (size: number) =>
    Array.from({ length: Math.ceil(cells.length / size) }, (_, i) =>
      tf.slice(all, [i * size, 0, 0, 0], [Math.min(size, cells.length - i * size), -1, -1, -1]),
    ) as tf.Tensor4D[];

  const rows: Record<string, unknown>[] = [];
  const print = (name: string, t: Timing[]) => {
    const wall = median(t.map((x) => x.wallMs));
    const cpu = median(t.map((x) => x.cpuMs));
    rows.push({ name, wallMsPerCell: wall / cells.length, cpuMsPerCell: cpu / cells.length, runs: t });
    console.log(
      `${name.padEnd(48)} ${(wall / cells.length).toFixed(3)} ms/cell wall, ${(cpu / cells.length).toFixed(3)} CPU` +
        ` (runs: ${t.map((x) => x.wallMs.toFixed(0)).join(', ')} ms)`,
    );
  };

  // Outputs: the folded network against the shipped one over every cell.
  const outs: Record<string, Float32Array> = {};
  for (const [name, net] of Object.entries(networks)) outs[name] = await probabilities(net, all, views);
  let maxDiff = 0;
  let labelChanges = 0;
  for (let i = 0; i < cells.length; i++) {
    const a = outs['shipped']![i]!;
    const b = outs['folded']![i]!;
    maxDiff = Math.max(maxDiff, Math.abs(a - b));
    if (labelForProbability(a, metadata.decision) !== labelForProbability(b, metadata.decision)) labelChanges++;
  }
  console.log(
    `wasm ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, ` +
      `threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'yes' : 'no'}; ${cells.length} cells; ` +
      `folded vs shipped: max |ΔP| ${maxDiff.toExponential(2)}, ${labelChanges} label changes`,
  );

  for (const size of BATCHES) {
    const batches = batchesOf(size);
    for (const [name, net] of Object.entries(networks)) {
      for (const b of batches.slice(0, 2)) await probabilities(net, b, views); // warm-up: this batch shape
      const t: Timing[] = [];
      for (let r = 0; r < REPS; r++)
        t.push(
          await timed(async () => {
            for (const b of batches) await probabilities(net, b, views);
          }),
        );
      print(`network only, ${name}, batch ${size}`, t);
    }
    tf.dispose(batches);
  }

  const paths: [string, (part: readonly Rgb[]) => tf.Tensor4D, boolean][] = [
    ['app batch path (pixels → P)', (part) => appBatch(part, input), true],
    ['pixels → P, scale once per batch', (part) => batchScaled(part, input), true],
    ['input only (pixels → model input)', (part) => appBatch(part, input), false],
    ['tensors only (pixels → tensor3d)', tensorsOnly, false],
  ];
  // The variants' model inputs must equal the app's, bit for bit.
  for (const [name, make] of paths.slice(1, 2)) {
    const [a, b] = [appBatch(cells.slice(0, 64), input), make(cells.slice(0, 64))];
    const same = tf.tidy(() => tf.all(tf.equal(a, b)).dataSync()[0] === 1);
    console.log(`${name}: model input ${same ? 'identical to' : 'DIFFERS from'} the app's`);
    tf.dispose([a, b]);
  }
  for (const size of BATCHES) {
    const parts = chunks(cells, size);
    const net = networks['folded']!;
    for (const [name, make, withNetwork] of paths) {
      const t: Timing[] = [];
      for (let r = 0; r < REPS + 1; r++) {
        const x = await timed(async () => {
          for (const part of parts) {
            const batch = make(part);
            try {
              if (withNetwork) await probabilities(net, batch, views);
              else await batch.data();
            } finally {
              batch.dispose();
            }
          }
        });
        if (r > 0) t.push(x);
      }
      print(`${name}, folded, batch ${size}`, t);
    }
  }

  // Which kernels one batch of 32 runs, and their time.
  const part = cells.slice(0, 32);
  for (const [name, net] of Object.entries(networks)) {
    const kernels = new Map<string, { n: number; ms: number }>();
    for (let r = 0; r < 3; r++) {
      const profile = await tf.profile(async () => {
        const batch = appBatch(part, input);
        await probabilities(net, batch, views);
        batch.dispose();
      });
      if (r === 0) continue;
      for (const k of profile.kernels) {
        const e = kernels.get(k.name) ?? { n: 0, ms: 0 };
        e.n += 1 / 2;
        const ms = await k.kernelTimeMs;
        e.ms += (typeof ms === 'number' ? ms : 0) / 2; // a backend without timers gives {error}
        kernels.set(k.name, e);
      }
    }
    const list = [...kernels].sort((a, b) => b[1].ms - a[1].ms);
    console.log(
      `kernels, ${name}, batch of 32 through the app path: ` +
        list.map(([k, v]) => `${k} ×${v.n} ${v.ms.toFixed(1)} ms`).join(', '),
    );
    rows.push({ name: `kernels ${name}`, kernels: Object.fromEntries(list) });
  }
  const load1 = loadavg();
  console.log(`load average ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')}`);
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const file = join(ROOT, 'bench-results', `forward${LABEL ? `-${LABEL}` : ''}.json`);
  await writeFile(
    file,
    JSON.stringify({ cells: cells.length, maxDiff, labelChanges, loadAverage: [load0, load1], rows }, null, 2),
  );
  console.log(`wrote ${file}`);
  tf.dispose(all);
  for (const n of Object.values(networks)) n.dispose();
}

await main();
