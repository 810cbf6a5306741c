/**
 * Pure: reads a Keras model topology (the JSON tfjs-layers saves in model.json, functional `Model`
 * or `Sequential`, before or after `foldBatchNorms`) into a flat list of steps that
 * cell-network.ts runs with tfjs-core ops, with every step's output shape worked out here.
 *
 * Only what the app can run exactly is accepted: a single chain from one image input to one
 * output value per cell, made of the layer types below with channels-last data. Everything else
 * (an unknown layer, a branch, an unsupported setting) is refused with a UserFacingError of kind
 * 'model' that names the layer, instead of computing something else. The accepted set covers every
 * network training/src/model.ts builds (Conv2D → BatchNormalization → ReLU → MaxPooling2D blocks,
 * GlobalAveragePooling2D, Dropout, sigmoid Dense; any input size and filter counts) plus the common
 * variants of those layers that tfjs-layers also implements (biases, strides, dilation, 'valid'
 * padding, other activations, average and global max pooling, Flatten, padding and cropping), each
 * checked against tfjs-layers by cell-network.test.ts.
 */
import { UserFacingError } from '../shared/user-facing-error.js';

/** Activations the network implements (Keras names). */
export type ActivationName = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'tanh';

const ACTIVATIONS: ReadonlySet<string> = new Set<ActivationName>(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'tanh']);

/** [height, width] pairs, as Keras stores kernel sizes, strides and pool sizes. */
export type Pair = readonly [number, number];

/** A pointwise function of one tensor: a Keras activation, or a ReLU / LeakyReLU layer's own variant. */
export type PointwiseOp =
  | { readonly fn: ActivationName }
  | { readonly fn: 'clippedRelu'; readonly max: number }
  | { readonly fn: 'leakyRelu'; readonly alpha: number };

interface StepBase {
  /** The Keras layer name (weights are `<name>/kernel`, `<name>/bias`, …). */
  readonly name: string;
  readonly className: string;
  /** Output shape without the batch axis. */
  readonly outShape: readonly number[];
}

export type NetworkStep = StepBase &
  (
    | {
        readonly kind: 'conv2d';
        readonly filters: number;
        readonly kernelSize: Pair;
        readonly strides: Pair;
        readonly dilations: Pair;
        readonly padding: 'same' | 'valid';
        readonly useBias: boolean;
        readonly activation: ActivationName;
        /** Input channels (the kernel is [kh, kw, inChannels, filters]). */
        readonly inChannels: number;
      }
    | {
        readonly kind: 'dense';
        readonly units: number;
        readonly inUnits: number;
        readonly useBias: boolean;
        readonly activation: ActivationName;
      }
    | {
        readonly kind: 'batchNorm';
        readonly channels: number;
        readonly epsilon: number;
        readonly center: boolean;
        readonly scale: boolean;
      }
    | { readonly kind: 'pointwise'; readonly op: PointwiseOp }
    | {
        readonly kind: 'pool';
        readonly op: 'max' | 'avg';
        readonly poolSize: Pair;
        readonly strides: Pair;
        readonly padding: 'same' | 'valid';
      }
    | { readonly kind: 'globalPool'; readonly op: 'max' | 'avg' }
    | { readonly kind: 'flatten' }
    | { readonly kind: 'identity' }
    | { readonly kind: 'zeroPad'; readonly rows: Pair; readonly cols: Pair }
    | { readonly kind: 'crop'; readonly rows: Pair; readonly cols: Pair }
  );

export interface WeightNeed {
  /** Name in the weights manifest. */
  readonly name: string;
  readonly shape: readonly number[];
}

export interface NetworkPlan {
  /** Model input without the batch axis: [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  readonly steps: readonly NetworkStep[];
  /** Every weight the steps read, in step order. */
  readonly weights: readonly WeightNeed[];
  /**
   * Index of the step whose output is the last convolution block (the last Conv2D and the batch
   * norm / activation layers right after it): what Grad-CAM explains. −1 when there is no such
   * block with at least one step after it.
   */
  readonly featureStep: number;
}

/** The layer types accepted, by Keras class name (the error message lists them). */
export const SUPPORTED_LAYERS: readonly string[] = [
  'InputLayer',
  'Conv2D',
  'Dense',
  'BatchNormalization',
  'ReLU',
  'LeakyReLU',
  'Activation',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Dropout',
  'ZeroPadding2D',
  'Cropping2D',
];

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
}

function refuse(message: string): never {
  throw new UserFacingError('model', `This model cannot be run by the app: ${message}.`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asLayer(v: unknown): LayerJson {
  if (!isRecord(v) || typeof v['class_name'] !== 'string' || !isRecord(v['config'])) {
    refuse('a layer in model.json has no class_name or config');
  }
  return v as unknown as LayerJson;
}

function nameOf(l: LayerJson): string {
  return String(l.name ?? l.config['name'] ?? '');
}

function label(l: LayerJson): string {
  return `${l.class_name} layer "${nameOf(l)}"`;
}

function positiveInt(l: LayerJson, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
  return v;
}

function nonNegativeInt(l: LayerJson, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
  return v;
}

/** A Keras int-or-tuple setting as [h, w]; `fallback` when absent. */
function pair(l: LayerJson, key: string, fallback?: Pair): Pair {
  const v = l.config[key];
  if ((v === undefined || v === null) && fallback) return fallback;
  if (typeof v === 'number') {
    const n = positiveInt(l, key, v);
    return [n, n];
  }
  if (Array.isArray(v) && v.length === 2) return [positiveInt(l, key, v[0]), positiveInt(l, key, v[1])];
  return refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
}

/** ZeroPadding2D / Cropping2D amounts: int, [rows, cols] or [[top, bottom], [left, right]]. */
function sides(l: LayerJson, key: string): { rows: Pair; cols: Pair } {
  const v = l.config[key];
  const one = (x: unknown): Pair => {
    if (typeof x === 'number') {
      const n = nonNegativeInt(l, key, x);
      return [n, n];
    }
    if (Array.isArray(x) && x.length === 2) return [nonNegativeInt(l, key, x[0]), nonNegativeInt(l, key, x[1])];
    return refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
  };
  if (typeof v === 'number') return { rows: one(v), cols: one(v) };
  if (Array.isArray(v) && v.length === 2) return { rows: one(v[0]), cols: one(v[1]) };
  return refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
}

function activationOf(l: LayerJson, key = 'activation'): ActivationName {
  const a = l.config[key] ?? 'linear';
  if (typeof a !== 'string' || !ACTIVATIONS.has(a)) {
    refuse(`${label(l)} uses the activation ${JSON.stringify(a)} (supported: ${[...ACTIVATIONS].join(', ')})`);
  }
  return a as ActivationName;
}

function channelsLast(l: LayerJson): void {
  const f = l.config['data_format'];
  if (f !== undefined && f !== null && f !== 'channels_last') refuse(`${label(l)} uses data_format ${String(f)}`);
}

function paddingOf(l: LayerJson): 'same' | 'valid' {
  const p = l.config['padding'] ?? 'valid';
  if (p !== 'same' && p !== 'valid') refuse(`${label(l)} uses padding ${JSON.stringify(p)}`);
  return p;
}

function numberOr(l: LayerJson, key: string, fallback: number): number {
  const v = l.config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) refuse(`${label(l)} has ${key} ${JSON.stringify(v)}`);
  return v;
}

/** Output length of a convolution or pooling window along one axis (TensorFlow's rule). */
function windowOut(size: number, window: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - window + 1) / stride);
}

function expectRank(l: LayerJson, shape: readonly number[], rank: number): void {
  if (shape.length !== rank) {
    refuse(`${label(l)} gets an input of shape [${shape.join(', ')}] (expected ${rank} axes besides the batch)`);
  }
}

function lastAxis(l: LayerJson, rank: number): void {
  const axis = l.config['axis'] ?? -1;
  const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (a !== -1 && a !== rank) refuse(`${label(l)} normalises axis ${JSON.stringify(axis)}, not the channel axis`);
}

/** The step for one layer, given its input shape (without the batch axis). */
function stepFor(l: LayerJson, inShape: readonly number[]): NetworkStep | null {
  const name = nameOf(l);
  const base = { name, className: l.class_name };
  const c = l.config;
  switch (l.class_name) {
    case 'InputLayer':
      return null;
    case 'Conv2D': {
      expectRank(l, inShape, 3);
      channelsLast(l);
      const groups = c['groups'];
      if (groups !== undefined && groups !== null && groups !== 1) refuse(`${label(l)} uses groups ${String(groups)}`);
      const filters = positiveInt(l, 'filters', c['filters']);
      const kernelSize = pair(l, 'kernel_size');
      const strides = pair(l, 'strides', [1, 1]);
      const dilations = pair(l, 'dilation_rate', [1, 1]);
      if ((strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) {
        refuse(`${label(l)} combines strides and dilation`);
      }
      const padding = paddingOf(l);
      const [h, w, ch] = inShape as [number, number, number];
      const outH = windowOut(h, (kernelSize[0] - 1) * dilations[0] + 1, strides[0], padding);
      const outW = windowOut(w, (kernelSize[1] - 1) * dilations[1] + 1, strides[1], padding);
      if (outH < 1 || outW < 1) refuse(`${label(l)} gets an input of ${h} × ${w}, smaller than its kernel`);
      return {
        ...base,
        kind: 'conv2d',
        filters,
        kernelSize,
        strides,
        dilations,
        padding,
        useBias: c['use_bias'] !== false,
        activation: activationOf(l),
        inChannels: ch,
        outShape: [outH, outW, filters],
      };
    }
    case 'Dense': {
      expectRank(l, inShape, 1);
      const units = positiveInt(l, 'units', c['units']);
      return {
        ...base,
        kind: 'dense',
        units,
        inUnits: inShape[0] as number,
        useBias: c['use_bias'] !== false,
        activation: activationOf(l),
        outShape: [units],
      };
    }
    case 'BatchNormalization':
      lastAxis(l, inShape.length);
      return {
        ...base,
        kind: 'batchNorm',
        channels: inShape[inShape.length - 1] as number,
        epsilon: numberOr(l, 'epsilon', 1e-3),
        center: c['center'] !== false,
        scale: c['scale'] !== false,
        outShape: inShape,
      };
    case 'ReLU': {
      const slope = numberOr(l, 'negative_slope', 0);
      const threshold = numberOr(l, 'threshold', 0);
      if (slope !== 0 || threshold !== 0) refuse(`${label(l)} has negative_slope or threshold`);
      const max = c['max_value'] ?? c['maxValue'];
      if (max === undefined || max === null)
        return { ...base, kind: 'pointwise', op: { fn: 'relu' }, outShape: inShape };
      if (typeof max !== 'number' || !(max >= 0)) refuse(`${label(l)} has max_value ${JSON.stringify(max)}`);
      return { ...base, kind: 'pointwise', op: { fn: 'clippedRelu', max }, outShape: inShape };
    }
    case 'LeakyReLU': {
      // tfjs-layers saves `alpha` (default 0.3); Keras 3 calls it `negative_slope`.
      const alpha = c['alpha'] !== undefined ? numberOr(l, 'alpha', 0.3) : numberOr(l, 'negative_slope', 0.3);
      return { ...base, kind: 'pointwise', op: { fn: 'leakyRelu', alpha }, outShape: inShape };
    }
    case 'Activation':
      return { ...base, kind: 'pointwise', op: { fn: activationOf(l) }, outShape: inShape };
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      expectRank(l, inShape, 3);
      channelsLast(l);
      const poolSize = pair(l, 'pool_size', [2, 2]);
      const strides = pair(l, 'strides', poolSize);
      const padding = paddingOf(l);
      const [h, w, ch] = inShape as [number, number, number];
      const outH = windowOut(h, poolSize[0], strides[0], padding);
      const outW = windowOut(w, poolSize[1], strides[1], padding);
      if (outH < 1 || outW < 1) refuse(`${label(l)} gets an input of ${h} × ${w}, smaller than its pool`);
      return {
        ...base,
        kind: 'pool',
        op: l.class_name === 'MaxPooling2D' ? 'max' : 'avg',
        poolSize,
        strides,
        padding,
        outShape: [outH, outW, ch],
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      expectRank(l, inShape, 3);
      channelsLast(l);
      // Keras 3's keepdims (tfjs-layers has none) is refused rather than run unchecked.
      if (c['keepdims'] === true) refuse(`${label(l)} keeps the pooled axes (keepdims)`);
      return {
        ...base,
        kind: 'globalPool',
        op: l.class_name === 'GlobalMaxPooling2D' ? 'max' : 'avg',
        outShape: [inShape[2] as number],
      };
    }
    case 'Flatten':
      channelsLast(l);
      return { ...base, kind: 'flatten', outShape: [inShape.reduce((a, b) => a * b, 1)] };
    case 'Dropout':
      // Inference only: dropout passes its input through unchanged.
      return { ...base, kind: 'identity', outShape: inShape };
    case 'ZeroPadding2D': {
      expectRank(l, inShape, 3);
      channelsLast(l);
      const { rows, cols } = sides(l, 'padding');
      const [h, w, ch] = inShape as [number, number, number];
      return { ...base, kind: 'zeroPad', rows, cols, outShape: [h + rows[0] + rows[1], w + cols[0] + cols[1], ch] };
    }
    case 'Cropping2D': {
      expectRank(l, inShape, 3);
      channelsLast(l);
      const { rows, cols } = sides(l, 'cropping');
      const [h, w, ch] = inShape as [number, number, number];
      const outH = h - rows[0] - rows[1];
      const outW = w - cols[0] - cols[1];
      if (outH < 1 || outW < 1) refuse(`${label(l)} crops away its whole ${h} × ${w} input`);
      return { ...base, kind: 'crop', rows, cols, outShape: [outH, outW, ch] };
    }
    default:
      checkSupported(l);
      return refuse(`${label(l)} is not handled`);
  }
}

function checkSupported(l: LayerJson): void {
  if (!SUPPORTED_LAYERS.includes(l.class_name)) {
    refuse(
      `it contains a ${label(l)}, a layer type the app does not implement (supported: ${SUPPORTED_LAYERS.join(', ')})`,
    );
  }
}

function weightsOf(step: NetworkStep): WeightNeed[] {
  const w = (param: string, shape: readonly number[]): WeightNeed => ({ name: `${step.name}/${param}`, shape });
  switch (step.kind) {
    case 'conv2d':
      return [
        w('kernel', [step.kernelSize[0], step.kernelSize[1], step.inChannels, step.filters]),
        ...(step.useBias ? [w('bias', [step.filters])] : []),
      ];
    case 'dense':
      return [w('kernel', [step.inUnits, step.units]), ...(step.useBias ? [w('bias', [step.units])] : [])];
    case 'batchNorm':
      return [
        ...(step.scale ? [w('gamma', [step.channels])] : []),
        ...(step.center ? [w('beta', [step.channels])] : []),
        w('moving_mean', [step.channels]),
        w('moving_variance', [step.channels]),
      ];
    default:
      return [];
  }
}

/** [height, width, channels] of an input layer's `batch_input_shape` (Keras 3: `batch_shape`). */
function imageShape(l: LayerJson): [number, number, number] | null {
  const s = l.config['batch_input_shape'] ?? l.config['batch_shape'];
  if (s === undefined || s === null) return null;
  if (!Array.isArray(s) || s.length !== 4) refuse(`${label(l)} has the input shape ${JSON.stringify(s)}, not an image`);
  const [, h, w, ch] = s as unknown[];
  if (![h, w, ch].every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0)) {
    refuse(`${label(l)} has the input shape ${JSON.stringify(s)} (the app needs a fixed height, width and channels)`);
  }
  const dtype = l.config['dtype'];
  if (dtype !== undefined && dtype !== null && dtype !== 'float32') refuse(`${label(l)} takes ${String(dtype)} input`);
  return [h, w, ch] as [number, number, number];
}

/** `[layer name, node index, tensor index]` of each inbound-node entry of a functional layer. */
function inbound(l: LayerJson): { layer: string; node: number; tensor: number }[] {
  const nodes = l.inbound_nodes ?? [];
  if (nodes.length > 1) refuse(`${label(l)} is applied more than once (shared layers are not supported)`);
  const out: { layer: string; node: number; tensor: number }[] = [];
  for (const node of nodes) {
    if (!Array.isArray(node)) refuse(`${label(l)} has inbound nodes in a format the app does not read`);
    for (const e of node) {
      if (!Array.isArray(e) || typeof e[0] !== 'string') refuse(`${label(l)} has an inbound node it cannot read`);
      out.push({ layer: e[0], node: Number(e[1] ?? 0), tensor: Number(e[2] ?? 0) });
    }
  }
  return out;
}

/** The single layer named by a functional model's `input_layers` / `output_layers`. */
function onlyEndpoint(config: Record<string, unknown>, key: string): string {
  const v = config[key];
  const list = Array.isArray(v) && Array.isArray(v[0]) ? v : [v];
  if (list.length !== 1 || !Array.isArray(list[0]) || typeof list[0][0] !== 'string') {
    refuse(`it has ${Array.isArray(v) ? v.length : 'no'} ${key.replace('_layers', '')}s (the app needs exactly one)`);
  }
  return list[0][0];
}

/** The layers of a functional model from its input to its output, checked to form one chain. */
function functionalChain(config: Record<string, unknown>): LayerJson[] {
  const raw = config['layers'];
  if (!Array.isArray(raw)) refuse('its topology has no layer list');
  const layers = raw.map(asLayer);
  const byName = new Map(layers.map((l) => [nameOf(l), l]));
  const inputName = onlyEndpoint(config, 'input_layers');
  const outputName = onlyEndpoint(config, 'output_layers');
  const chain: LayerJson[] = [];
  let current = byName.get(outputName);
  while (current) {
    // The type first, so that a layer joining branches (Add, Concatenate) is named as such.
    checkSupported(current);
    chain.unshift(current);
    if (nameOf(current) === inputName) return chain;
    const from = inbound(current);
    if (from.length !== 1)
      refuse(`${label(current)} takes ${from.length} inputs (the app runs single chains of layers)`);
    const edge = from[0] as { layer: string; node: number; tensor: number };
    if (edge.node !== 0 || edge.tensor !== 0) refuse(`${label(current)} reads a shared layer's output`);
    if (chain.length > layers.length) refuse('its layers form a cycle');
    current = byName.get(edge.layer);
  }
  return refuse(`the output "${outputName}" is not connected to the input "${inputName}"`);
}

function topologyLayers(topology: unknown): { layers: LayerJson[]; functional: boolean } {
  if (!isRecord(topology)) refuse('model.json has no Keras model topology');
  // model.json's modelTopology may wrap the model as { model_config: {…}, training_config }.
  const model = isRecord(topology['model_config']) ? topology['model_config'] : topology;
  const cls = model['class_name'];
  const config = model['config'];
  if (cls === 'Sequential') {
    const list = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : null;
    if (!Array.isArray(list)) refuse('its Sequential topology has no layer list');
    return { layers: list.map(asLayer), functional: false };
  }
  if (cls === 'Model' || cls === 'Functional') {
    if (!isRecord(config)) refuse('its topology has no config');
    return { layers: functionalChain(config), functional: true };
  }
  return refuse(`its topology is a ${JSON.stringify(cls)}, not a Keras Model or Sequential`);
}

/** Reads and checks a Keras topology; throws UserFacingError('model') when the app cannot run it. */
export function planNetwork(topology: unknown): NetworkPlan {
  const { layers } = topologyLayers(topology);
  const first = layers[0];
  if (!first) refuse('it has no layers');
  const inputShape = imageShape(first);
  if (!inputShape) refuse('its first layer does not say the input shape');
  const steps: NetworkStep[] = [];
  let shape: readonly number[] = inputShape;
  layers.forEach((l, i) => {
    if (l.class_name === 'InputLayer' && i > 0) refuse(`${label(l)} is not the first layer`);
    const step = stepFor(l, shape);
    if (!step) return;
    steps.push(step);
    shape = step.outShape;
  });
  if (shape.length !== 1 || shape[0] !== 1) {
    refuse(`it outputs [${shape.join(', ')}] per cell, not one value P(Parasitized)`);
  }
  const names = new Set<string>();
  for (const s of steps) {
    if (names.has(s.name)) refuse(`two layers are named "${s.name}"`);
    names.add(s.name);
  }
  return { inputShape, steps, weights: steps.flatMap(weightsOf), featureStep: featureStepOf(steps) };
}

/** The end of the last conv block (see NetworkPlan.featureStep). */
function featureStepOf(steps: readonly NetworkStep[]): number {
  let conv = -1;
  for (let i = steps.length - 1; i >= 0 && conv < 0; i--) if (steps[i]?.kind === 'conv2d') conv = i;
  if (conv < 0) return -1;
  let end = conv;
  while (end + 1 < steps.length) {
    const next = steps[end + 1] as NetworkStep;
    if (next.kind !== 'batchNorm' && next.kind !== 'pointwise') break;
    end++;
  }
  return end + 1 < steps.length ? end : -1;
}
