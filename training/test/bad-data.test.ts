import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { scanDataset } from '../src/dataset.js';
import { loadCellTensors } from '../src/tensor-cache.js';
import { defaultInputSpec } from '@malaria/contract';
import { FIXTURE_CELLS } from './cli-kit.js';

const fixtures = FIXTURE_CELLS;

async function tempDataset(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'malaria-bad-'));
  for (const cls of ['Parasitized', 'Uninfected']) {
    await mkdir(path.join(dir, cls));
    const names = (await readdir(path.join(fixtures, cls))).slice(0, 3);
    for (const n of names) await copyFile(path.join(fixtures, cls, n), path.join(dir, cls, n));
  }
  return dir;
}

test('missing data folder and missing class folder give errors naming the path', async () => {
  await assert.rejects(scanDataset('/nonexistent/cells'), /data folder not found: \/nonexistent\/cells/);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'malaria-missing-'));
  await mkdir(path.join(dir, 'Parasitized'));
  await writeFile(path.join(dir, 'Parasitized', 'C1_a.png'), 'x');
  await assert.rejects(
    scanDataset(dir),
    (err: Error) => err.message.includes(path.join(dir, 'Uninfected')) && /missing class folder/.test(err.message),
  );
});

test('an empty class folder is an error naming the folder', async () => {
  const dir = await tempDataset();
  const empty = path.join(dir, 'Uninfected');
  for (const f of await readdir(empty)) await (await import('node:fs/promises')).rm(path.join(empty, f));
  await assert.rejects(scanDataset(dir), (err: Error) => err.message.includes(empty) && /no images/.test(err.message));
});

test('NIH zip layout (DIR/cell_images/...) is found', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'malaria-zip-'));
  const inner = path.join(dir, 'cell_images');
  await mkdir(inner);
  for (const cls of ['Parasitized', 'Uninfected']) {
    await mkdir(path.join(inner, cls));
    const n = (await readdir(path.join(fixtures, cls)))[0] as string;
    await copyFile(path.join(fixtures, cls, n), path.join(inner, cls, n));
  }
  await writeFile(path.join(inner, 'Parasitized', 'Thumbs.db'), 'junk');
  const scan = await scanDataset(dir);
  assert.equal(scan.root, inner);
  assert.equal(scan.cells.length, 2);
});

test('an unreadable image is skipped with a warning naming the file; the rest load', async () => {
  await tf.setBackend('cpu');
  const dir = await tempDataset();
  const bad = path.join(dir, 'Parasitized', 'C999P1thinF_broken_cell_1.png');
  await writeFile(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]));
  const scan = await scanDataset(dir);
  assert.equal(scan.cells.length, 7);
  const warnings: string[] = [];
  const spec = defaultInputSpec(16);
  const out = await loadCellTensors(scan.cells, spec, { warn: (m) => warnings.push(m) });
  assert.equal(out.cells.length, 6);
  assert.equal(out.pixels.length, 6 * 16 * 16 * 3);
  assert.equal(out.skipped.length, 1);
  assert.ok(
    warnings.some((w) => w.includes(bad) && /warning/.test(w)),
    warnings.join('\n'),
  );
  assert.ok(!out.cells.some((c) => c.file === bad));
});
