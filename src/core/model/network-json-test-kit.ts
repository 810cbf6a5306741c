/**
 * Test helpers that build networks from Keras JSON with seeded weights, without tfjs-layers (which,
 * like the `@tensorflow/tfjs` umbrella, registers every gradient): for tests that must see only
 * what the app registers (src/services/model/head-gradients.test.ts, wasm-kernels.test.ts).
 * `LAYER_VARIANTS` covers every layer type and setting network-plan.ts accepts, as the body and
 * as the head (after the last conv block, where Grad-CAM back-propagates).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { planNetwork } from './network-plan.js';

export type LayerSpec = [className: string, config: Record<string, unknown>];

/** A Sequential Keras topology on a `size` × `size` × 3 input. */
export function sequentialTopology(layers: readonly LayerSpec[], size = 16): object {
  return {
    class_name: 'Sequential',
    config: {
      name: 'json_test',
      layers: [
        {
          class_name: 'InputLayer',
          config: { name: 'in', batch_input_shape: [null, size, size, 3], dtype: 'float32' },
        },
        ...layers.map(([class_name, config], i) => ({ class_name, config: { name: `l${i}`, ...config } })),
      ],
    },
  };
}

/** Artifacts with seeded weights in [−0.5, 0.5) for every weight the topology needs (variances positive). */
export function withSeededWeights(topology: object, seed: number): tf.io.ModelArtifacts {
  const needs = planNetwork(topology).weights;
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const values = needs.map(({ name, shape }) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
      name.endsWith('moving_variance') ? 0.5 + rand() : rand() - 0.5,
    ),
  );
  const all = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  for (const v of values) {
    all.set(v, offset);
    offset += v.length;
  }
  return {
    modelTopology: topology,
    weightSpecs: needs.map(({ name, shape }) => ({ name, shape: [...shape], dtype: 'float32' as const })),
    weightData: all.buffer,
  };
}

const conv = (filters: number, activation = 'relu', extra: Record<string, unknown> = {}): LayerSpec => [
  'Conv2D',
  { filters, kernel_size: [3, 3], padding: 'same', activation, use_bias: true, ...extra },
];

/** Networks that together use every layer type, setting and activation network-plan.ts accepts. */
export const LAYER_VARIANTS: { name: string; layers: LayerSpec[] }[] = [
  {
    name: 'max pool → global average → dropout → sigmoid dense (the shipped head)',
    layers: [
      conv(4, 'linear', { use_bias: false }),
      ['BatchNormalization', { axis: -1 }],
      ['ReLU', {}],
      ['MaxPooling2D', { pool_size: [2, 2] }],
      conv(4),
      ['MaxPooling2D', { pool_size: [2, 2] }],
      ['GlobalAveragePooling2D', {}],
      ['Dropout', { rate: 0.3 }],
      ['Dense', { units: 1, activation: 'sigmoid' }],
    ],
  },
  {
    name: 'average pool → LeakyReLU → flatten → relu dense → batch norm → relu6 → elu dense → sigmoid dense',
    layers: [
      conv(3, 'elu', { strides: [2, 2], padding: 'valid' }),
      conv(3, 'tanh', { dilation_rate: [2, 2] }),
      ['AveragePooling2D', { pool_size: [2, 2], padding: 'same' }],
      ['LeakyReLU', { alpha: 0.2 }],
      ['Flatten', {}],
      ['Dense', { units: 6, activation: 'relu' }],
      ['BatchNormalization', { axis: -1, center: false }],
      ['Activation', { activation: 'relu6' }],
      ['Dense', { units: 3, activation: 'elu', use_bias: false }],
      ['Dense', { units: 1, activation: 'sigmoid' }],
    ],
  },
  {
    name: 'padding → cropping → sigmoid → tanh → clipped ReLU → global max → tanh output (logit of P)',
    layers: [
      conv(4, 'relu6'),
      ['Dropout', { rate: 0.1 }],
      conv(4, 'sigmoid', { kernel_size: [1, 1] }),
      [
        'ZeroPadding2D',
        {
          padding: [
            [1, 1],
            [2, 0],
          ],
        },
      ],
      [
        'Cropping2D',
        {
          cropping: [
            [0, 1],
            [1, 1],
          ],
        },
      ],
      ['Activation', { activation: 'sigmoid' }],
      ['Activation', { activation: 'tanh' }],
      ['ReLU', { max_value: 0.9 }], // tanh(sigmoid(x)) < 0.77: the clip passes gradients
      ['GlobalMaxPooling2D', {}],
      ['Dense', { units: 1, activation: 'tanh' }],
    ],
  },
  {
    name: 'pooling with strides → flatten → linear dense → sigmoid activation',
    layers: [
      conv(4, 'linear'),
      ['MaxPooling2D', { pool_size: [3, 3], strides: [2, 2], padding: 'same' }],
      ['AveragePooling2D', { pool_size: [2, 2], strides: [1, 1] }],
      ['Flatten', {}],
      ['Dense', { units: 1, activation: 'linear' }],
      ['Activation', { activation: 'sigmoid' }],
    ],
  },
];

const MODEL_DIR = join(import.meta.dirname, '../../../public/model');

/** The shipped model's artifacts, read from disk. */
export function shippedModelArtifacts(): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: tf.io.WeightsManifestConfig;
  };
  const bytes = Buffer.concat(
    json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(MODEL_DIR, p)))),
  );
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}
