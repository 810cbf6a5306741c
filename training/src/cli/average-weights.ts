/**
 * npm run average-weights -w training -- --data DIR --from MODEL_DIR --to RUN_DIR[,RUN_DIR…] --run NAME
 *                                        [--alphas 0,0.1,…,1] [--seed 20261125]
 * Weight-space average of a model (`--from`, e.g. runs/cnn64/best) and a debris fine-tune of it
 * (`--to`, a run directory: its best checkpoint and its training history; several runs fine-tuned from
 * the same model are first averaged uniformly, a "model soup"). Each α of the grid
 * is scored on the VALIDATION patients only: mean cross-entropy on the clean cells and on the same cells
 * with synthetic debris (DEFAULT_DEBRIS, the measured real-debris colours and shapes, 1–2 marks each —
 * one fixed yardstick, whatever debris the fine-tune was trained with). The best α's weights are written as run NAME's
 * best checkpoint, with a state.json recording the grid, so that
 *   npm run train -w training -- --data DIR --run NAME --finalize-only [--export DIR]
 * writes its report and exports it like any trained run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { int, parseArgs, str } from '../args.js';
import { DEFAULT_DEBRIS, PROBE_DEBRIS_SEED, withProbeDebris } from '../augment.js';
import { scanDataset } from '../dataset.js';
import { initEngine, type EngineName } from '../engine.js';
import { loadModel, saveModel } from '../model-io.js';
import { predictProbabilities } from '../predict.js';
import { mulberry32 } from '../rng.js';
import { indicesBySplit, splitByPatient } from '../split.js';
import { loadCellTensors } from '../tensor-cache.js';
import { bestModelDir, readState, type TrainState } from '../train-loop.js';
import { applyInterpolation, chooseAlpha, scoreAlpha, type AlphaScore } from '../weight-average.js';
import { defaultInputSpec } from '@malaria/contract';

const trainingRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const fromDir = path.resolve(str(args, 'from'));
  const toRuns = str(args, 'to')
    .split(',')
    .map((p) => path.resolve(p));
  const toRun = toRuns[0]!;
  const runName = str(args, 'run');
  const runDir = path.resolve(str(args, 'runs-dir', path.join(trainingRoot, 'runs')), runName);
  const alphas = str(args, 'alphas', '0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1').split(',').map(Number);
  if (alphas.some((a) => !(a >= 0 && a <= 1))) throw new Error(`--alphas must lie in [0, 1]: ${alphas.join(',')}`);
  const log = (m: string) => console.log(m);
  await initEngine(str(args, 'engine', 'auto') as EngineName | 'auto', log);

  const toStates = await Promise.all(toRuns.map(readState));
  const missing = toRuns.filter((_, k) => !toStates[k]);
  if (missing.length)
    throw new Error(`--to ${missing.join(', ')}: no state.json (training run directories are expected)`);
  const toState = toStates[0]!;
  const from = await loadModel(fromDir);
  const to = await loadModel(bestModelDir(toRun));
  if (toRuns.length > 1) {
    // Uniform soup of the fine-tunes: running mean, one model at a time.
    for (let k = 1; k < toRuns.length; k++) {
      const next = await loadModel(bestModelDir(toRuns[k]!));
      applyInterpolation(to, to, next, 1 / (k + 1));
      next.dispose();
    }
    log(
      `[average] fine-tuned end point: uniform average of ${toRuns.map((r) => path.relative(trainingRoot, r)).join(', ')}`,
    );
  }
  const mixed = await loadModel(bestModelDir(toRun));
  const size = from.inputs[0]?.shape[1];
  if (typeof size !== 'number' || size !== to.inputs[0]?.shape[1])
    throw new Error('--from and --to have different input sizes');

  const scan = await scanDataset(path.resolve(str(args, 'data')));
  const split = splitByPatient(scan.cells, int(args, 'seed', 20261125));
  const tensors = await loadCellTensors(scan.cells, defaultInputSpec(size), {
    cacheDir: path.join(trainingRoot, 'cache'),
    log,
  });
  const val = indicesBySplit(tensors.cells, split).validation;
  const labels = Uint8Array.from(val, (i) => tensors.cells[i]!.label);
  const withDebris = withProbeDebris(tensors.pixels, val, size, mulberry32(PROBE_DEBRIS_SEED));
  log(
    `[average] ${val.length} validation cells (split ${split.hash}); debris probe ${JSON.stringify({ ...DEFAULT_DEBRIS, maxMarks: 2 })}`,
  );

  const scores: AlphaScore[] = [];
  for (const alpha of alphas) {
    applyInterpolation(mixed, from, to, alpha);
    const s = scoreAlpha(
      alpha,
      predictProbabilities(mixed, tensors.pixels, val, size),
      predictProbabilities(
        mixed,
        withDebris,
        val.map((_, k) => k),
        size,
      ),
      labels,
    );
    scores.push(s);
    log(
      `[average] α ${alpha.toFixed(2)}: validation loss clean ${s.cleanLoss.toFixed(4)}, with debris ${s.debrisLoss.toFixed(4)} → score ${s.score.toFixed(4)}`,
    );
  }
  const best = chooseAlpha(scores);
  log(`[average] chosen α ${best.alpha} (lowest mean of clean and debris validation loss)`);
  applyInterpolation(mixed, from, to, best.alpha);
  await mkdir(runDir, { recursive: true });
  await saveModel(mixed, bestModelDir(runDir));
  const state: TrainState = {
    ...toState,
    bestValLoss: best.cleanLoss,
    finished: true,
    stopReason: `weight average: ${best.alpha} × mean(${toRuns.map((r) => path.relative(trainingRoot, r)).join(', ')}) + ${(1 - best.alpha).toFixed(2)} × ${path.relative(trainingRoot, fromDir)}`,
    weightAverage: { from: fromDir, to: toRuns, alpha: best.alpha, scores },
  };
  await writeFile(path.join(runDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  log(
    `[average] wrote ${bestModelDir(runDir)} and state.json; next: npm run train -w training -- --data … --run ${runName} --finalize-only`,
  );
  for (const m of [from, to, mixed]) m.dispose();
}

main().catch((err: unknown) => {
  console.error(`[average-weights] error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
