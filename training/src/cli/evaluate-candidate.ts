/**
 * npm run evaluate-candidate -w training -- --data DIR --model MODEL_DIR [--field-crops cache/field-crops]
 *                                           [--trained-on-fields C92] [--out reports/NAME/candidate.json] [--tta 1|2|4|8]
 * One comparable scorecard for a candidate classifier against issue 17's goals (training/README.md,
 * "Issue 17"). Everything that is chosen is chosen on the VALIDATION patients; the test patients and the
 * held-out fields only measure.
 *  - NIH test patients: accuracy at the validation threshold, ROC AUC, ECE; raw and after temperature
 *    scaling (logit / T, T fitted on validation by NLL) and Platt scaling (a·logit + b).
 *  - Decision as finalize chooses it (Youden threshold, 99 %-outside band), on the calibrated scores.
 *  - Review queue: band low edge `low99` = the highest edge keeping ≥ 99 % of VALIDATION parasitized
 *    cells above it; test recall and uninfected share queued at it and at the finalize band's low edge.
 *  - Field crops (`npm run extract:field-crops`: the app's own detection + crops, labelled from the
 *    annotations): per patient, red cells called Parasitized (P ≥ high), queued (P > low, P > low99),
 *    parasitized cells reached; non-cells' scores. `--trained-on-fields` marks the patients whose field
 *    crops trained the model (their numbers are not held-out).
 *  - Synthetic debris (as `npm run debris-sensitivity`, same 400 + 400 test cells and seed).
 *  - Speed (ms/cell, batches of 64 and single cells, this engine) and weight bytes.
 * Writes the scorecard JSON and `<out>.scores.json` (per-cell scores, for the label-noise study).
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseArgs, str } from '../args.js';
import { PROBE_DEBRIS_SEED, withProbeDebris } from '../augment.js';
import { scanDataset, type CellRecord } from '../dataset.js';
import { initEngine } from '../engine.js';
import { binaryMetrics, chooseInconclusiveBand, chooseThreshold, expectedCalibrationError } from '../metrics.js';
import { loadModel } from '../model-io.js';
import { predictDihedralMean } from '../predict.js';
import type * as tfTypes from '@tensorflow/tfjs';
import { mulberry32, shuffleInPlace } from '../rng.js';
import { indicesBySplit, splitByPatient } from '../split.js';
import { loadCellTensors } from '../tensor-cache.js';
import { defaultInputSpec } from '@malaria/contract';
import { fitPlatt, fitTemperature, applyPlatt, recallFloorEdge } from '../calibration.js';

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) if (f.endsWith('.bin')) total += (await stat(path.join(dir, f))).size;
  return total;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const views = Number(str(args, 'tta', '1'));
  // Test-time augmentation: mean P over the first `views` dihedral transforms (1 = none).
  const predictProbabilities = (
    model: tfTypes.LayersModel,
    pixels: Float32Array,
    indices: readonly number[],
    size: number,
  ): Float32Array => predictDihedralMean(model, pixels, indices, size, views);
  const modelDir = path.resolve(str(args, 'model'));
  const out = path.resolve(str(args, 'out', path.join('reports', path.basename(modelDir), 'candidate.json')));
  const fieldCropsDir = path.resolve(str(args, 'field-crops', path.join('cache', 'field-crops')));
  const trainedOn = new Set(
    String(args['trained-on-fields'] ?? '')
      .split(',')
      .filter(Boolean),
  );
  const log = (m: string) => console.log(m);
  await initEngine(str(args, 'engine', 'auto') as 'auto', log);
  const model = await loadModel(modelDir);
  const size = model.inputs[0]!.shape[1] as number;
  const spec = defaultInputSpec(size);
  const cacheDir = path.resolve('cache');

  // NIH cells, patient split as in training.
  const scan = await scanDataset(path.resolve(str(args, 'data')));
  const split = splitByPatient(scan.cells, 20261125);
  const tensors = await loadCellTensors(scan.cells, spec, { cacheDir, log });
  const idx = indicesBySplit(tensors.cells, split);
  const labelsOf = (ids: number[]) => Uint8Array.from(ids, (i) => tensors.cells[i]!.label);
  const valL = labelsOf(idx.validation),
    testL = labelsOf(idx.test);
  const valRaw = predictProbabilities(model, tensors.pixels, idx.validation, size);
  const testRaw = predictProbabilities(model, tensors.pixels, idx.test, size);

  const T = fitTemperature(valRaw, valL);
  const platt = fitPlatt(valRaw, valL);
  const cal = (p: ArrayLike<number>, how: 'raw' | 'temperature' | 'platt') =>
    Float32Array.from(p as ArrayLike<number>, (v) =>
      how === 'raw' ? v : how === 'temperature' ? applyPlatt(v, 1 / T, 0) : applyPlatt(v, platt.a, platt.b),
    );

  const nih: Record<string, unknown> = {};
  for (const how of ['raw', 'temperature', 'platt'] as const) {
    const v = cal(valRaw, how),
      t = cal(testRaw, how);
    const thr = chooseThreshold(v, valL);
    const band = chooseInconclusiveBand(v, valL, thr);
    const m = binaryMetrics(t, testL, thr);
    nih[how] = {
      threshold: thr,
      band,
      test: {
        accuracy: m.accuracy,
        sensitivity: m.sensitivity,
        specificity: m.specificity,
        rocAuc: m.rocAuc,
        ece: m.ece,
      },
      validationEce: expectedCalibrationError(v, valL),
    };
  }
  log(`[nih] T ${T.toFixed(3)}, Platt a ${platt.a.toFixed(3)} b ${platt.b.toFixed(3)}; ${JSON.stringify(nih)}`);
  // Decisions below on the raw scores with the finalize rule (calibration is monotone: it moves the
  // numbers of the band, not which cells fall in it, except where the grid rounds).
  const thr = chooseThreshold(valRaw, valL);
  const band = chooseInconclusiveBand(valRaw, valL, thr);
  const low99 = recallFloorEdge(valRaw, valL, 0.99);
  const queued = (p: ArrayLike<number>, l: ArrayLike<number>, edge: number, cls: 0 | 1) => {
    let n = 0,
      q = 0;
    for (let i = 0; i < p.length; i++)
      if (l[i] === cls) {
        n++;
        if ((p[i] as number) > edge) q++;
      }
    return n ? q / n : 0;
  };
  const review = {
    low99,
    testRecallAtLow99: queued(testRaw, testL, low99, 1),
    testUninfectedQueuedAtLow99: queued(testRaw, testL, low99, 0),
    bandLow: band.low,
    testRecallAtBandLow: queued(testRaw, testL, band.low, 1),
    testUninfectedQueuedAtBandLow: queued(testRaw, testL, band.low, 0),
  };
  log(`[review] ${JSON.stringify(review)}`);

  // Field crops.
  const fscan = await scanDataset(fieldCropsDir);
  const nonCellDir = path.join(fieldCropsDir, 'NonCell');
  const nonCells: CellRecord[] = (await readdir(nonCellDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.png'))
    .map((f) => ({ file: path.join(nonCellDir, f), name: f, label: 0, patient: /^(C\d+)/.exec(f)?.[1] ?? '?' }));
  const fcells = [...fscan.cells, ...nonCells];
  const ft = await loadCellTensors(fcells, spec, { cacheDir, log });
  const fprobs = predictProbabilities(
    model,
    ft.pixels,
    ft.cells.map((_, i) => i),
    size,
  );
  const fields: Record<string, unknown> = {};
  for (const patient of [...new Set(ft.cells.map((c) => c.patient))].sort()) {
    const pick = (kind: 'Parasitized' | 'Uninfected' | 'NonCell') =>
      ft.cells.flatMap((c, i) => {
        const k = c.file.includes(`${path.sep}NonCell${path.sep}`)
          ? 'NonCell'
          : c.label === 1
            ? 'Parasitized'
            : 'Uninfected';
        return c.patient === patient && k === kind ? [fprobs[i] as number] : [];
      });
    const share = (ps: number[], f: (v: number) => boolean) => ({
      n: ps.filter(f).length,
      of: ps.length,
      share: ps.length ? ps.filter(f).length / ps.length : 0,
    });
    const u = pick('Uninfected'),
      p = pick('Parasitized'),
      nc = pick('NonCell');
    fields[patient] = {
      heldOut: !trainedOn.has(patient),
      uninfected: {
        calledParasitized: share(u, (v) => v >= band.high),
        queuedAtBandLow: share(u, (v) => v > band.low),
        queuedAtLow99: share(u, (v) => v > low99),
      },
      parasitized: {
        calledParasitized: share(p, (v) => v >= band.high),
        queuedAtBandLow: share(p, (v) => v > band.low),
        queuedAtLow99: share(p, (v) => v > low99),
        probabilities: p.map((v) => +v.toFixed(4)),
      },
      nonCell: { probabilities: nc.map((v) => +v.toFixed(4)) },
    };
  }
  log(`[fields] ${JSON.stringify(fields)}`);

  // Synthetic debris, as `npm run debris-sensitivity` (same cells, same seed).
  const testCells = scan.cells.filter((c) => split.patients.test.includes(c.patient));
  const rowOf = new Map(tensors.cells.map((c, i) => [c.file, i]));
  const rand = mulberry32(PROBE_DEBRIS_SEED);
  const per = size * size * 3;
  const debris: Record<string, unknown>[] = [];
  for (const label of [0, 1] as const) {
    const cells = shuffleInPlace(
      testCells.filter((c) => c.label === label),
      rand,
    ).slice(0, 400);
    const clean = new Float32Array(cells.length * per);
    cells.forEach((c, i) => {
      const r = rowOf.get(c.file)!;
      clean.set(tensors.pixels.subarray(r * per, (r + 1) * per), i * per);
    });
    const all = cells.map((_, i) => i);
    const dirty = withProbeDebris(clean, all, size, rand);
    const pc = predictProbabilities(model, clean, all, size),
      pd = predictProbabilities(model, dirty, all, size);
    const sh = (p: Float32Array, f: (v: number) => boolean) => p.filter(f).length / p.length;
    debris.push({
      truth: label ? 'Parasitized' : 'Uninfected',
      cells: cells.length,
      calledParasitized: { clean: sh(pc, (v) => v >= band.high), debris: sh(pd, (v) => v >= band.high) },
      confidentUninfected: { clean: sh(pc, (v) => v <= band.low), debris: sh(pd, (v) => v <= band.low) },
    });
  }
  log(`[debris] ${JSON.stringify(debris)}`);

  // Speed and size.
  const x64 = tf.randomUniform([64, size, size, 3]);
  const x1 = tf.randomUniform([1, size, size, 3]);
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => (model.predict(x64) as tf.Tensor).dataSync());
    tf.tidy(() => (model.predict(x1) as tf.Tensor).dataSync());
  }
  let t0 = performance.now();
  for (let i = 0; i < 10; i++) tf.tidy(() => (model.predict(x64) as tf.Tensor).dataSync());
  const msPerCellBatched = (performance.now() - t0) / 640;
  t0 = performance.now();
  for (let i = 0; i < 50; i++) tf.tidy(() => (model.predict(x1) as tf.Tensor).dataSync());
  const msSingle = (performance.now() - t0) / 50;
  x64.dispose();
  x1.dispose();
  const weightBytes = await dirBytes(modelDir);
  log(
    `[speed] ${msPerCellBatched.toFixed(2)} ms/cell batched, ${msSingle.toFixed(2)} ms single; weights ${weightBytes} B`,
  );

  const card = {
    generatedAt: new Date().toISOString(),
    model: modelDir,
    inputSize: size,
    ttaViews: views,
    splitHash: split.hash,
    calibration: { temperature: T, platt },
    nih,
    review,
    fields,
    trainedOnFields: [...trainedOn],
    debris,
    speed: { msPerCellBatched64: msPerCellBatched, msSingleCell: msSingle, engine: tf.getBackend() },
    weightBytes,
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(card, null, 2) + '\n');
  await writeFile(
    out.replace(/\.json$/, '.scores.json'),
    JSON.stringify({
      validation: idx.validation.map((i, k) => [
        tensors.cells[i]!.name,
        tensors.cells[i]!.label,
        +valRaw[k]!.toFixed(5),
      ]),
      test: idx.test.map((i, k) => [tensors.cells[i]!.name, tensors.cells[i]!.label, +testRaw[k]!.toFixed(5)]),
      fieldCrops: ft.cells.map((c, i) => [path.relative(fieldCropsDir, c.file), c.label, +fprobs[i]!.toFixed(5)]),
    }),
  );
  log(`wrote ${out}`);
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(`[evaluate-candidate] error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
