/**
 * The training loop: augmented mini-batches, per-epoch validation, LR halving on plateau, early
 * stopping on validation loss, best checkpoint kept, and a resumable checkpoint every epoch.
 */
import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { augmentBatch, DEFAULT_AUGMENT, type AugmentOptions } from './augment.js';
import { buildModel, compileModel } from './model.js';
import { loadModel, saveModel } from './model-io.js';
import { accuracyAt, binaryCrossEntropy, predictProbabilities } from './predict.js';
import { ProgressBar } from './progress.js';
import { mulberry32, shuffleInPlace } from './rng.js';
import type { AlphaScore } from './weight-average.js';

export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  learningRate: number;
  seconds: number;
  imagesPerSecond: number;
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
}

export interface TrainData {
  pixels: Float32Array;
  labels: Uint8Array; // per cell index
  train: number[];
  validation: number[];
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
      `[train] resumed after epoch ${state.epochsDone} (best val loss ${state.bestValLoss.toFixed(4)} at epoch ${state.bestEpoch}, lr ${state.learningRate})`,
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
        idx.map((i) => data.labels[i] as number),
        [idx.length, 1],
      );
      const [loss, acc] = (await model.trainOnBatch(xs, ys)) as number[];
      xs.dispose();
      ys.dispose();
      lossSum += (loss as number) * idx.length;
      accSum += (acc as number) * idx.length;
      seen += idx.length;
      bar.update(s + 1, `loss ${(lossSum / seen).toFixed(4)} acc ${(accSum / seen).toFixed(4)}`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const valProbs = predictProbabilities(model, data.pixels, data.validation, size);
    const valLoss = binaryCrossEntropy(valProbs, valLabels);
    const valAccuracy = accuracyAt(valProbs, valLabels);
    const entry: EpochLog = {
      epoch,
      loss: lossSum / seen,
      accuracy: accSum / seen,
      valLoss,
      valAccuracy,
      learningRate: state.learningRate,
      seconds,
      imagesPerSecond: seen / seconds,
    };
    state.history.push(entry);
    state.epochsDone = epoch;
    let note = '';
    if (valLoss < state.bestValLoss - 1e-4) {
      state.bestValLoss = valLoss;
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
      `[train] epoch ${epoch}: loss ${entry.loss.toFixed(4)} acc ${entry.accuracy.toFixed(4)} | ` +
        `val_loss ${valLoss.toFixed(4)} val_acc ${valAccuracy.toFixed(4)} | ${seconds.toFixed(0)} s, ` +
        `${entry.imagesPerSecond.toFixed(1)} img/s${note}`,
    );
    if (state.sinceImprovement >= cfg.patience) {
      state.finished = true;
      state.stopReason = `early stop: val loss did not improve for ${cfg.patience} epochs`;
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
  log(`[train] done: ${state.stopReason}; best epoch ${state.bestEpoch} (val loss ${state.bestValLoss.toFixed(4)})`);
  model.dispose();
  return state;
}
