/**
 * The training loop: augmented mini-batches, per-epoch validation, LR halving on plateau, early
 * stopping on validation loss, best checkpoint kept, and a resumable checkpoint every epoch.
 */
import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelViewCount } from '@malaria/contract';
import { augmentBatch, DEFAULT_AUGMENT, PROBE_DEBRIS_SEED, withProbeDebris, type AugmentOptions } from './augment.js';
import { cachedTeacherScores, softTargets, teacherDigest, type DistillOptions } from './distill.js';
import { buildModel, compileModel } from './model.js';
import { loadModel, saveModel } from './model-io.js';
import { accuracyAt, binaryCrossEntropy, predictProbabilities } from './predict.js';
import { ProgressBar } from './progress.js';
import { mulberry32, shuffleInPlace } from './rng.js';
import { cleanAndDebrisScore, type AlphaScore } from './weight-average.js';

export interface EpochLog {
  epoch: number;
  loss: number;
  /** Training class accuracy; null for a distilled run (Keras' binary accuracy against soft targets is not one). */
  accuracy: number | null;
  valLoss: number;
  valAccuracy: number;
  learningRate: number;
  seconds: number;
  imagesPerSecond: number;
  /** Validation loss on the same cells with the debris probe (withProbeDebris), when selecting on it. */
  valDebrisLoss?: number;
  /** What the best checkpoint is chosen on: valLoss, or the mean of valLoss and valDebrisLoss. */
  selectionScore?: number;
}

/**
 * What picks the best checkpoint: the clean validation loss, or the mean of the clean and the
 * debris-probe validation loss (the score `average-weights` chooses α on) — a debris fine-tune judged on
 * clean cells alone looks best before it has learned anything about debris.
 */
export type SelectOn = 'clean' | 'clean+debris';

/** How logs and reports name what the best checkpoint was chosen on (what `bestValLoss` holds). */
export function selectionLabel(selectOn: SelectOn | undefined): string {
  return selectOn === 'clean+debris' ? 'mean of clean and debris-probe validation loss' : 'validation loss';
}

export interface TrainState {
  epochsDone: number;
  bestEpoch: number;
  bestValLoss: number;
  sinceImprovement: number;
  sinceLrDrop: number;
  learningRate: number;
  history: EpochLog[];
  finished: boolean;
  stopReason?: string;
  /** Augmentation used (recorded so a resumed run and the report use the same). */
  augment?: AugmentOptions;
  /** Checkpoint the weights started from (fine-tuning), if not trained from scratch. */
  initFrom?: string;
  /** Set when the best checkpoint is a weight-space average of two models (`npm run average-weights`). */
  weightAverage?: { from: string; to: string[]; alpha: number; scores: AlphaScore[] };
  /** Soft targets from a teacher (src/distill.ts); recorded so a resumed run uses the same. */
  distill?: DistillOptions;
  /** Checkpoint selection; absent = 'clean'. bestValLoss holds the selection score. */
  selectOn?: SelectOn;
  /** Views the exported model runs on (metadata `output.views`); absent = 1. Set by `calibrate-model`. */
  views?: ModelViewCount;
  /** Platt scaling folded into the best checkpoint's output layer (`calibrate-model`, platt-fold.ts). */
  calibration?: FoldedCalibration;
}

export interface FoldedCalibration {
  method: 'platt';
  a: number;
  b: number;
  /** The validation cells it was fitted on. */
  fittedOn: string;
  /** The checkpoint it was folded into, relative to training/. */
  from: string;
}

export interface TrainConfig {
  runDir: string;
  inputSize: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  lrPatience: number;
  minLearningRate: number;
  seed: number;
  maxStepsPerEpoch?: number;
  resume: boolean;
  /** Augmentation; DEFAULT_AUGMENT when absent. */
  augment?: AugmentOptions;
  /** Start from this saved model's weights (fine-tuning) instead of a fresh initialisation. */
  initFrom?: string;
  /** Where teacher scores are cached between runs (training/cache); none = always scored. */
  cacheDir?: string;
  /** Train on soft targets from a teacher model (self-distillation). */
  distill?: DistillOptions;
  selectOn?: SelectOn;
}

export interface TrainData {
  pixels: Float32Array;
  labels: Uint8Array; // per cell index
  train: number[];
  validation: number[];
  /** Cells from this index on are `--extra` field crops: with distillation they keep their hard labels. */
  extraFrom?: number;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export function bestModelDir(runDir: string): string {
  return path.join(runDir, 'best');
}
function lastModelDir(runDir: string): string {
  return path.join(runDir, 'last');
}
function statePath(runDir: string): string {
  return path.join(runDir, 'state.json');
}

export async function readState(runDir: string): Promise<TrainState | null> {
  if (!(await exists(statePath(runDir)))) return null;
  return JSON.parse(await readFile(statePath(runDir), 'utf8')) as TrainState;
}

function setLearningRate(model: tf.LayersModel, lr: number): void {
  (model.optimizer as unknown as { learningRate: number }).learningRate = lr;
}

export async function train(cfg: TrainConfig, data: TrainData, log: (m: string) => void): Promise<TrainState> {
  await mkdir(cfg.runDir, { recursive: true });
  let state: TrainState = {
    epochsDone: 0,
    bestEpoch: 0,
    bestValLoss: Number.POSITIVE_INFINITY,
    sinceImprovement: 0,
    sinceLrDrop: 0,
    learningRate: cfg.learningRate,
    history: [],
    finished: false,
    augment: cfg.augment ?? DEFAULT_AUGMENT,
    ...(cfg.initFrom ? { initFrom: cfg.initFrom } : {}),
    ...(cfg.distill ? { distill: cfg.distill } : {}),
    ...(cfg.selectOn ? { selectOn: cfg.selectOn } : {}),
  };
  let model: tf.LayersModel;
  const previous = cfg.resume ? await readState(cfg.runDir) : null;
  if (previous && (await exists(path.join(lastModelDir(cfg.runDir), 'model.json')))) {
    state = previous;
    if (state.finished && state.stopReason?.startsWith('reached') && cfg.epochs > state.epochsDone) {
      state.finished = false;
      delete state.stopReason;
      log(`[train] extending a finished run from ${state.epochsDone} to ${cfg.epochs} epochs`);
    }
    if (state.finished) {
      log(`[train] run already finished after epoch ${state.epochsDone} (${state.stopReason ?? ''}); nothing to train`);
      return state;
    }
    model = await loadModel(lastModelDir(cfg.runDir));
    if (!model.optimizer) compileModel(model, state.learningRate);
    setLearningRate(model, state.learningRate);
    log(
      `[train] resumed after epoch ${state.epochsDone} (best ${selectionLabel(state.selectOn)} ${state.bestValLoss.toFixed(4)} at epoch ${state.bestEpoch}, lr ${state.learningRate})`,
    );
  } else {
    if (cfg.resume) log('[train] --resume: no checkpoint found, starting fresh');
    if (cfg.initFrom) {
      model = await loadModel(cfg.initFrom);
      const inputShape = model.inputs[0]?.shape;
      if (inputShape?.[1] !== cfg.inputSize)
        throw new Error(
          `--init-from ${cfg.initFrom}: input ${String(inputShape)} is not ${cfg.inputSize}×${cfg.inputSize}`,
        );
      log(`[train] fine-tuning from ${cfg.initFrom}`);
    } else {
      model = buildModel({ inputSize: cfg.inputSize, seed: cfg.seed });
    }
    compileModel(model, cfg.learningRate);
  }
  const augment = state.augment ?? DEFAULT_AUGMENT;
  if (augment.debris) log(`[train] debris augmentation: ${JSON.stringify(augment.debris)}`);
  const size = cfg.inputSize;
  const valLabels = Uint8Array.from(data.validation, (i) => data.labels[i] as number);
  const selectOn: SelectOn = state.selectOn ?? 'clean';
  // average-weights' probe (same seed, same marks), so the scores compare with its α grid.
  const valDebris =
    selectOn === 'clean+debris'
      ? withProbeDebris(data.pixels, data.validation, size, mulberry32(PROBE_DEBRIS_SEED))
      : null;
  const distill = state.distill;
  const selectionName = selectionLabel(state.selectOn);
  let teacherP: Float32Array | null = null;
  if (distill) {
    const digest = await teacherDigest(distill.teacher);
    if (distill.teacherDigest && distill.teacherDigest !== digest)
      throw new Error(
        `--resume: the teacher ${distill.teacher} changed since this run started (its files' digest differs); start a new run`,
      );
    distill.teacherDigest = digest;
    const t0 = Date.now();
    const extraFrom = data.extraFrom ?? Number.POSITIVE_INFINITY;
    teacherP = await cachedTeacherScores(
      distill,
      data.pixels,
      data.labels.length,
      data.train.filter((i) => i < extraFrom),
      size,
      cfg.cacheDir,
      log,
    );
    log(
      `[train] distilling from ${distill.teacher}: target = ${(1 - distill.weight).toFixed(2)}·label + ` +
        `${distill.weight.toFixed(2)}·P_teacher (mean of ${distill.views} views; ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  if (selectOn !== 'clean') log(`[train] best checkpoint chosen on ${selectOn} validation loss`);

  for (let epoch = state.epochsDone + 1; epoch <= cfg.epochs; epoch++) {
    const rand = mulberry32(cfg.seed * 1000 + epoch);
    const order = shuffleInPlace([...data.train], rand);
    let steps = Math.ceil(order.length / cfg.batchSize);
    if (cfg.maxStepsPerEpoch) steps = Math.min(steps, cfg.maxStepsPerEpoch);
    const bar = new ProgressBar(steps, `epoch ${epoch}/${cfg.epochs}`);
    const t0 = Date.now();
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * cfg.batchSize, (s + 1) * cfg.batchSize);
      const xs = augmentBatch(data.pixels, idx, size, rand, augment);
      const ys = tf.tensor2d(
        teacherP && distill
          ? softTargets(idx, data.labels, teacherP, distill.weight, data.extraFrom)
          : Float32Array.from(idx, (i) => data.labels[i] as number),
        [idx.length, 1],
      );
      const [loss, acc] = (await model.trainOnBatch(xs, ys)) as number[];
      xs.dispose();
      ys.dispose();
      lossSum += (loss as number) * idx.length;
      accSum += (acc as number) * idx.length;
      seen += idx.length;
      bar.update(s + 1, `loss ${(lossSum / seen).toFixed(4)}${distill ? '' : ` acc ${(accSum / seen).toFixed(4)}`}`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const valProbs = predictProbabilities(model, data.pixels, data.validation, size);
    const valAccuracy = accuracyAt(valProbs, valLabels);
    const withDebris = valDebris
      ? cleanAndDebrisScore(
          valProbs,
          predictProbabilities(
            model,
            valDebris,
            data.validation.map((_, k) => k),
            size,
          ),
          valLabels,
        )
      : null;
    const valLoss = withDebris ? withDebris.cleanLoss : binaryCrossEntropy(valProbs, valLabels);
    const valDebrisLoss = withDebris?.debrisLoss;
    const score = withDebris ? withDebris.score : valLoss;
    const entry: EpochLog = {
      epoch,
      loss: lossSum / seen,
      accuracy: distill ? null : accSum / seen,
      valLoss,
      valAccuracy,
      learningRate: state.learningRate,
      seconds,
      imagesPerSecond: seen / seconds,
      ...(valDebrisLoss === undefined ? {} : { valDebrisLoss, selectionScore: score }),
    };
    state.history.push(entry);
    state.epochsDone = epoch;
    let note = '';
    if (score < state.bestValLoss - 1e-4) {
      state.bestValLoss = score;
      state.bestEpoch = epoch;
      state.sinceImprovement = 0;
      state.sinceLrDrop = 0;
      await saveModel(model, bestModelDir(cfg.runDir));
      note = ' (best, saved)';
    } else {
      state.sinceImprovement++;
      state.sinceLrDrop++;
      if (state.sinceLrDrop >= cfg.lrPatience && state.learningRate > cfg.minLearningRate) {
        state.learningRate = Math.max(cfg.minLearningRate, state.learningRate / 2);
        state.sinceLrDrop = 0;
        setLearningRate(model, state.learningRate);
        note = ` (lr → ${state.learningRate})`;
      }
    }
    log(
      `[train] epoch ${epoch}: loss ${entry.loss.toFixed(4)}${entry.accuracy === null ? '' : ` acc ${entry.accuracy.toFixed(4)}`} | ` +
        `val_loss ${valLoss.toFixed(4)} val_acc ${valAccuracy.toFixed(4)}` +
        `${valDebrisLoss === undefined ? '' : ` val_debris_loss ${valDebrisLoss.toFixed(4)} score ${score.toFixed(4)}`} | ${seconds.toFixed(0)} s, ` +
        `${entry.imagesPerSecond.toFixed(1)} img/s${note}`,
    );
    if (state.sinceImprovement >= cfg.patience) {
      state.finished = true;
      state.stopReason = `early stop: ${selectionName} did not improve for ${cfg.patience} epochs`;
    } else if (epoch >= cfg.epochs) {
      state.finished = true;
      state.stopReason = `reached ${cfg.epochs} epochs`;
    }
    await saveModel(model, lastModelDir(cfg.runDir), { includeOptimizer: true });
    await writeFile(statePath(cfg.runDir), JSON.stringify(state, null, 2));
    if (state.finished) break;
  }
  if (!state.finished) {
    state.finished = true;
    state.stopReason = `reached ${cfg.epochs} epochs`;
    await writeFile(statePath(cfg.runDir), JSON.stringify(state, null, 2));
  }
  log(
    `[train] done: ${state.stopReason}; best epoch ${state.bestEpoch} (${selectionName} ${state.bestValLoss.toFixed(4)})`,
  );
  model.dispose();
  return state;
}
