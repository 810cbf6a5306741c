/**
 * npm run train -- --data DIR [--epochs N] [--input-size S] [--batch B] [--run NAME] [--resume]
 *                  [--export DIR] [--max-steps N] [--engine auto|wasm|cpu|tfjs-node]
 *                  [--init-from MODEL_DIR] [--lr X] [--patience N] [--debris PROBABILITY] [--debris-specks SHARE]
 *                  [--extra DIR --extra-patients C92,C12 --extra-repeat N]
 *                  [--distill-from MODEL_DIR --distill-weight W --distill-views N] [--select-on clean|clean+debris]
 * (--extra: more TRAINING-ONLY cells (e.g. the field crops of `npm run extract:field-crops`, DIR/Parasitized and
 *  DIR/Uninfected), outside the patient split, optionally only those of --extra-patients, each repeated
 *  --extra-repeat times per epoch (default 4); validation and test stay the NIH patients.
 *  --exclude-flagged reports/issue17/label-noise.json: drop the training cells a label-noise screen flagged.
 *  --finalize-only: skip training; evaluate/export the run's best checkpoint so far.
 *  --init-from: fine-tune from a saved layers model instead of a fresh initialisation.
 *  --debris: share of training cells that get synthetic stain debris, both classes; default 0.
 *  --debris-specks: share of debris marks drawn as tiny specks instead of rods; default DEFAULT_DEBRIS's.
 *  --distill-from: soft targets (1 − W)·label + W·P_teacher, P_teacher the model's mean over N dihedral views
 *   of the clean cell (src/distill.ts); --distill-weight default 0.7, --distill-views default 8. --extra cells
 *   keep their hard labels.
 *  --select-on clean+debris: keep the checkpoint with the lowest mean of the clean and the debris-probe
 *   validation loss (as average-weights chooses α) instead of the clean validation loss alone.)
 * Trains on a patient-level split, then evaluates on the test patients, writes
 * training/reports/<run>/ and exports the model + metadata.json (default ../public/model).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, int, str } from '../args.js';
import { scanDataset } from '../dataset.js';
import { initEngine, type EngineName } from '../engine.js';
import { indicesBySplit, splitByPatient } from '../split.js';
import { loadCellTensors } from '../tensor-cache.js';
import { readState, train } from '../train-loop.js';
import { defaultInputSpec } from '@malaria/contract';
import { DEFAULT_AUGMENT, DEFAULT_DEBRIS, type AugmentOptions } from '../augment.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainingRoot = path.resolve(here, '..', '..');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(str(args, 'data'));
  const inputSize = int(args, 'input-size', 64);
  const runName = str(args, 'run', `cnn${inputSize}`);
  const runDir = path.resolve(str(args, 'runs-dir', path.join(trainingRoot, 'runs')), runName);
  const reportDir = path.resolve(str(args, 'reports-dir', path.join(trainingRoot, 'reports')), runName);
  const exportDir =
    args['no-export'] === true
      ? null
      : path.resolve(str(args, 'export', path.join(trainingRoot, '..', 'public', 'model')));
  const seed = int(args, 'seed', 20261125);
  const log = (m: string) => console.log(m);

  const engine = await initEngine(str(args, 'engine', 'auto') as EngineName | 'auto', log);
  const scan = await scanDataset(dataDir);
  for (const w of scan.warnings) console.warn(`[data] warning: ${w}`);
  const split = splitByPatient(scan.cells, seed);
  log(
    `[data] ${scan.cells.length} cells, ${new Set(scan.cells.map((c) => c.patient)).size} patients from ${scan.root}`,
  );
  log(
    `[split] patients train ${split.patients.train.length} / validation ${split.patients.validation.length} / test ${split.patients.test.length} (hash ${split.hash})`,
  );

  const spec = defaultInputSpec(inputSize);
  const cacheDir = args['no-cache'] === true ? undefined : path.join(trainingRoot, 'cache');
  const tensors = await loadCellTensors(scan.cells, spec, { cacheDir, log });
  const idx = indicesBySplit(tensors.cells, split);
  let extraFrom: number | undefined;
  if (typeof args.extra === 'string') {
    const extraScan = await scanDataset(path.resolve(args.extra));
    const keep = typeof args['extra-patients'] === 'string' ? new Set(args['extra-patients'].split(',')) : null;
    const extraCells = extraScan.cells.filter((c) => !keep || keep.has(c.patient));
    const extra = await loadCellTensors(extraCells, spec, { cacheDir, log });
    const repeat = int(args, 'extra-repeat', 4);
    const base = tensors.cells.length;
    extraFrom = base;
    const merged = new Float32Array(tensors.pixels.length + extra.pixels.length);
    merged.set(tensors.pixels);
    merged.set(extra.pixels, tensors.pixels.length);
    tensors.pixels = merged;
    tensors.cells = [...tensors.cells, ...extra.cells];
    for (let r = 0; r < repeat; r++) extra.cells.forEach((_, i) => idx.train.push(base + i));
    const nPara = extra.cells.filter((c) => c.label === 1).length;
    log(
      `[data] extra training cells from ${extraScan.root}${keep ? ` (patients ${[...keep].join(',')})` : ''}: ${extra.cells.length} (${nPara} Parasitized), ×${repeat} per epoch`,
    );
  }
  if (typeof args['exclude-flagged'] === 'string') {
    // Label-noise screen (npm run label-noise): drop the TRAINING cells it flagged; validation/test untouched.
    const screen = JSON.parse(await readFile(path.resolve(args['exclude-flagged']), 'utf8')) as {
      train: { flagged: { file: string }[] };
    };
    const drop = new Set(screen.train.flagged.map((f) => f.file));
    const before = idx.train.length;
    idx.train = idx.train.filter((i) => !drop.has(tensors.cells[i]!.name));
    log(
      `[data] --exclude-flagged: ${before - idx.train.length} training cells dropped (label-noise screen ${args['exclude-flagged']})`,
    );
  }
  const labels = Uint8Array.from(tensors.cells, (c) => c.label);
  log(`[split] cells train ${idx.train.length} / validation ${idx.validation.length} / test ${idx.test.length}`);
  if (idx.train.length === 0 || idx.validation.length === 0)
    throw new Error('not enough patients for a train/validation split');

  const maxSteps = args['max-steps'] === undefined ? undefined : int(args, 'max-steps', 0);
  const finalizeOnly = args['finalize-only'] === true;
  const debris = Number(str(args, 'debris', '0'));
  if (!(debris >= 0 && debris <= 1)) throw new Error(`--debris must be a probability 0–1, got ${debris}`);
  const speckShare = Number(str(args, 'debris-specks', String(DEFAULT_DEBRIS.speckShare)));
  if (!(speckShare >= 0 && speckShare <= 1)) throw new Error(`--debris-specks must be a share 0–1, got ${speckShare}`);
  const augment: AugmentOptions =
    debris > 0
      ? { ...DEFAULT_AUGMENT, debris: { ...DEFAULT_DEBRIS, probability: debris, speckShare } }
      : DEFAULT_AUGMENT;
  const initFrom = args['init-from'] === undefined ? undefined : path.resolve(str(args, 'init-from'));
  const distill =
    args['distill-from'] === undefined
      ? undefined
      : {
          teacher: path.resolve(str(args, 'distill-from')),
          weight: Number(str(args, 'distill-weight', '0.7')),
          views: int(args, 'distill-views', 8),
        };
  if (distill && !(distill.weight >= 0 && distill.weight <= 1))
    throw new Error(`--distill-weight must be in [0, 1], got ${distill.weight}`);
  if (distill && !(Number.isInteger(distill.views) && distill.views >= 1 && distill.views <= 8))
    throw new Error(`--distill-views must be 1–8, got ${distill.views}`);
  const selectOn = str(args, 'select-on', 'clean');
  if (selectOn !== 'clean' && selectOn !== 'clean+debris')
    throw new Error(`--select-on must be clean or clean+debris, got ${selectOn}`);
  const saved = finalizeOnly ? await readState(runDir) : null;
  if (finalizeOnly && !saved) throw new Error(`--finalize-only: no training state in ${runDir}`);
  const state =
    saved ??
    (await train(
      {
        runDir,
        inputSize,
        seed,
        resume: args.resume === true,
        epochs: int(args, 'epochs', 30),
        batchSize: int(args, 'batch', 32),
        learningRate: Number(str(args, 'lr', '0.002')),
        patience: int(args, 'patience', 6),
        lrPatience: int(args, 'lr-patience', 2),
        minLearningRate: 1e-5,
        maxStepsPerEpoch: maxSteps,
        augment,
        ...(initFrom ? { initFrom } : {}),
        ...(distill ? { distill } : {}),
        ...(cacheDir ? { cacheDir } : {}),
        selectOn,
      },
      {
        pixels: tensors.pixels,
        labels,
        train: idx.train,
        validation: idx.validation,
        ...(extraFrom === undefined ? {} : { extraFrom }),
      },
      log,
    ));

  // Loaded late on purpose: evaluation/reporting code can be improved while a long run trains.
  const { finalizeRun } = await import('../finalize.js');
  await finalizeRun({
    engine,
    state,
    split,
    spec,
    runName,
    runDir,
    reportDir,
    exportDir,
    dataRoot: scan.root,
    cells: tensors.cells,
    pixels: tensors.pixels,
    idx,
    skipped: tensors.skipped,
    log,
  });
}

main().catch((err: unknown) => {
  console.error(`[train] error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
