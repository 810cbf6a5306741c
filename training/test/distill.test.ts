import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { dihedral } from '../src/augment.js';
import { cachedTeacherScores, softTargets, teacherDigest, teacherScores } from '../src/distill.js';
import { saveModel } from '../src/model-io.js';
import { buildModel } from '../src/model.js';
import { DIHEDRAL_VIEW_ORDER, predictDihedralMean, predictProbabilities } from '../src/predict.js';
import { mulberry32 } from '../src/rng.js';
import type { TrainState } from '../src/train-loop.js';
import { FIXTURE_CELLS, runCli } from './cli-kit.js';

const size = 32; // four 2× poolings leave 2×2, so a view changes what the network sees
const per = size * size * 3;

function randomCells(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n * per }, () => rand());
}

test('soft targets mix the label and the teacher by the weight, and refuse unscored cells', () => {
  const labels = Uint8Array.from([1, 0, 1, 0]);
  const teacher = Float32Array.from([0.9, 0.2, Number.NaN, 0.6]);
  assert.deepEqual([...softTargets([0, 1, 3], labels, teacher, 0)], [1, 0, 0]);
  const full = softTargets([0, 1, 3], labels, teacher, 1);
  [0.9, 0.2, 0.6].forEach((want, k) => assert.ok(Math.abs((full[k] as number) - want) < 1e-6));
  const mixed = softTargets([3, 0], labels, teacher, 0.7);
  assert.ok(Math.abs((mixed[0] as number) - 0.42) < 1e-6, `0.3·0 + 0.7·0.6, got ${mixed[0]}`);
  assert.ok(Math.abs((mixed[1] as number) - 0.93) < 1e-6, `0.3·1 + 0.7·0.9, got ${mixed[1]}`);
  assert.throws(() => softTargets([2], labels, teacher, 0.5), /no teacher score/);
  // from hardFrom on (the --extra field crops) the label alone, scored or not
  assert.deepEqual([...softTargets([2, 3], labels, teacher, 0.7, 2)], [1, 0]);
  assert.ok(Math.abs((softTargets([1], labels, teacher, 0.7, 2)[0] as number) - 0.14) < 1e-6);
  assert.throws(() => softTargets([0], labels, teacher, 1.5), /weight/);
});

test('dihedral mean: 1 view is the plain prediction, 4 views the mean over hand-turned copies, no tensor left', () => {
  const model = buildModel({ inputSize: size, filters: [4, 4, 4, 4], seed: 3 });
  const pixels = randomCells(5, 11);
  const idx = [4, 0, 2];
  const before = tf.memory().numTensors;
  const plain = predictProbabilities(model, pixels, idx, size);
  assert.deepEqual([...predictDihedralMean(model, pixels, idx, size, 1)], [...plain]);
  const four = predictDihedralMean(model, pixels, idx, size, 4);
  idx.forEach((cell, n) => {
    let sum = 0;
    for (const k of DIHEDRAL_VIEW_ORDER.slice(0, 4)) {
      const turned = new Float32Array(per);
      dihedral(pixels.subarray(cell * per, (cell + 1) * per), turned, size, k);
      sum += predictProbabilities(model, turned, [0], size)[0] as number;
    }
    assert.ok(Math.abs((four[n] as number) - sum / 4) < 1e-5, `cell ${cell}: ${four[n]} vs ${sum / 4}`);
  });
  // A random network is not rotation-invariant, so 4 views must differ from 1 somewhere.
  assert.ok(
    idx.some((_, n) => Math.abs((four[n] as number) - (plain[n] as number)) > 1e-6),
    'the views were averaged',
  );
  assert.throws(() => predictDihedralMean(model, pixels, idx, size, 9), /views/);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

test('teacher scores cover exactly the asked cells (duplicates allowed), NaN elsewhere', () => {
  const model = buildModel({ inputSize: size, filters: [4, 4, 4, 4], seed: 5 });
  const pixels = randomCells(6, 2);
  const scores = teacherScores(model, pixels, 6, [1, 4, 1], size, 2);
  const want = predictDihedralMean(model, pixels, [1, 4], size, 2);
  assert.equal(scores.length, 6);
  assert.ok(Math.abs((scores[1] as number) - (want[0] as number)) < 1e-6);
  assert.ok(Math.abs((scores[4] as number) - (want[1] as number)) < 1e-6);
  for (const i of [0, 2, 3, 5]) assert.ok(Number.isNaN(scores[i]), `cell ${i} not scored`);
  model.dispose();
});

test('cached teacher scores: the second call reads the cache, other pixels are scored afresh', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'malaria-teacher-'));
  const model = buildModel({ inputSize: size, filters: [4, 4, 4, 4], seed: 9 });
  await saveModel(model, path.join(tmp, 'teacher'));
  const options = { teacher: path.join(tmp, 'teacher'), weight: 0.7, views: 2 };
  const pixels = randomCells(4, 3);
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const first = await cachedTeacherScores(options, pixels, 4, [0, 2], size, path.join(tmp, 'cache'), log);
  assert.equal(logs.length, 0);
  const second = await cachedTeacherScores(options, pixels, 4, [0, 2], size, path.join(tmp, 'cache'), log);
  assert.match(logs[0] ?? '', /teacher scores from cache/);
  assert.deepEqual([...second].map(String), [...first].map(String));
  const want = teacherScores(model, pixels, 4, [0, 2], size, 2);
  assert.ok(Math.abs((first[2] as number) - (want[2] as number)) < 1e-6);
  await cachedTeacherScores({ ...options, views: 4 }, pixels, 4, [0, 2], size, path.join(tmp, 'cache'), log);
  assert.equal(logs.length, 1, 'other views are not served from the cache');
  await cachedTeacherScores(options, pixels, 4, [0, 1], size, path.join(tmp, 'cache'), log);
  assert.equal(logs.length, 1, 'other cells are not served from the cache');
  pixels[2 * per] = 1 - (pixels[2 * per] as number);
  await cachedTeacherScores(options, pixels, 4, [0, 2], size, path.join(tmp, 'cache'), log);
  assert.equal(logs.length, 1, 'changed pixels are not served from the cache');
  model.dispose();
});

const fixtures = FIXTURE_CELLS;

test(
  'train --distill-from --select-on clean+debris: soft targets from a saved teacher, checkpoint chosen on both losses',
  { timeout: 300_000 },
  async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'malaria-distill-'));
    const common = ['--data', fixtures, '--input-size', '24', '--no-cache', '--no-export'];
    const dirs = ['--runs-dir', path.join(tmp, 'runs'), '--reports-dir', path.join(tmp, 'reports')];
    const tsx = (args: string[]) => runCli('src/cli/train.ts', args);
    await tsx([...common, ...dirs, '--epochs', '1', '--run', 'teacher']);
    const teacher = path.join(tmp, 'runs', 'teacher', 'best');
    const student = await tsx([
      ...common,
      ...dirs,
      '--epochs',
      '2',
      '--run',
      'student',
      '--init-from',
      teacher,
      '--distill-from',
      teacher,
      '--distill-weight',
      '0.6',
      '--distill-views',
      '2',
      '--debris',
      '0.5',
      '--select-on',
      'clean+debris',
      '--lr',
      '3e-4',
    ]);
    assert.match(
      student.stdout,
      /distilling from .*teacher.best: target = 0\.40·label \+ 0\.60·P_teacher \(mean of 2 views/,
    );
    assert.match(student.stdout, /best checkpoint chosen on clean\+debris/);
    assert.match(
      student.stdout,
      /epoch 1: loss [\d.]+ \| val_loss [\d.]+ val_acc [\d.]+ val_debris_loss [\d.]+ score [\d.]+/,
    );
    const state = JSON.parse(await readFile(path.join(tmp, 'runs', 'student', 'state.json'), 'utf8')) as TrainState;
    assert.deepEqual(
      { ...state.distill, teacherDigest: undefined },
      { teacher, weight: 0.6, views: 2, teacherDigest: undefined },
    );
    assert.equal(state.distill?.teacherDigest, await teacherDigest(teacher));
    assert.equal(state.selectOn, 'clean+debris');
    for (const e of state.history) {
      assert.ok(Number.isFinite(e.valDebrisLoss), `epoch ${e.epoch} has a debris loss`);
      assert.ok(Math.abs((e.selectionScore as number) - (e.valLoss + (e.valDebrisLoss as number)) / 2) < 1e-9);
      assert.equal(e.accuracy, null, 'no training class accuracy against soft targets');
    }
    const best = state.history.find((e) => e.epoch === state.bestEpoch);
    assert.equal(state.bestValLoss, best?.selectionScore);
    const report = await readFile(path.join(tmp, 'reports', 'student', 'report.md'), 'utf8');
    assert.match(report, /mean of clean and debris-probe validation loss/);

    await assert.rejects(
      tsx([...common, ...dirs, '--run', 'bad', '--distill-from', teacher, '--distill-weight', '2']),
      /--distill-weight must be in \[0, 1\]/,
    );
    await assert.rejects(
      tsx([...common, ...dirs, '--run', 'bad', '--distill-from', teacher, '--distill-views', '2.5']),
      /--distill-views must be 1–8/,
    );

    // A resumed run refuses a teacher whose files changed since it started.
    const other = path.join(tmp, 'runs', 'student', 'best');
    await cp(other, teacher, { recursive: true, force: true });
    await assert.rejects(
      tsx([...common, ...dirs, '--epochs', '3', '--run', 'student', '--resume']),
      /the teacher .* changed since this run started/,
    );
  },
);
