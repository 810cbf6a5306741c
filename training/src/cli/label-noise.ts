/**
 * npm run label-noise -w training -- --data DIR --model MODEL_DIR [--confidence 0.98] [--out reports/issue17/label-noise.json]
 * Label-noise screen of the NIH set: every cell whose label the model contradicts with confidence
 * (labelled Parasitized with P ≤ 1 − c, or Uninfected with P ≥ c), per split and per patient, with the
 * file names so they can be looked at (training/README.md, "Label noise"). On training patients the
 * model has fitted the labels, so contradictions there are a lower bound.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, str } from '../args.js';
import { scanDataset } from '../dataset.js';
import { initEngine } from '../engine.js';
import { loadModel } from '../model-io.js';
import { predictProbabilities } from '../predict.js';
import { indicesBySplit, splitByPatient } from '../split.js';
import { loadCellTensors } from '../tensor-cache.js';
import { defaultInputSpec } from '@malaria/contract';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const model = await (async () => {
    await initEngine('auto', () => {});
    return loadModel(path.resolve(str(args, 'model')));
  })();
  const c = Number(str(args, 'confidence', '0.98'));
  const out = path.resolve(str(args, 'out', path.join('reports', 'issue17', 'label-noise.json')));
  const size = model.inputs[0]!.shape[1] as number;
  const scan = await scanDataset(path.resolve(str(args, 'data')));
  const split = splitByPatient(scan.cells, 20261125);
  const t = await loadCellTensors(scan.cells, defaultInputSpec(size), { cacheDir: path.resolve('cache') });
  const idx = indicesBySplit(t.cells, split);
  const result: Record<string, unknown> = {};
  for (const name of ['train', 'validation', 'test'] as const) {
    const ids = idx[name];
    const p = predictProbabilities(model, t.pixels, ids, size);
    const flagged = ids.flatMap((i, k) => {
      const cell = t.cells[i]!;
      const pk = p[k]!;
      return (cell.label === 1 && pk <= 1 - c) || (cell.label === 0 && pk >= c)
        ? [
            {
              file: cell.name,
              patient: cell.patient,
              label: cell.label ? 'Parasitized' : 'Uninfected',
              p: +pk.toFixed(5),
            },
          ]
        : [];
    });
    const byPatient: Record<string, number> = {};
    for (const f of flagged) byPatient[f.patient] = (byPatient[f.patient] ?? 0) + 1;
    const para = ids.filter((i) => t.cells[i]!.label === 1).length;
    result[name] = {
      cells: ids.length,
      parasitized: para,
      uninfected: ids.length - para,
      parasitizedContradicted: flagged.filter((f) => f.label === 'Parasitized').length,
      uninfectedContradicted: flagged.filter((f) => f.label === 'Uninfected').length,
      byPatient: Object.fromEntries(Object.entries(byPatient).sort((a, b) => b[1] - a[1])),
      flagged,
    };
    console.log(`${name}: ${JSON.stringify({ ...(result[name] as object), flagged: undefined })}`);
  }
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ model: str(args, 'model'), confidence: c, ...result }, null, 1) + '\n');
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(`[label-noise] error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
