import { describe, expect, it } from 'vitest';
import { foldBatchNormTopology, foldBatchNormWeights, type LayerJson, type TopologyJson } from './fold-batchnorm.js';

/** Deterministic pseudo-random numbers in [-1, 1). */
function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

const arr = (n: number, r: () => number, lo = -1, hi = 1) =>
  Float32Array.from({ length: n }, () => lo + ((r() + 1) / 2) * (hi - lo));

describe('foldBatchNormWeights', () => {
  it("gives BN(x·W + b) = x·W' + b' for a dense layer", () => {
    const r = rand(7);
    const nIn = 5;
    const nOut = 3;
    const kernel = arr(nIn * nOut, r);
    const bias = arr(nOut, r);
    const bn = {
      gamma: arr(nOut, r, 0.5, 2),
      beta: arr(nOut, r),
      mean: arr(nOut, r),
      variance: arr(nOut, r, 0.1, 3),
      epsilon: 1e-3,
    };
    const folded = foldBatchNormWeights(kernel, bias, bn);
    for (let trial = 0; trial < 10; trial++) {
      const x = arr(nIn, r, -3, 3);
      for (let o = 0; o < nOut; o++) {
        let y = bias[o] as number;
        let yFolded = folded.bias[o] as number;
        for (let i = 0; i < nIn; i++) {
          y += (x[i] as number) * (kernel[i * nOut + o] as number);
          yFolded += (x[i] as number) * (folded.kernel[i * nOut + o] as number);
        }
        const expected =
          ((bn.gamma[o] as number) * (y - (bn.mean[o] as number))) /
            Math.sqrt((bn.variance[o] as number) + bn.epsilon) +
          (bn.beta[o] as number);
        expect(yFolded).toBeCloseTo(expected, 5);
      }
    }
  });

  it('treats a missing bias, gamma (scale=false) or beta (center=false) as 0 / 1 / 0', () => {
    const kernel = Float32Array.from([2, 4]); // [1 input, 2 outputs]
    const folded = foldBatchNormWeights(kernel, null, {
      gamma: null,
      beta: null,
      mean: Float32Array.from([1, -1]),
      variance: Float32Array.from([3, 0]),
      epsilon: 1,
    });
    expect(Array.from(folded.kernel)).toEqual([1, 4]);
    expect(Array.from(folded.bias)).toEqual([-0.5, 1]);
  });

  it('scales every output channel of a conv kernel [kh, kw, in, out] by its own factor', () => {
    const out = 4;
    const kernel = new Float32Array(3 * 3 * 2 * out).fill(1);
    const gamma = Float32Array.from([1, 2, 3, 4]);
    const folded = foldBatchNormWeights(kernel, null, {
      gamma,
      beta: null,
      mean: new Float32Array(out),
      variance: new Float32Array(out).fill(1),
      epsilon: 0,
    });
    for (let i = 0; i < kernel.length; i++) expect(folded.kernel[i]).toBeCloseTo(gamma[i % out] as number, 6);
  });

  it('rejects shapes that do not match', () => {
    const bn = { gamma: null, beta: null, mean: new Float32Array(3), variance: new Float32Array(3), epsilon: 1e-3 };
    expect(() => foldBatchNormWeights(new Float32Array(10), null, bn)).toThrow(RangeError);
    expect(() => foldBatchNormWeights(new Float32Array(9), new Float32Array(2), bn)).toThrow(RangeError);
  });
});

const inbound = (name: string) => [[[name, 0, 0, {}]]];

function conv(name: string, from: string | null, extra: Record<string, unknown> = {}): LayerJson {
  return {
    name,
    class_name: 'Conv2D',
    config: {
      name,
      filters: 8,
      kernel_size: [3, 3],
      activation: 'linear',
      use_bias: false,
      data_format: 'channels_last',
      ...extra,
    },
    inbound_nodes: from ? inbound(from) : [],
  };
}
const bn = (name: string, from: string, axis: unknown = -1): LayerJson => ({
  name,
  class_name: 'BatchNormalization',
  config: { name, axis, epsilon: 0.001, center: true, scale: true },
  inbound_nodes: inbound(from),
});
const relu = (name: string, from: string, maxValue: number | null = null): LayerJson => ({
  name,
  class_name: 'ReLU',
  config: { name, max_value: maxValue },
  inbound_nodes: inbound(from),
});
const layer = (name: string, cls: string, from: string): LayerJson => ({
  name,
  class_name: cls,
  config: { name },
  inbound_nodes: inbound(from),
});

function functional(layers: LayerJson[], output: string): TopologyJson {
  return {
    class_name: 'Model',
    config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [[output, 0, 0]] },
    keras_version: 'tfjs-layers 4.22.0',
  };
}

const namesOf = (t: TopologyJson) => (t.config as { layers: LayerJson[] }).layers.map((l) => l.name);
const layerOf = (t: TopologyJson, name: string) =>
  (t.config as { layers: LayerJson[] }).layers.find((l) => l.name === name) as LayerJson;

describe('foldBatchNormTopology (functional)', () => {
  const model = functional(
    [
      { name: 'in', class_name: 'InputLayer', config: { name: 'in' }, inbound_nodes: [] },
      conv('conv1', 'in'),
      bn('bn1', 'conv1'),
      relu('relu1', 'bn1'),
      layer('pool1', 'MaxPooling2D', 'relu1'),
      conv('conv2', 'pool1'),
      bn('bn2', 'conv2'),
      layer('gap', 'GlobalAveragePooling2D', 'bn2'),
      layer('dense', 'Dense', 'gap'),
    ],
    'dense',
  );

  it('removes BN (and a plain ReLU after it), gives the conv a bias and the ReLU, and rewires consumers', () => {
    const { topology, folds } = foldBatchNormTopology(model);
    expect(folds.map((f) => [f.conv, f.bn, f.relu, f.convHadBias])).toEqual([
      ['conv1', 'bn1', 'relu1', false],
      ['conv2', 'bn2', null, false],
    ]);
    expect(namesOf(topology)).toEqual(['in', 'conv1', 'pool1', 'conv2', 'gap', 'dense']);
    expect(layerOf(topology, 'conv1').config).toMatchObject({ use_bias: true, activation: 'relu' });
    expect(layerOf(topology, 'conv2').config).toMatchObject({ use_bias: true, activation: 'linear' });
    expect(layerOf(topology, 'pool1').inbound_nodes).toEqual(inbound('conv1'));
    expect(layerOf(topology, 'gap').inbound_nodes).toEqual(inbound('conv2'));
    // The input model is not modified.
    expect(namesOf(model)).toContain('bn1');
  });

  it('rewires the model output when the folded BN was the output', () => {
    const m = functional(
      [{ name: 'in', class_name: 'InputLayer', config: {}, inbound_nodes: [] }, conv('c', 'in'), bn('b', 'c')],
      'b',
    );
    const { topology, folds } = foldBatchNormTopology(m);
    expect(folds).toHaveLength(1);
    expect((topology.config as { output_layers: unknown }).output_layers).toEqual([['c', 0, 0]]);
  });

  it('leaves layers alone unless the pattern is unambiguous', () => {
    const cases: LayerJson[][] = [
      [conv('c', 'in', { activation: 'relu' }), bn('b', 'c'), layer('o', 'Flatten', 'b')], // conv already has an activation
      [conv('c', 'in'), bn('b', 'c', 1), layer('o', 'Flatten', 'b')], // BN over the channel axis of channels-first data
      [conv('c', 'in', { data_format: 'channels_first' }), bn('b', 'c'), layer('o', 'Flatten', 'b')],
      [conv('c', 'in'), bn('b', 'c'), layer('o', 'Flatten', 'c')], // the conv output is used twice
      [{ ...conv('c', 'in'), class_name: 'DepthwiseConv2D' }, bn('b', 'c'), layer('o', 'Flatten', 'b')],
    ];
    for (const layers of cases) {
      const m = functional([{ name: 'in', class_name: 'InputLayer', config: {}, inbound_nodes: [] }, ...layers], 'o');
      const out = foldBatchNormTopology(m);
      expect(out.folds).toEqual([]);
      expect(out.topology).toBe(m);
    }
  });

  it('keeps a capped or leaky ReLU as its own layer', () => {
    const m = functional(
      [
        { name: 'in', class_name: 'InputLayer', config: {}, inbound_nodes: [] },
        conv('c', 'in'),
        bn('b', 'c'),
        relu('r', 'b', 6),
      ],
      'r',
    );
    const { topology, folds } = foldBatchNormTopology(m);
    expect(folds.map((f) => f.relu)).toEqual([null]);
    expect(namesOf(topology)).toEqual(['in', 'c', 'r']);
    expect(layerOf(topology, 'r').inbound_nodes).toEqual(inbound('c'));
    expect(layerOf(topology, 'c').config['activation']).toBe('linear');
  });
});

describe('foldBatchNormTopology (sequential and others)', () => {
  it('folds consecutive layers of a Sequential model', () => {
    const seq: TopologyJson = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          conv('c1', null),
          bn('b1', 'c1'),
          relu('r1', 'b1'),
          layer('f', 'Flatten', 'r1'),
          layer('d', 'Dense', 'f'),
          bn('b2', 'd'),
        ],
      },
    };
    const { topology, folds } = foldBatchNormTopology(seq);
    expect(folds.map((f) => [f.conv, f.bn, f.relu])).toEqual([
      ['c1', 'b1', 'r1'],
      ['d', 'b2', null],
    ]);
    expect(namesOf(topology)).toEqual(['c1', 'f', 'd']);
  });

  it('returns unknown topologies unchanged', () => {
    const t: TopologyJson = { class_name: 'SomethingElse', config: {} };
    expect(foldBatchNormTopology(t)).toEqual({ topology: t, folds: [] });
  });
});
