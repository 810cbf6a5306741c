import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelForProbability } from '@malaria/contract';
import { buildModel } from '../../../training/src/model.js';
import { isUserFacingError } from '../shared/user-facing-error.js';
import { gradCam } from '../review/where-map.js';
import { createCellNetwork, type CellNetwork } from './cell-network.js';
import { planNetwork } from './network-plan.js';
import { foldBatchNorms } from './optimize-model.js';
import { LAYER_VARIANTS, sequentialTopology, withSeededWeights } from './network-json-test-kit.js';
import {
  artifactsOf,
  fixtureBatch,
  layersGradCam,
  maxAbsDiff,
  randomizeBatchNorms,
  shippedArtifacts,
  shippedMetadata,
} from './network-test-kit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function data(t: tf.Tensor): Float32Array {
  const d = t.dataSync() as Float32Array;
  t.dispose();
  return d;
}

function layersP(model: tf.LayersModel, x: tf.Tensor4D): Float32Array {
  return data(tf.tidy(() => tf.reshape(model.predict(x) as tf.Tensor, [-1])));
}

function coreP(network: CellNetwork, x: tf.Tensor4D): Float32Array {
  return data(tf.tidy(() => tf.reshape(network.predict(x), [-1])));
}

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('the shipped model on tfjs-core ops', () => {
  const metadata = shippedMetadata();
  let layers: tf.LayersModel;
  let folded: CellNetwork;
  let unfolded: CellNetwork;
  let cells: tf.Tensor4D;

  beforeAll(async () => {
    layers = await tf.loadLayersModel(tf.io.fromMemory(shippedArtifacts()));
    const { artifacts, folds } = foldBatchNorms(shippedArtifacts());
    expect(folds).toHaveLength(4);
    folded = createCellNetwork(artifacts);
    unfolded = createCellNetwork(shippedArtifacts());
    ({ batch: cells } = await fixtureBatch(metadata.input));
  });

  afterAll(() => {
    layers.dispose();
    folded.dispose();
    unfolded.dispose();
    cells.dispose();
  });

  // The metadata's input size: 48 × 48 for the shipped model, whose last conv block (after 3 poolings) is 6 × 6.
  const size = metadata.input.width;

  it('reads the topology the app ships: 4 conv blocks, sigmoid output, Grad-CAM on the block after 3 poolings', () => {
    expect(folded.inputShape).toEqual([size, metadata.input.height, 3]);
    expect(folded.plan.steps.map((s) => s.kind)).toEqual([
      ...Array.from({ length: 4 }, () => ['conv2d', 'pool']).flat(),
      'globalPool',
      'identity',
      'dense',
    ]);
    expect(unfolded.plan.steps.filter((s) => s.kind === 'batchNorm')).toHaveLength(4);
    expect(folded.split?.featureShape).toEqual([size / 8, size / 8, 96]);
    expect(unfolded.split?.featureShape).toEqual([size / 8, size / 8, 96]);
  });

  it('gives tfjs-layers’ P (≤ 1e-5) and labels on the 40 fixture cells, folded as in the app and as shipped', () => {
    expect(cells.shape[0]).toBe(40);
    const reference = layersP(layers, cells);
    for (const network of [folded, unfolded]) {
      const p = coreP(network, cells);
      expect(maxAbsDiff(p, reference)).toBeLessThanOrEqual(1e-5);
      expect(Array.from(p, (v) => labelForProbability(v, metadata.decision))).toEqual(
        Array.from(reference, (v) => labelForProbability(v, metadata.decision)),
      );
    }
  });

  it('gives the same P on random inputs and one cell at a time', () => {
    const x = tf.randomUniform([8, size, size, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const one = tf.slice(x, [2, 0, 0, 0], [1, size, size, 3]) as tf.Tensor4D;
    try {
      expect(maxAbsDiff(coreP(folded, x), layersP(layers, x))).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(coreP(folded, one), layersP(layers, one))).toBeLessThanOrEqual(1e-5);
    } finally {
      tf.dispose([x, one]);
    }
  });

  it('its logits are the pre-sigmoid output', () => {
    const z = data(tf.tidy(() => tf.reshape(folded.logits(cells), [-1])));
    const p = coreP(folded, cells);
    expect(
      maxAbsDiff(
        Array.from(z, (v) => 1 / (1 + Math.exp(-v))),
        p,
      ),
    ).toBeLessThanOrEqual(1e-6);
  });

  it('features → headLogits is the whole network', () => {
    const split = folded.split!;
    const z = data(tf.tidy(() => tf.reshape(split.headLogits(split.features(cells)), [-1])));
    const whole = data(tf.tidy(() => tf.reshape(folded.logits(cells), [-1])));
    expect(maxAbsDiff(z, whole)).toBeLessThanOrEqual(1e-5);
  });

  it('Grad-CAM equals the tfjs-layers Grad-CAM the app used before', () => {
    const foldedLayers = tf.loadLayersModel(tf.io.fromMemory(foldBatchNorms(shippedArtifacts()).artifacts));
    return foldedLayers.then((reference) => {
      try {
        const ours = data(gradCam(folded, cells));
        const theirs = data(layersGradCam(reference, cells));
        const scale = Math.max(...theirs);
        expect(scale).toBeGreaterThan(0);
        expect(maxAbsDiff(ours, theirs) / scale).toBeLessThan(1e-4);
      } finally {
        reference.dispose();
      }
    });
  });

  it('leaves no tensor behind: predict, logits, Grad-CAM, and create + dispose', () => {
    const before = tf.memory().numTensors;
    tf.dispose([folded.predict(cells), folded.logits(cells), gradCam(folded, cells), gradCam(unfolded, cells)]);
    expect(tf.memory().numTensors).toBe(before);
    const { artifacts } = foldBatchNorms(shippedArtifacts());
    const network = createCellNetwork(artifacts);
    expect(tf.memory().numTensors).toBe(before + 10); // 4 × (kernel, bias) + dense kernel and bias
    tf.dispose(network.predict(cells));
    network.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => network.predict(cells)).toThrow(/dispose/);
  });
});

describe('other architectures training builds (training/src/model.ts)', () => {
  it.each([
    { inputSize: 48, filters: [8, 16, 24], seed: 5 },
    { inputSize: 32, filters: [12, 20], seed: 11 },
  ])('input $inputSize, filters $filters: same P as tfjs-layers, as saved and folded', async (opts) => {
    const model = buildModel({ ...opts, dropout: 0.5 });
    randomizeBatchNorms(model, opts.seed);
    const artifacts = await artifactsOf(model);
    const input = { ...shippedMetadata().input, width: opts.inputSize, height: opts.inputSize };
    const { batch } = await fixtureBatch(input);
    const before = tf.memory().numTensors;
    try {
      const reference = layersP(model, batch);
      for (const a of [artifacts, foldBatchNorms(artifacts).artifacts]) {
        const network = createCellNetwork(a);
        try {
          expect(network.inputShape).toEqual([opts.inputSize, opts.inputSize, 3]);
          expect(maxAbsDiff(coreP(network, batch), reference)).toBeLessThanOrEqual(1e-5);
          const ours = data(gradCam(network, batch));
          const theirs = data(layersGradCam(model, batch));
          const scale = Math.max(...theirs);
          expect(scale).toBeGreaterThan(0); // an untrained network, but not an all-zero map
          expect(maxAbsDiff(ours, theirs) / scale).toBeLessThan(1e-4);
        } finally {
          network.dispose();
        }
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      batch.dispose();
      model.dispose();
    }
  });
});

/** Layer variants the plan accepts beyond what training builds: each must match tfjs-layers too. */
function variantModels(): { name: string; model: tf.LayersModel }[] {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const bias = (seed: number) => tf.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed });
  const a = tf.sequential({ name: 'variant_a' });
  a.add(
    tf.layers.conv2d({
      inputShape: [33, 31, 3],
      filters: 6,
      kernelSize: [3, 5],
      strides: 2,
      padding: 'valid',
      activation: 'tanh',
      kernelInitializer: init(1),
      biasInitializer: bias(2),
    }),
  );
  a.add(tf.layers.batchNormalization({}));
  a.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  a.add(
    tf.layers.zeroPadding2d({
      padding: [
        [1, 2],
        [0, 3],
      ],
    }),
  );
  a.add(
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      dilationRate: 2,
      padding: 'same',
      activation: 'elu',
      kernelInitializer: init(3),
      biasInitializer: bias(4),
    }),
  );
  a.add(tf.layers.reLU({ maxValue: 0.8 }));
  a.add(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
  a.add(
    tf.layers.cropping2D({
      cropping: [
        [1, 0],
        [0, 1],
      ],
    }),
  );
  a.add(
    tf.layers.conv2d({
      filters: 5,
      kernelSize: 1,
      activation: 'relu6',
      kernelInitializer: init(5),
      biasInitializer: bias(6),
    }),
  );
  a.add(tf.layers.activation({ activation: 'sigmoid' }));
  a.add(tf.layers.globalMaxPooling2d({}));
  a.add(tf.layers.dense({ units: 4, activation: 'relu', kernelInitializer: init(7), biasInitializer: bias(8) }));
  a.add(tf.layers.batchNormalization({}));
  a.add(tf.layers.dropout({ rate: 0.4 }));
  a.add(tf.layers.dense({ units: 1, kernelInitializer: init(9) }));
  a.add(tf.layers.activation({ activation: 'sigmoid' }));

  const b = tf.sequential({ name: 'variant_b' });
  b.add(
    tf.layers.conv2d({
      inputShape: [16, 16, 3],
      filters: 4,
      kernelSize: 3,
      useBias: false,
      kernelInitializer: init(10),
    }),
  );
  b.add(tf.layers.batchNormalization({ center: false }));
  b.add(tf.layers.activation({ activation: 'relu' }));
  b.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }));
  b.add(tf.layers.flatten({}));
  b.add(tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: init(11), biasInitializer: bias(12) }));
  b.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(13), biasInitializer: bias(14) }));
  return [
    { name: 'A: strides, dilation, padding, cropping, other activations, BN after Dense', model: a },
    { name: 'B: valid conv, BN without centre, Flatten', model: b },
  ];
}

describe('layer variants the network accepts', () => {
  it.each(variantModels())('$name: same P and logits as tfjs-layers', async ({ model }) => {
    randomizeBatchNorms(model, 5);
    const artifacts = await artifactsOf(model);
    const shape = model.inputs[0]!.shape.slice(1) as [number, number, number];
    const x = tf.randomUniform([6, ...shape], 0, 1, 'float32', 21) as tf.Tensor4D;
    try {
      const reference = layersP(model, x);
      for (const a of [artifacts, foldBatchNorms(artifacts).artifacts]) {
        const network = createCellNetwork(a);
        try {
          expect(maxAbsDiff(coreP(network, x), reference)).toBeLessThanOrEqual(1e-5);
          const z = data(tf.tidy(() => tf.reshape(network.logits(x), [-1])));
          expect(
            maxAbsDiff(
              Array.from(z, (v) => 1 / (1 + Math.exp(-v))),
              reference,
            ),
          ).toBeLessThanOrEqual(1e-5);
          expect(network.split).not.toBeNull();
          tf.dispose(gradCam(network, x));
        } finally {
          network.dispose();
        }
      }
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('every layer type and setting the plan accepts (network-json-test-kit.ts)', () => {
  it.each(LAYER_VARIANTS)('$name: same P as tfjs-layers loading the same JSON', async ({ layers }) => {
    const artifacts = withSeededWeights(sequentialTopology(layers), 3);
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.randomUniform([5, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    try {
      const reference = layersP(model, x);
      for (const a of [artifacts, foldBatchNorms(artifacts).artifacts]) {
        const network = createCellNetwork(a);
        try {
          expect(maxAbsDiff(coreP(network, x), reference)).toBeLessThanOrEqual(1e-5);
        } finally {
          network.dispose();
        }
      }
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('models the app cannot run are refused, by name', () => {
  /** The shipped topology with its layer list edited by `edit`. */
  function shippedWith(edit: (layers: Record<string, unknown>[]) => void): unknown {
    const topology = JSON.parse(JSON.stringify(shippedArtifacts().modelTopology)) as {
      config: { layers: Record<string, unknown>[] };
    };
    edit(topology.config.layers);
    return topology;
  }
  const layer = (layers: Record<string, unknown>[], name: string) =>
    layers.find((l) => (l['config'] as { name: string }).name === name)!['config'] as Record<string, unknown>;

  it.each([
    {
      what: 'an unknown layer type',
      topology: () =>
        shippedWith((ls) => {
          ls.find((l) => l['name'] === 'pool2')!['class_name'] = 'Conv2DTranspose';
        }),
      message: /Conv2DTranspose layer "pool2".*does not implement/,
    },
    {
      what: 'an unsupported activation',
      topology: () => shippedWith((ls) => void (layer(ls, 'p_parasitized')['activation'] = 'softmax')),
      message: /Dense layer "p_parasitized".*"softmax"/,
    },
    {
      what: 'channels-first data',
      topology: () => shippedWith((ls) => void (layer(ls, 'conv3')['data_format'] = 'channels_first')),
      message: /conv3.*channels_first/,
    },
    {
      what: 'more than one output value',
      topology: () => shippedWith((ls) => void (layer(ls, 'p_parasitized')['units'] = 2)),
      message: /outputs \[2\]/,
    },
    {
      what: 'Keras 3 keepdims on a global pool (tfjs-layers has none to check it against)',
      topology: () => shippedWith((ls) => void (layer(ls, 'gap')['keepdims'] = true)),
      message: /GlobalAveragePooling2D layer "gap".*keepdims/,
    },
    {
      what: 'causal padding',
      topology: () => shippedWith((ls) => void (layer(ls, 'conv1')['padding'] = 'causal')),
      message: /conv1.*causal/,
    },
  ])('$what', ({ topology, message }) => {
    const err = thrown(() => planNetwork(topology()));
    expect(isUserFacingError(err, 'model')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('a branch (Add of two layers)', () => {
    const input = tf.input({ shape: [8, 8, 3], name: 'img' });
    const c1 = tf.layers
      .conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'c1' })
      .apply(input) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c2' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'join' }).apply([c1, c2]) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }).apply(gap) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const err = thrown(() => planNetwork(model.toJSON(null, false)));
    model.dispose();
    expect(isUserFacingError(err, 'model')).toBe(true);
    expect((err as Error).message).toMatch(/Add layer "join"/);
  });

  it('weights that do not fit, freeing what it decoded', () => {
    const before = tf.memory().numTensors;
    const base = shippedArtifacts();
    const specs = base.weightSpecs!;
    const cases: [tf.io.ModelArtifacts, RegExp][] = [
      [
        { ...base, weightSpecs: specs.map((s) => (s.name === 'conv2/kernel' ? { ...s, name: 'conv2/kern' } : s)) },
        /conv2\/kernel is missing/,
      ],
      [
        { ...base, modelTopology: shippedWith((ls) => void (layer(ls, 'conv2')['filters'] = 33)) as object },
        /conv2\/kernel has shape/,
      ],
      [
        {
          ...base,
          weightSpecs: [...specs, { name: 'stray/bias', shape: [4], dtype: 'float32' }],
          weightData: new Uint8Array([...new Uint8Array(base.weightData as ArrayBuffer), ...new Uint8Array(16)]).buffer,
        },
        /stray\/bias belong to no layer/,
      ],
    ];
    for (const [artifacts, message] of cases) {
      const err = thrown(() => createCellNetwork(artifacts));
      expect(isUserFacingError(err, 'model')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
