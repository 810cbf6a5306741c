/**
 * npm run calibrate-model -w training -- --data DIR --model MODEL_DIR --run NAME [--views 1|2] [--seed N]
 *                                       [--runs-dir DIR] [--no-cache]
 * Fits Platt scaling on the VALIDATION patients' cells for a model whose P is the mean over `--views` views
 * (metadata `output.views`; view order as in predict.ts) and writes the model with the scaling folded into its
 * output layer (platt-fold.ts) to runs/NAME/best, plus runs/NAME/calibration.json (a, b, validation NLL and
 * ECE before and after) and a state.json: the source run's (the folder above MODEL_DIR) with `views` and
 * `calibration` added, so that `npm run train -- --data DIR --run NAME --finalize-only` reports and exports
 * it with metadata `output.views`. MODEL_DIR may be a run's `best` or its `last` checkpoint (then the state
 * names the last epoch as the weights' epoch). The test patients are not read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultInputSpec } from '@malaria/contract';
import { parseArgs, str } from '../args.js';
import { fitPlattOverViews, plattOverViews } from '../calibration.js';
import { scanDataset } from '../dataset.js';
import { initEngine } from '../engine.js';
import { expectedCalibrationError } from '../metrics.js';
import { loadModel, saveModel } from '../model-io.js';
import { foldPlattIntoOutput } from '../platt-fold.js';
import { binaryCrossEntropy, meanOfViews, predictViews } from '../predict.js';
import { indicesBySplit, splitByPatient } from '../split.js';
import { readState, type TrainState } from '../train-loop.js';
import { loadCellTensors } from '../tensor-cache.js';

const trainingRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const views = Number(str(args, 'views', '1'));
  if (views !== 1 && views !== 2) throw new Error(`--views must be 1 or 2 (the app runs those), got ${views}`);
  const run = str(args, 'run');
  const modelDir = path.resolve(str(args, 'model'));
  const source = await readState(path.dirname(modelDir));
  if (!source) throw new Error(`no state.json next to ${modelDir}: calibrate the best checkpoint of a training run`);
  if (source.calibration) throw new Error(`${modelDir} is already calibrated (${JSON.stringify(source.calibration)})`);
  const log = (m: string) => console.log(m);
  await initEngine(str(args, 'engine', 'auto') as 'auto', log);
  const model = await loadModel(modelDir);
  const size = model.inputs[0]!.shape[1] as number;
  const scan = await scanDataset(path.resolve(str(args, 'data')));
  // The split seed of the run (train's --seed, default 20261125): calibration must see validation patients only.
  const split = splitByPatient(scan.cells, Number(str(args, 'seed', '20261125')));
  const cacheDir = args['no-cache'] === true ? undefined : path.join(trainingRoot, 'cache');
  const tensors = await loadCellTensors(scan.cells, defaultInputSpec(size), { cacheDir, log });
  const val = indicesBySplit(tensors.cells, split).validation;
  const labels = Uint8Array.from(val, (i) => tensors.cells[i]!.label);

  const perView = predictViews(model, tensors.pixels, val, size, views);
  const { a, b } = fitPlattOverViews(perView, labels);
  const before = meanOfViews(perView);
  const after = Float32Array.from(labels, (_, i) => plattOverViews(perView, i, a, b));
  foldPlattIntoOutput(model, a, b);
  // The folded network must reproduce the fitted numbers (up to float32 rounding).
  const check = meanOfViews(predictViews(model, tensors.pixels, val, size, views));
  const worst = check.reduce((m, p, i) => Math.max(m, Math.abs(p - after[i]!)), 0);
  if (worst > 1e-4) throw new Error(`folded model differs from the fitted calibration by ${worst}`);

  const dir = path.resolve(str(args, 'runs-dir', path.join(trainingRoot, 'runs')), run);
  await mkdir(dir, { recursive: true });
  await saveModel(model, path.join(dir, 'best'));
  const fittedOn = `validation patients of split ${split.hash}: ${val.length} cells, ${views} view(s)`;
  // `from` relative to training/, as it is copied into the shipped metadata.json.
  const from = path.relative(trainingRoot, modelDir);
  // A run's `last` checkpoint (the weights after its final epoch, e.g. an epoch the run's own criterion did
  // not pick) is recorded as the epoch the weights are from, so the report names the right one.
  const fromLast = path.basename(modelDir) === 'last';
  const lastLog = source.history.find((h) => h.epoch === source.epochsDone);
  const weightsOf = fromLast
    ? {
        bestEpoch: source.epochsDone,
        bestValLoss: lastLog?.selectionScore ?? lastLog?.valLoss ?? source.bestValLoss,
        stopReason: `${source.stopReason ?? 'stopped'}; calibrated the weights after epoch ${source.epochsDone} (the run's last checkpoint), not its best`,
      }
    : {};
  const state: TrainState = { ...source, ...weightsOf, views, calibration: { method: 'platt', a, b, fittedOn, from } };
  await writeFile(path.join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  const report = {
    method: 'platt',
    a,
    b,
    views,
    foldedInto: 'the output layer (kernel × a, bias × a + b)',
    fittedOn,
    validation: {
      nll: { before: binaryCrossEntropy(before, labels), after: binaryCrossEntropy(after, labels) },
      ece: { before: expectedCalibrationError(before, labels), after: expectedCalibrationError(after, labels) },
    },
    foldCheckMaxAbsDifference: worst,
    from,
  };
  await writeFile(path.join(dir, 'calibration.json'), JSON.stringify(report, null, 2) + '\n');
  log(
    `[calibrate] a ${a.toFixed(4)}, b ${b.toFixed(4)} over ${views} view(s); validation NLL ${report.validation.nll.before.toFixed(4)} → ${report.validation.nll.after.toFixed(4)}, ECE ${report.validation.ece.before.toFixed(4)} → ${report.validation.ece.after.toFixed(4)}; wrote ${dir}/best`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
