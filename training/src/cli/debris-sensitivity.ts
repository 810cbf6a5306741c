/**
 * npm run debris-sensitivity -w training -- --data DIR [--model ../public/model] [--per-class 400]
 *                                           [--out reports/debris-sensitivity.json]
 * How much synthetic stain debris (the training augmentation's rods and specks) moves a model's
 * calls, on cells of the TEST patients only: per class, the share called Parasitized
 * (P ≥ the model's inconclusive-band top) and confidently Uninfected (P ≤ the band bottom), clean vs
 * with 1–2 debris marks. A debris-invariant model shows the same numbers in both columns.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { int, parseArgs, str } from '../args.js';
import { PROBE_DEBRIS_SEED, withProbeDebris } from '../augment.js';
import { scanDataset } from '../dataset.js';
import { initEngine } from '../engine.js';
import { loadModel } from '../model-io.js';
import { predictDihedralMean } from '../predict.js';
import { mulberry32, shuffleInPlace } from '../rng.js';
import { cellsOfSplit, splitByPatient } from '../split.js';
import { preprocessFile } from '../tensor-cache.js';
import { parseModelMetadata, viewCountOf } from '@malaria/contract';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = path.resolve(str(args, 'model', path.join('..', 'public', 'model')));
  const perClass = int(args, 'per-class', 400);
  const out = path.resolve(str(args, 'out', path.join('reports', 'debris-sensitivity.json')));
  await initEngine(str(args, 'engine', 'auto') as 'auto', (m) => console.log(m));
  const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const { low, high } = metadata.decision.inconclusive;
  const size = metadata.input.width;
  const model = await loadModel(modelDir);
  const scan = await scanDataset(path.resolve(str(args, 'data')));
  const test = cellsOfSplit(
    scan.cells,
    splitByPatient(scan.cells, typeof metadata.dataset?.splitSeed === 'number' ? metadata.dataset.splitSeed : 20261125),
    'test',
  );
  const rand = mulberry32(PROBE_DEBRIS_SEED);
  const rows = [];
  for (const label of [0, 1] as const) {
    const cells = shuffleInPlace(
      test.filter((c) => c.label === label),
      rand,
    ).slice(0, perClass);
    const clean = new Float32Array(cells.length * size * size * 3);
    for (let i = 0; i < cells.length; i++)
      clean.set(await preprocessFile(cells[i]!.file, metadata.input), i * size * size * 3);
    const all = cells.map((_, i) => i);
    const dirty = withProbeDebris(clean, all, size, rand);
    const share = (p: Float32Array, f: (v: number) => boolean) => p.filter(f).length / p.length;
    // P as the app computes it: the mean over the model's views (metadata output.views).
    const pc = predictDihedralMean(model, clean, all, size, viewCountOf(metadata)),
      pd = predictDihedralMean(model, dirty, all, size, viewCountOf(metadata));
    const row = {
      truth: label === 1 ? 'Parasitized' : 'Uninfected',
      cells: cells.length,
      calledParasitized: { clean: share(pc, (v) => v >= high), debris: share(pd, (v) => v >= high) },
      confidentUninfected: { clean: share(pc, (v) => v <= low), debris: share(pd, (v) => v <= low) },
    };
    rows.push(row);
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    console.log(
      `${row.truth.padEnd(11)} n=${row.cells}: called Parasitized ${pct(row.calledParasitized.clean)} clean → ${pct(row.calledParasitized.debris)} with debris; ` +
        `confidently Uninfected ${pct(row.confidentUninfected.clean)} → ${pct(row.confidentUninfected.debris)}`,
    );
  }
  model.dispose();
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), model: modelDir, createdAt: metadata.createdAt, band: { low, high }, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(`[debris-sensitivity] error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
