/**
 * Pure: folds inference-mode batch normalisation into the convolution (or dense layer) before it.
 *
 *   BN(conv(x)) = γ · (W∗x + b − μ) / √(σ² + ε) + β = (s·W)∗x + (s·(b − μ) + β),  s = γ / √(σ² + ε)
 *
 * per output channel, so conv → BN becomes one conv with a bias, and a plain ReLU right after it
 * becomes that conv's fused activation. Same function of the input (up to float rounding, ~1e-6);
 * tfjs' WASM batch-norm kernel is a scalar loop that costs about a quarter of this CNN's inference
 * time, and the fused conv's bias + ReLU are nearly free in XNNPACK.
 *
 * Works on the Keras JSON topology tfjs-layers saves (functional `Model` or `Sequential`). Only the
 * unambiguous pattern is folded: a linear Conv2D/Dense whose single consumer is a BatchNormalization
 * over the last axis; anything else is left as it is.
 */

export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
}

export interface TopologyJson {
  class_name: string;
  config: unknown;
  [key: string]: unknown;
}

export interface FoldPlan {
  /** The conv/dense layer that absorbs the batch norm. */
  conv: string;
  /** The removed batch-normalisation layer. */
  bn: string;
  /** The removed ReLU, now the conv's activation, if there was one. */
  relu: string | null;
  /** Whether the conv had a bias before folding. */
  convHadBias: boolean;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

export interface FoldedTopology {
  topology: TopologyJson;
  folds: FoldPlan[];
}

const FOLDABLE = new Set(['Conv2D', 'Dense']);

function layerName(l: LayerJson): string {
  return String(l.name ?? l.config['name'] ?? '');
}

function isLinear(l: LayerJson): boolean {
  const a = l.config['activation'];
  return a === undefined || a === null || a === 'linear';
}

function channelsLast(l: LayerJson): boolean {
  const f = l.config['data_format'];
  return f === undefined || f === null || f === 'channels_last';
}

function bnOverLastAxis(bn: LayerJson, conv: LayerJson): boolean {
  const axis = bn.config['axis'];
  const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  const lastAxis = conv.class_name === 'Conv2D' ? 3 : 1;
  return a === -1 || a === lastAxis;
}

function isPlainRelu(l: LayerJson): boolean {
  if (l.class_name === 'Activation') return l.config['activation'] === 'relu';
  if (l.class_name !== 'ReLU') return false;
  const max = l.config['max_value'] ?? l.config['maxValue'];
  const slope = l.config['negative_slope'] ?? 0;
  const threshold = l.config['threshold'] ?? 0;
  return (max === null || max === undefined) && slope === 0 && threshold === 0;
}

function planFor(conv: LayerJson, bn: LayerJson, relu: LayerJson | null): FoldPlan {
  const eps = bn.config['epsilon'];
  return {
    conv: layerName(conv),
    bn: layerName(bn),
    relu: relu ? layerName(relu) : null,
    convHadBias: conv.config['use_bias'] !== false,
    epsilon: typeof eps === 'number' ? eps : 1e-3,
    center: bn.config['center'] !== false,
    scale: bn.config['scale'] !== false,
  };
}

function foldable(conv: LayerJson | undefined, bn: LayerJson | undefined): conv is LayerJson {
  return (
    !!conv &&
    !!bn &&
    FOLDABLE.has(conv.class_name) &&
    isLinear(conv) &&
    channelsLast(conv) &&
    bn.class_name === 'BatchNormalization' &&
    bnOverLastAxis(bn, conv)
  );
}

function rewriteConv(conv: LayerJson, plan: FoldPlan): LayerJson {
  const config = {
    ...conv.config,
    use_bias: true,
    activation: plan.relu ? 'relu' : (conv.config['activation'] ?? 'linear'),
  };
  return { ...conv, config };
}

/** Names of the layers each inbound-node entry refers to (Keras: [[[name, node, tensor, kwargs], …], …]). */
function inboundNames(l: LayerJson): string[] {
  const out: string[] = [];
  for (const node of l.inbound_nodes ?? []) {
    if (!Array.isArray(node)) continue;
    for (const entry of node) if (Array.isArray(entry) && typeof entry[0] === 'string') out.push(entry[0]);
  }
  return out;
}

function renameInbound(value: unknown, from: string, to: string): unknown {
  if (!Array.isArray(value)) return value;
  if (typeof value[0] === 'string' && value[0] === from) return [to, ...value.slice(1)];
  return value.map((v) => renameInbound(v, from, to));
}

function foldFunctional(config: Record<string, unknown>): { config: Record<string, unknown>; folds: FoldPlan[] } {
  let layers = (config['layers'] as LayerJson[]).slice();
  let outputs = config['output_layers'];
  const folds: FoldPlan[] = [];
  const consumersOf = (name: string) => layers.filter((l) => inboundNames(l).includes(name));
  const isOutput = (name: string) => JSON.stringify(outputs ?? []).includes(JSON.stringify(name));
  for (const conv of layers.slice()) {
    const name = layerName(conv);
    const next = consumersOf(name);
    const bn = next.length === 1 ? next[0] : undefined;
    if (!foldable(conv, bn) || !bn || isOutput(name) || (conv.inbound_nodes?.length ?? 0) !== 1) continue;
    if ((bn.inbound_nodes?.length ?? 0) !== 1 || inboundNames(bn).length !== 1) continue;
    const afterBn = consumersOf(layerName(bn));
    const candidate = afterBn.length === 1 ? afterBn[0] : undefined;
    const relu =
      candidate && !isOutput(layerName(bn)) && isPlainRelu(candidate) && inboundNames(candidate).length === 1
        ? candidate
        : null;
    const plan = planFor(conv, bn, relu);
    const removed = new Set([plan.bn, ...(plan.relu ? [plan.relu] : [])]);
    const last = plan.relu ?? plan.bn;
    layers = layers
      .filter((l) => !removed.has(layerName(l)))
      .map((l) =>
        layerName(l) === name
          ? rewriteConv(l, plan)
          : { ...l, inbound_nodes: renameInbound(l.inbound_nodes, last, name) as unknown[] },
      );
    outputs = renameInbound(outputs, last, name);
    folds.push(plan);
  }
  return { config: { ...config, layers, output_layers: outputs }, folds };
}

function foldSequential(layerList: LayerJson[]): { layers: LayerJson[]; folds: FoldPlan[] } {
  const layers: LayerJson[] = [];
  const folds: FoldPlan[] = [];
  for (let i = 0; i < layerList.length; i++) {
    const conv = layerList[i];
    const bn = layerList[i + 1];
    if (!foldable(conv, bn) || !bn) {
      if (conv) layers.push(conv);
      continue;
    }
    const after = layerList[i + 2];
    const relu = after && isPlainRelu(after) ? after : null;
    const plan = planFor(conv, bn, relu);
    layers.push(rewriteConv(conv, plan));
    folds.push(plan);
    i += relu ? 2 : 1;
  }
  return { layers, folds };
}

/** Rewrites the topology with every foldable conv → BN (→ ReLU) collapsed into the conv. */
export function foldBatchNormTopology(topology: TopologyJson): FoldedTopology {
  const none = { topology, folds: [] };
  if (topology.class_name === 'Sequential') {
    const cfg = topology.config;
    const list = Array.isArray(cfg) ? cfg : (cfg as Record<string, unknown> | null)?.['layers'];
    if (!Array.isArray(list)) return none;
    const { layers, folds } = foldSequential(list as LayerJson[]);
    if (!folds.length) return none;
    const config = Array.isArray(cfg) ? layers : { ...(cfg as Record<string, unknown>), layers };
    return { topology: { ...topology, config }, folds };
  }
  if (topology.class_name === 'Model' || topology.class_name === 'Functional') {
    const cfg = topology.config as Record<string, unknown> | null;
    if (!cfg || !Array.isArray(cfg['layers'])) return none;
    const { config, folds } = foldFunctional(cfg);
    if (!folds.length) return none;
    return { topology: { ...topology, config }, folds };
  }
  return none;
}

export interface BatchNormWeights {
  gamma: Float32Array | null;
  beta: Float32Array | null;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

/**
 * New kernel and bias for a conv/dense layer followed by `bn`. The kernel's last axis is the output
 * channel (Keras layout: [kh, kw, in, out] for Conv2D, [in, out] for Dense).
 */
export function foldBatchNormWeights(
  kernel: Float32Array,
  bias: Float32Array | null,
  bn: BatchNormWeights,
): { kernel: Float32Array; bias: Float32Array } {
  const channels = bn.mean.length;
  if (!(channels > 0) || kernel.length % channels !== 0) {
    throw new RangeError(`kernel of ${kernel.length} values does not end in ${channels} output channels`);
  }
  for (const [name, v] of [
    ['variance', bn.variance],
    ['gamma', bn.gamma],
    ['beta', bn.beta],
    ['bias', bias],
  ] as const) {
    if (v && v.length !== channels) throw new RangeError(`${name} has ${v.length} values, expected ${channels}`);
  }
  const scale = new Float64Array(channels);
  const newBias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = (bn.gamma ? (bn.gamma[c] as number) : 1) / Math.sqrt((bn.variance[c] as number) + bn.epsilon);
    scale[c] = s;
    newBias[c] =
      s * ((bias ? (bias[c] as number) : 0) - (bn.mean[c] as number)) + (bn.beta ? (bn.beta[c] as number) : 0);
  }
  const newKernel = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) newKernel[i] = (kernel[i] as number) * (scale[i % channels] as number);
  return { kernel: newKernel, bias: newBias };
}
