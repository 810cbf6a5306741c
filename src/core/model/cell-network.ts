/**
 * The classifier's network run on tfjs-core ops, without tfjs-layers (≈ 200 KB of script the app
 * no longer loads; docs/performance.md). Built from the model artifacts tfjs' io handlers return
 * (Keras topology + weights, usually after `foldBatchNorms`); network-plan.ts reads and checks the
 * topology, this module holds the weights as tensors and runs the steps. Inference only: Dropout
 * is the identity, batch norm uses its moving statistics.
 *
 * Same ops as tfjs-layers where it matters for the numbers: Conv2D and Dense run as tfjs' fused
 * conv2d / matMul with the bias (and a ReLU or ELU activation) fused, other activations after it;
 * the sigmoid output is sigmoid(logit). The parity tests (cell-network.test.ts) compare P with
 * tfjs-layers' `model.predict` on the shipped model and on other architectures training builds.
 */
import * as tf from '@tensorflow/tfjs-core';
import { UserFacingError } from '../shared/user-facing-error.js';
import {
  planNetwork,
  type ActivationName,
  type NetworkPlan,
  type NetworkStep,
  type PointwiseOp,
} from './network-plan.js';

/** The last conv block's output and the rest of the network from there (Grad-CAM's split). */
export interface FeatureSplit {
  /** Output shape of the block without the batch axis: [h', w', channels]. */
  readonly featureShape: readonly [number, number, number];
  /** Input [n, H, W, C] → last conv block's activation [n, h', w', k]. */
  features(x: tf.Tensor4D): tf.Tensor4D;
  /** That activation → the logit z, [n, 1]. */
  headLogits(features: tf.Tensor4D): tf.Tensor2D;
}

export interface CellNetwork {
  /** Model input without the batch axis: [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  readonly plan: NetworkPlan;
  /** P(Parasitized) per cell, [n, 1]. */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  /** The logit z = log(P / (1 − P)) per cell, [n, 1] (the pre-sigmoid value when the output is a sigmoid). */
  logits(x: tf.Tensor4D): tf.Tensor2D;
  /** Null when the network has no conv block followed by more layers. */
  readonly split: FeatureSplit | null;
  /** Frees the weight tensors; the network cannot be used afterwards. */
  dispose(): void;
}

/** The activations tfjs fuses into conv2d / matMul (tfjs-layers fuses the same ones). */
type FusedActivation = 'linear' | 'relu' | 'elu';

function fusable(a: ActivationName): a is FusedActivation {
  return a === 'linear' || a === 'relu' || a === 'elu';
}

function activate(x: tf.Tensor, op: PointwiseOp): tf.Tensor {
  switch (op.fn) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'clippedRelu':
      return tf.clipByValue(tf.relu(x), 0, op.max);
    case 'leakyRelu':
      return tf.leakyRelu(x, op.alpha);
  }
}

type Weights = ReadonlyMap<string, tf.Tensor>;

function weight(weights: Weights, step: NetworkStep, param: string): tf.Tensor {
  const w = weights.get(`${step.name}/${param}`);
  if (!w) throw new Error(`cell-network: ${step.name}/${param} was not loaded`);
  return w;
}

/** One step; `linearOutput` drops the step's own activation (the logit of a sigmoid layer). */
function runStep(step: NetworkStep, x: tf.Tensor, weights: Weights, linearOutput = false): tf.Tensor {
  switch (step.kind) {
    case 'conv2d': {
      const activation = linearOutput ? 'linear' : step.activation;
      const y = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: weight(weights, step, 'kernel') as tf.Tensor4D,
        strides: [step.strides[0], step.strides[1]],
        pad: step.padding,
        dataFormat: 'NHWC',
        dilations: [step.dilations[0], step.dilations[1]],
        bias: step.useBias ? weight(weights, step, 'bias') : undefined,
        activation: fusable(activation) ? activation : 'linear',
      });
      return fusable(activation) ? y : activate(y, { fn: activation });
    }
    case 'dense': {
      const activation = linearOutput ? 'linear' : step.activation;
      const y = tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: weight(weights, step, 'kernel') as tf.Tensor2D,
        bias: step.useBias ? weight(weights, step, 'bias') : undefined,
        activation: fusable(activation) ? activation : 'linear',
      });
      return fusable(activation) ? y : activate(y, { fn: activation });
    }
    case 'batchNorm':
      // beta / gamma are always there: createCellNetwork adds 0 / 1 for a layer without centre /
      // scale (tfjs' batchNorm records a missing one as an undefined input, which breaks gradients).
      return tf.batchNorm(
        x,
        weight(weights, step, 'moving_mean') as tf.Tensor1D,
        weight(weights, step, 'moving_variance') as tf.Tensor1D,
        weight(weights, step, 'beta') as tf.Tensor1D,
        weight(weights, step, 'gamma') as tf.Tensor1D,
        step.epsilon,
      );
    case 'pointwise':
      return linearOutput ? x : activate(x, step.op);
    case 'pool':
      return (step.op === 'max' ? tf.maxPool : tf.avgPool)(
        x as tf.Tensor4D,
        [step.poolSize[0], step.poolSize[1]],
        [step.strides[0], step.strides[1]],
        step.padding,
      );
    case 'globalPool':
      return (step.op === 'max' ? tf.max : tf.mean)(x, [1, 2]);
    case 'flatten':
      return tf.reshape(x, [x.shape[0] as number, -1]);
    case 'identity':
      return x;
    case 'zeroPad':
      return tf.pad(x, [
        [0, 0],
        [step.rows[0], step.rows[1]],
        [step.cols[0], step.cols[1]],
        [0, 0],
      ]);
    case 'crop': {
      const [, h, w] = x.shape as [number, number, number, number];
      return tf.slice(
        x,
        [0, step.rows[0], step.cols[0], 0],
        [-1, h - step.rows[0] - step.rows[1], w - step.cols[0] - step.cols[1], -1],
      );
    }
  }
}

/** Whether the last step ends in a sigmoid, so the logit is what comes before it. */
function sigmoidOutput(step: NetworkStep | undefined): boolean {
  if (!step) return false;
  if (step.kind === 'conv2d' || step.kind === 'dense') return step.activation === 'sigmoid';
  return step.kind === 'pointwise' && step.op.fn === 'sigmoid';
}

/** log(P / (1 − P)) of a probability, for networks whose output is not a sigmoid. */
function logitOfProbability(p: tf.Tensor): tf.Tensor2D {
  const c = tf.clipByValue(p, 1e-7, 1 - 1e-7);
  return tf.reshape(tf.sub(tf.log(c), tf.log1p(tf.neg(c))), [-1, 1]);
}

class CoreCellNetwork implements CellNetwork {
  readonly inputShape: readonly [number, number, number];
  readonly split: FeatureSplit | null;
  private readonly sigmoid: boolean;
  private disposed = false;

  constructor(
    readonly plan: NetworkPlan,
    private readonly weights: Map<string, tf.Tensor>,
  ) {
    this.inputShape = plan.inputShape;
    this.sigmoid = sigmoidOutput(plan.steps[plan.steps.length - 1]);
    const f = plan.featureStep;
    const block = plan.steps[f];
    this.split =
      block && block.outShape.length === 3
        ? {
            featureShape: block.outShape as [number, number, number],
            features: (x) => tf.tidy(() => this.run(x, 0, f + 1) as tf.Tensor4D),
            headLogits: (a) => tf.tidy(() => this.logitsFrom(a, f + 1)),
          }
        : null;
  }

  /** Steps [from, to) on x. */
  private run(x: tf.Tensor, from: number, to: number, linearLast = false): tf.Tensor {
    if (this.disposed) throw new Error('cell-network: used after dispose()');
    let y = x;
    for (let i = from; i < to; i++)
      y = runStep(this.plan.steps[i] as NetworkStep, y, this.weights, linearLast && i === to - 1);
    return y;
  }

  private logitsFrom(x: tf.Tensor, from: number): tf.Tensor2D {
    const end = this.plan.steps.length;
    if (this.sigmoid) return tf.reshape(this.run(x, from, end, true), [-1, 1]);
    return logitOfProbability(this.run(x, from, end));
  }

  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const end = this.plan.steps.length;
      if (this.sigmoid) return tf.reshape(tf.sigmoid(this.run(x, 0, end, true)), [-1, 1]);
      return tf.reshape(this.run(x, 0, end), [-1, 1]);
    });
  }

  logits(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.logitsFrom(x, 0));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.weights.values()]);
    this.weights.clear();
  }
}

function refuse(message: string): never {
  throw new UserFacingError('model', `This model cannot be run by the app: ${message}.`);
}

/**
 * The network of `artifacts` on the active tfjs backend. Throws UserFacingError('model') when the
 * topology is not one the app runs (network-plan.ts) or the weights do not match it (a missing,
 * misshapen or unused weight), freeing whatever it created.
 */
export function createCellNetwork(artifacts: tf.io.ModelArtifacts): CellNetwork {
  const plan = planNetwork(artifacts.modelTopology);
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  if (!data && plan.weights.length) refuse('model.json lists no weight data');
  const decoded = data ? tf.io.decodeWeights(data, specs) : {};
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const need of plan.weights) {
      const w = decoded[need.name];
      if (!w) refuse(`the weight ${need.name} is missing`);
      if (w.shape.length !== need.shape.length || w.shape.some((d, i) => d !== need.shape[i])) {
        refuse(`the weight ${need.name} has shape [${w.shape.join(', ')}], expected [${need.shape.join(', ')}]`);
      }
      if (w.dtype !== 'float32') refuse(`the weight ${need.name} is ${w.dtype}, not float32`);
      weights.set(need.name, w);
    }
    const unused = Object.keys(decoded).filter((n) => !weights.has(n));
    if (unused.length) refuse(`the weights ${unused.join(', ')} belong to no layer`);
    for (const step of plan.steps) {
      if (step.kind !== 'batchNorm') continue;
      if (!step.center) weights.set(`${step.name}/beta`, tf.zeros([step.channels]));
      if (!step.scale) weights.set(`${step.name}/gamma`, tf.ones([step.channels]));
    }
  } catch (err) {
    tf.dispose(Object.values(decoded));
    throw err;
  }
  return new CoreCellNetwork(plan, weights);
}
