import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseModelMetadata } from '@malaria/contract';
import { FIXTURE_CELLS, runCli } from './cli-kit.js';

const fixtures = FIXTURE_CELLS;
const tsx = runCli;

test(
  'smoke: train 1 epoch on fixture cells, export, then evaluate loads the export',
  { timeout: 300_000 },
  async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'malaria-smoke-'));
    const exportDir = path.join(tmp, 'model');
    const train = await tsx('src/cli/train.ts', [
      '--data',
      fixtures,
      '--epochs',
      '1',
      '--input-size',
      '32',
      '--run',
      'smoke',
      '--runs-dir',
      path.join(tmp, 'runs'),
      '--reports-dir',
      path.join(tmp, 'reports'),
      '--export',
      exportDir,
      '--no-cache',
    ]);
    assert.match(train.stdout, /\[engine\] (wasm|tfjs-node|cpu)/, 'logs which engine runs');
    assert.match(train.stdout, /\[train\] epoch 1: loss [\d.]+ acc [\d.]+ \| val_loss [\d.]+ val_acc [\d.]+/);
    assert.match(train.stderr + train.stdout, /epoch 1\/1 .*ETA/, 'progress bar with ETA');

    const meta = parseModelMetadata(JSON.parse(await readFile(path.join(exportDir, 'metadata.json'), 'utf8')));
    assert.equal(meta.input.width, 32);
    assert.equal(meta.input.channelOrder, 'RGB');
    assert.equal(meta.input.resize.method, 'bilinear');
    assert.ok(meta.decision.threshold > 0 && meta.decision.threshold < 1);
    assert.ok(meta.slideVerdict && meta.slideVerdict.minParasitizedCells >= 1);
    for (const k of ['accuracy', 'sensitivity', 'specificity', 'precision', 'f1', 'rocAuc', 'ece', 'confusion']) {
      assert.ok(k in (meta.metrics?.test as Record<string, unknown>), `metrics.test.${k}`);
    }
    assert.ok(typeof meta.training?.engine === 'string' && typeof meta.training?.date === 'string');
    assert.match(String(meta.dataset?.splitHash), /^[0-9a-f]{16}$/);
    assert.ok(String(meta.dataset?.description).length > 10);

    const modelJson = JSON.parse(await readFile(path.join(exportDir, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    for (const p of modelJson.weightsManifest.flatMap((g) => g.paths)) {
      assert.ok((await stat(path.join(exportDir, p))).size < 2 * 1024 * 1024, `${p} under 2 MB`);
    }
    const reports = await readdir(path.join(tmp, 'reports', 'smoke'));
    for (const f of ['report.md', 'metrics.json', 'accuracy.svg', 'loss.svg', 'roc.svg', 'reliability.svg'])
      assert.ok(reports.includes(f), f);

    const csv = path.join(tmp, 'eval.csv');
    const ev = await tsx('src/cli/evaluate.ts', ['--model', exportDir, '--data', fixtures, '--out', csv]);
    assert.match(ev.stdout, /accuracy [\d.]+%.*ROC AUC/);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'file,truth,probability,label');
    assert.equal(lines.length, 1 + 40);
    for (const line of lines.slice(1)) {
      const [, truth, p, label] = line.split(',');
      assert.ok(truth === 'Parasitized' || truth === 'Uninfected');
      assert.ok(Number(p) >= 0 && Number(p) <= 1);
      assert.ok(['Parasitized', 'Uninfected', 'Inconclusive'].includes(label as string));
    }
    const metrics = JSON.parse(await readFile(path.join(tmp, 'eval.metrics.json'), 'utf8')) as {
      images: number;
      accuracy: number;
    };
    assert.equal(metrics.images, 40);
  },
);
