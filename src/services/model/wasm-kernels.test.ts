/**
 * The WASM kernels the app registers (wasm-kernels.ts) cover every kernel the classifier runs:
 * recorded with tf.profile on the CPU backend (kernel names do not depend on the backend) for
 * preprocessing, the forward pass and Grad-CAM on the shipped model (folded as in the app, and as
 * shipped) and on networks with every layer type network-plan.ts accepts. Imports tfjs-core and
 * the CPU backend only, with the app's gradient registrations (head-gradients.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultInputSpec, MODEL_VIEW_COUNTS } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { createCellNetwork, type CellNetwork } from '../../core/model/cell-network.js';
import {
  LAYER_VARIANTS,
  sequentialTopology,
  shippedModelArtifacts,
  withSeededWeights,
} from '../../core/model/network-json-test-kit.js';
import { foldBatchNorms } from '../../core/model/optimize-model.js';
import { computeWhereMaps, toInputGrid } from '../../core/review/where-map.js';
import { registerHeadGradients } from './head-gradients.js';
import { WASM_KERNELS } from './wasm-kernels.js';

/** Kernel names run by `f` (customGrad wrappers such as `fusedConv2d__op` are not kernels). */
async function kernelsOf(f: () => Promise<void> | void): Promise<Set<string>> {
  const profile = await tf.profile(async () => {
    await f();
    return tf.scalar(0);
  });
  tf.dispose(profile.result as tf.Tensor);
  return new Set(profile.kernelNames.filter((n) => !n.endsWith('__op')));
}

/**
 * What the classifier does with a network: predict a batch, read it, and the where maps — with one view
 * and, for a square input, with the two views a model's metadata may ask for (`output.views`).
 */
async function classifierWork(network: CellNetwork): Promise<void> {
  const [h, w] = network.inputShape;
  const x = tf.randomUniform([3, h, w, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  try {
    for (const views of h === w ? MODEL_VIEW_COUNTS : [1 as const]) {
      const p = predictOverViews(x, views, (v) => network.predict(v));
      await p.data();
      p.dispose();
      await computeWhereMaps(network, x, views);
    }
  } finally {
    x.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  registerHeadGradients();
});

describe('the WASM kernels the app registers', () => {
  const registered = new Set(WASM_KERNELS.map((k) => k.kernelName));

  it('are all for the WASM backend, each once', () => {
    expect(WASM_KERNELS.every((k) => k.backendName === 'wasm')).toBe(true);
    expect(registered.size).toBe(WASM_KERNELS.length);
  });

  it('include every kernel they call directly that needs its setup (e.g. Transpose for Mean)', () => {
    // tfjs-backend-wasm/dist/kernels/<Kernel>.js files import each other ('./Transpose'); a called
    // kernel whose config has a setupFunc only works once registered.
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/kernels');
    const source = (m: string) => readFileSync(join(dir, `${m}.js`), 'utf8');
    const seen = new Set<string>();
    const queue = [...registered];
    while (queue.length) {
      const m = queue.pop() as string;
      if (seen.has(m)) continue;
      seen.add(m);
      for (const [, dep] of source(m).matchAll(/from '\.\/(\w+)'/g)) queue.push(dep as string);
    }
    const needSetup = [...seen].filter(
      (m) => /setupFunc/.test(source(m)) && /export const \w+Config\b/.test(source(m)),
    );
    expect(needSetup.filter((m) => !registered.has(m))).toEqual([]);
    expect(needSetup).toContain('Transpose');
  });

  it('cover preprocessing: worker pixels (float32), fromPixels (int32), resize both ways, stack, upsampling', async () => {
    const spec = defaultInputSpec(64);
    const used = await kernelsOf(() => {
      tf.tidy(() => {
        const a = preprocessPixels(
          tf.tensor3d(new Float32Array(90 * 100 * 3).fill(128), [90, 100, 3], 'float32'),
          spec,
        );
        const b = preprocessPixels(tf.tensor3d(new Int32Array(30 * 40 * 3).fill(7), [30, 40, 3], 'int32'), spec);
        const batch = tf.stack([a, b]);
        toInputGrid(tf.randomUniform([2, 8, 8]) as tf.Tensor3D, 64, 64);
        toInputGrid(tf.randomUniform([2, 64, 64]) as tf.Tensor3D, 64, 64);
        return batch;
      });
    });
    expect([...used].filter((k) => !registered.has(k))).toEqual([]);
    expect(used.has('ResizeBilinear')).toBe(true);
  });

  it.each([
    {
      name: 'the shipped model, folded as in the app',
      artifacts: () => foldBatchNorms(shippedModelArtifacts()).artifacts,
    },
    { name: 'the shipped model as shipped (batch norms)', artifacts: shippedModelArtifacts },
    ...LAYER_VARIANTS.map((v) => ({
      name: v.name,
      artifacts: () => withSeededWeights(sequentialTopology(v.layers), 3),
    })),
  ])('cover predict and Grad-CAM on $name', async ({ artifacts }) => {
    const network = createCellNetwork(artifacts());
    try {
      const used = await kernelsOf(() => classifierWork(network));
      expect([...used].filter((k) => !registered.has(k))).toEqual([]);
      expect(used.size).toBeGreaterThan(5);
    } finally {
      network.dispose();
    }
  });
});
