import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseModelMetadata, viewCountOf } from '@malaria/contract';
import { meanOverViews, predictOverViews, withViews } from '@malaria/contract/model-views';
import { dihedral } from '../src/augment.js';
import { applyPlatt, fitPlattOverViews, plattOverViews } from '../src/calibration.js';
import { scanDataset } from '../src/dataset.js';
import { binaryMetrics, chooseThreshold } from '../src/metrics.js';
import { loadModel } from '../src/model-io.js';
import { indicesBySplit, splitByPatient } from '../src/split.js';
import { loadCellTensors } from '../src/tensor-cache.js';
import { buildModel } from '../src/model.js';
import { foldPlattIntoOutput } from '../src/platt-fold.js';
import { DIHEDRAL_VIEW_ORDER, predictDihedralMean, predictProbabilities, predictViews } from '../src/predict.js';
import { mulberry32 } from '../src/rng.js';
import type { TrainState } from '../src/train-loop.js';
import { FIXTURE_CELLS, runCli } from './cli-kit.js';

const size = 32;
const per = size * size * 3;

function randomCells(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n * per }, () => rand());
}

test("the contract's second view is training's DIHEDRAL_VIEW_ORDER[1], pixel for pixel", () => {
  const pixels = randomCells(3, 5);
  const x = tf.tensor4d(pixels, [3, size, size, 3]);
  const before = tf.memory().numTensors;
  const views = withViews(x, 2);
  const got = views.dataSync();
  views.dispose();
  assert.equal(tf.memory().numTensors, before, 'withViews leaves only its result, which is freed');
  x.dispose();
  assert.equal(got.length, 2 * pixels.length);
  assert.deepEqual([...got.subarray(0, pixels.length)], [...pixels], 'view 0 is the batch as given');
  for (let c = 0; c < 3; c++) {
    const turned = new Float32Array(per);
    dihedral(pixels.subarray(c * per, (c + 1) * per), turned, size, DIHEDRAL_VIEW_ORDER[1]);
    const off = pixels.length + c * per;
    assert.deepEqual([...got.subarray(off, off + per)], [...turned], `cell ${c} turned as training turns it`);
  }
  assert.throws(() => withViews(tf.zeros([1, 4, 6, 3]) as tf.Tensor4D, 2), /square/);
});

test("the app's P over views (predictOverViews) is training's dihedral mean; one view is the plain P", () => {
  const model = buildModel({ inputSize: size, filters: [4, 4, 4, 4], seed: 9 });
  const pixels = randomCells(4, 17);
  const idx = [0, 1, 2, 3];
  const x = tf.tensor4d(pixels, [4, size, size, 3]);
  const before = tf.memory().numTensors;
  const app2 = predictOverViews(x, 2, (v) => model.predict(v) as tf.Tensor);
  const app1 = predictOverViews(x, 1, (v) => model.predict(v) as tf.Tensor);
  const two = app2.dataSync(),
    one = app1.dataSync();
  tf.dispose([app2, app1]);
  assert.equal(tf.memory().numTensors, before, 'no tensor left');
  x.dispose();
  const train2 = predictDihedralMean(model, pixels, idx, size, 2);
  const train1 = predictProbabilities(model, pixels, idx, size);
  idx.forEach((i) => {
    assert.ok(Math.abs(two[i]! - train2[i]!) < 1e-6, `cell ${i}: app ${two[i]} vs training ${train2[i]}`);
    assert.ok(Math.abs(one[i]! - train1[i]!) < 1e-6);
  });
  assert.ok(
    idx.some((i) => Math.abs(two[i]! - one[i]!) > 1e-6),
    'a random network is not rotation-invariant: two views differ from one',
  );
  const m = meanOverViews(tf.tensor1d([0.2, 0.4, 0.6, 1.0]), 2);
  assert.deepEqual(
    [...m.dataSync()].map((v) => Number(v.toFixed(6))),
    [0.4, 0.7],
  );
  m.dispose();
  model.dispose();
});

test('Platt folded into the output layer gives σ(a·logit(P) + b) on every view', () => {
  const model = buildModel({ inputSize: size, filters: [4, 4, 4, 4], seed: 4 });
  const pixels = randomCells(6, 23);
  const idx = [0, 1, 2, 3, 4, 5];
  const before = predictViews(model, pixels, idx, size, 2);
  foldPlattIntoOutput(model, 1.7, -0.4);
  const after = predictViews(model, pixels, idx, size, 2);
  for (let v = 0; v < 2; v++)
    idx.forEach((i) => {
      const want = applyPlatt(before[v]![i]!, 1.7, -0.4);
      assert.ok(Math.abs(after[v]![i]! - want) < 1e-5, `view ${v} cell ${i}: ${after[v]![i]} vs ${want}`);
    });
  assert.throws(() => foldPlattIntoOutput(model, 0, 1), /a > 0/);
  model.dispose();
});

test('Platt over views recovers the scaling that generated the labels', () => {
  // Two views of a latent score; labels drawn from mean_v σ(a·z_v + b) with a = 2, b = 0.5.
  const rand = mulberry32(31);
  const n = 6000;
  const z = Float64Array.from({ length: n }, () => (rand() - 0.5) * 6);
  const views = [0, 1].map(() => Float64Array.from(z, (v) => 1 / (1 + Math.exp(-(v + (rand() - 0.5))))));
  const labels = Uint8Array.from({ length: n }, (_, i) => (rand() < plattOverViews(views, i, 2, 0.5) ? 1 : 0));
  const { a, b } = fitPlattOverViews(views, labels);
  assert.ok(Math.abs(a - 2) < 0.25 && Math.abs(b - 0.5) < 0.2, `fitted (${a}, ${b})`);
  assert.throws(() => fitPlattOverViews([views[0]!, views[1]!.subarray(1)], labels), /one score per cell/);
});

const fixtures = FIXTURE_CELLS;

test(
  'calibrate-model --views 2 then finalize: metadata output.views 2, the folded model, thresholds on two-view P',
  { timeout: 300_000 },
  async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'malaria-views-'));
    const runs = path.join(tmp, 'runs');
    const tsx = runCli;
    const common = ['--data', fixtures, '--no-cache', '--runs-dir', runs, '--reports-dir', path.join(tmp, 'reports')];
    await tsx('src/cli/train.ts', [...common, '--input-size', '24', '--epochs', '1', '--run', 'base', '--no-export']);
    const cal = await tsx('src/cli/calibrate-model.ts', [
      ...common,
      '--model',
      path.join(runs, 'base', 'best'),
      '--run',
      'base-cal',
      '--views',
      '2',
    ]);
    assert.match(cal.stdout, /\[calibrate\] a [\d.]+, b -?[\d.]+ over 2 view\(s\)/);
    const state = JSON.parse(await readFile(path.join(runs, 'base-cal', 'state.json'), 'utf8')) as TrainState;
    assert.equal(state.views, 2);
    assert.equal(state.calibration?.method, 'platt');
    const { a, b } = state.calibration!;

    // The folded checkpoint is the base one with σ(a·logit + b) on each view.
    const base = await loadModel(path.join(runs, 'base', 'best'));
    const folded = await loadModel(path.join(runs, 'base-cal', 'best'));
    const pixels = randomCells(3, 41).map((v) => v * 0.8);
    const p0 = predictViews(base, pixels.subarray(0, 3 * 24 * 24 * 3), [0, 1, 2], 24, 2);
    const p1 = predictViews(folded, pixels.subarray(0, 3 * 24 * 24 * 3), [0, 1, 2], 24, 2);
    for (let v = 0; v < 2; v++)
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(p1[v]![i]! - applyPlatt(p0[v]![i]!, a, b)) < 1e-4);

    await assert.rejects(
      tsx('src/cli/calibrate-model.ts', [...common, '--model', path.join(runs, 'base-cal', 'best'), '--run', 'x']),
      /already calibrated/,
    );

    const exportDir = path.join(tmp, 'model');
    await tsx('src/cli/train.ts', [
      ...common,
      '--input-size',
      '24',
      '--run',
      'base-cal',
      '--finalize-only',
      '--export',
      exportDir,
    ]);
    const meta = parseModelMetadata(JSON.parse(await readFile(path.join(exportDir, 'metadata.json'), 'utf8')));
    assert.equal(viewCountOf(meta), 2);
    assert.match(meta.output.meaning, /averaged over output\.views views/);
    assert.deepEqual((meta.training?.['calibration'] as { a: number }).a, a);
    // The decision and metrics were chosen on the two-view P: recompute them from the exported model.
    const scan = await scanDataset(fixtures);
    const cells = await loadCellTensors(scan.cells, meta.input, {});
    const idx = indicesBySplit(cells.cells, splitByPatient(scan.cells, 20261125));
    const exported = await loadModel(exportDir);
    const valP = predictDihedralMean(exported, cells.pixels, idx.validation, 24, 2);
    const valL = Uint8Array.from(idx.validation, (i) => cells.cells[i]!.label);
    assert.equal(meta.decision.threshold, chooseThreshold(valP, valL));
    const val = meta.metrics?.['validation'] as { accuracy: number; rocAuc: number };
    assert.ok(Math.abs(val.accuracy - binaryMetrics(valP, valL, meta.decision.threshold).accuracy) < 1e-9);
    exported.dispose();
    const report = await readFile(path.join(tmp, 'reports', 'base-cal', 'report.md'), 'utf8');
    assert.match(report, /2 views per cell/);
    assert.match(report, /Platt scaling folded into the output layer/);
    base.dispose();
    folded.dispose();
  },
);
