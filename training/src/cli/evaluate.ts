/**
 * npm run evaluate -- --model DIR --data DIR --out FILE.csv [--engine auto|wasm|cpu]
 * Classifies every image under DIR/Parasitized and DIR/Uninfected with the exported model and its
 * metadata.json (same preprocessing as the app), writes `file,truth,probability,label` per image and
 * prints + writes the metrics (FILE.metrics.json).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseArgs, str } from '../args.js';
import { scanDataset, type CellRecord } from '../dataset.js';
import { initEngine, type EngineName } from '../engine.js';
import { binaryMetrics } from '../metrics.js';
import { loadModel } from '../model-io.js';
import { preprocessFile } from '../tensor-cache.js';
import { labelForProbability, parseModelMetadata, viewCountOf } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = path.resolve(str(args, 'model'));
  const dataDir = path.resolve(str(args, 'data'));
  const out = path.resolve(str(args, 'out'));
  await initEngine(str(args, 'engine', 'auto') as EngineName | 'auto');
  let metaRaw: unknown;
  try {
    metaRaw = JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8'));
  } catch (err) {
    throw new Error(
      `cannot read ${path.join(modelDir, 'metadata.json')}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const meta = parseModelMetadata(metaRaw);
  const model = await loadModel(modelDir);
  const scan = await scanDataset(dataDir);
  for (const w of scan.warnings) console.warn(`[data] warning: ${w}`);
  const size = meta.input.width;
  const per = size * meta.input.height * 3;
  const rows: string[] = ['file,truth,probability,label'];
  const probs: number[] = [];
  const truth: number[] = [];
  const batch: { cell: CellRecord; pixels: Float32Array }[] = [];
  let errors = 0;
  const t0 = performance.now();
  const flush = () => {
    if (batch.length === 0) return;
    const buf = new Float32Array(batch.length * per);
    batch.forEach((b, k) => buf.set(b.pixels, k * per));
    const p = tf.tidy(() =>
      predictOverViews(
        tf.tensor4d(buf, [batch.length, meta.input.height, size, 3]),
        viewCountOf(meta),
        (x) => model.predict(x) as tf.Tensor,
      ).dataSync(),
    );
    batch.forEach((b, k) => {
      const prob = p[k] as number;
      probs.push(prob);
      truth.push(b.cell.label);
      rows.push(
        [
          csvField(path.relative(scan.root, b.cell.file)),
          b.cell.label === 1 ? 'Parasitized' : 'Uninfected',
          prob.toFixed(6),
          labelForProbability(prob, meta.decision),
        ].join(','),
      );
    });
    batch.length = 0;
  };
  for (const cell of scan.cells) {
    try {
      batch.push({ cell, pixels: await preprocessFile(cell.file, meta.input) });
    } catch (err) {
      errors++;
      console.warn(`[evaluate] warning: ${err instanceof Error ? err.message : String(err)}`);
      rows.push(
        [
          csvField(path.relative(scan.root, cell.file)),
          cell.label === 1 ? 'Parasitized' : 'Uninfected',
          '',
          'Error',
        ].join(','),
      );
    }
    if (batch.length >= 128) flush();
  }
  flush();
  const seconds = (performance.now() - t0) / 1000;
  if (probs.length === 0) throw new Error(`no readable images under ${scan.root}`);
  const m = binaryMetrics(probs, truth, meta.decision.threshold);
  const inconclusive = probs.filter((p) => labelForProbability(p, meta.decision) === 'Inconclusive').length;
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, rows.join('\n') + '\n');
  const summary = {
    model: modelDir,
    data: scan.root,
    images: scan.cells.length,
    unreadable: errors,
    inconclusive,
    seconds,
    ...m,
  };
  await writeFile(out.replace(/\.csv$/i, '') + '.metrics.json', JSON.stringify(summary, null, 2));
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  console.log(
    `images ${scan.cells.length} (unreadable ${errors}) in ${seconds.toFixed(1)} s, threshold ${meta.decision.threshold}`,
  );
  console.log(
    `accuracy ${pct(m.accuracy)}  sensitivity ${pct(m.sensitivity)}  specificity ${pct(m.specificity)}  precision ${pct(m.precision)}  F1 ${m.f1.toFixed(4)}  ROC AUC ${m.rocAuc.toFixed(4)}  ECE ${m.ece.toFixed(4)}`,
  );
  console.log(
    `confusion: TP ${m.confusion.tp}  FN ${m.confusion.fn}  FP ${m.confusion.fp}  TN ${m.confusion.tn}; inconclusive (band) ${inconclusive}`,
  );
  console.log(`wrote ${out}`);
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(`[evaluate] error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
