/**
 * Test helpers for the network and where-map tests (Node, tfjs CPU; not part of the app): the
 * shipped model's artifacts read from disk, the 40 fixture cells through the app's preprocessing,
 * a tfjs-layers model's artifacts, and the reference the core network is checked against: the
 * tfjs-layers Grad-CAM the app ran before src/core/model/cell-network.ts (same anatomy: features =
 * the last Conv2D and the BN / ReLU layers right after it, head replayed layer by layer, logit of a
 * sigmoid Dense = h·W + b).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { parseModelMetadata, type ModelMetadata } from '@malaria/contract';
import { preprocessPixels } from '@malaria/contract/preprocess';

export const MODEL_DIR = join(import.meta.dirname, '../../../public/model');
export const FIXTURES = join(import.meta.dirname, '../../../fixtures/cells');

/** The shipped model's artifacts, read from disk the way tf.io.http hands them over (one reader for both kits). */
export { shippedModelArtifacts as shippedArtifacts } from './network-json-test-kit.js';

export function shippedMetadata(): ModelMetadata {
  return parseModelMetadata(JSON.parse(readFileSync(join(MODEL_DIR, 'metadata.json'), 'utf8')));
}

export interface FixtureCell {
  name: string;
  label: 'Parasitized' | 'Uninfected';
}

/**
 * The fixture cells (fixtures/cells/<label>/*.webp, sorted) decoded with sharp and preprocessed
 * with the app's preprocessPixels for `input` (the shipped metadata's, or another size).
 */
export async function fixtureBatch(
  input: ModelMetadata['input'],
  labels: readonly FixtureCell['label'][] = ['Parasitized', 'Uninfected'],
): Promise<{ cells: FixtureCell[]; batch: tf.Tensor4D }> {
  const cells: FixtureCell[] = labels.flatMap((label) =>
    readdirSync(join(FIXTURES, label))
      .sort()
      .map((name) => ({ name, label })),
  );
  const decoded = await Promise.all(
    cells.map(async (c) => {
      const { data, info } = await sharp(await readFile(join(FIXTURES, c.label, c.name)))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
  const batch = tf.tidy(
    () =>
      tf.stack(
        decoded.map((d) => preprocessPixels(tf.tensor3d(d.data, [d.height, d.width, 3], 'int32'), input)),
      ) as tf.Tensor4D,
  );
  return { cells, batch };
}

/** What `model.save` writes, kept in memory. */
export async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('model.save handed over nothing');
  return saved;
}

/** Gives every BatchNormalization layer seeded random statistics (fresh ones are the identity). */
export function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      s++;
      const [lo, hi] = /moving_variance/.test(w.originalName)
        ? [0.2, 2]
        : /gamma/.test(w.originalName)
          ? [0.5, 1.5]
          : [-0.5, 0.5]; // beta, moving mean
      return tf.randomUniform(w.shape as number[], lo, hi, 'float32', s);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** max |a − b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

// ---------------------------------------------------------------------------------------------
// The tfjs-layers Grad-CAM (the app's implementation before cell-network.ts), kept as the reference.
// ---------------------------------------------------------------------------------------------

type Layer = tf.LayersModel['layers'][number];

const BLOCK_TAIL = new Set(['BatchNormalization', 'ReLU', 'Activation', 'LeakyReLU']);

function inboundLayers(layer: Layer): Layer[] {
  const nodes = layer.inboundNodes;
  if (nodes.length !== 1) return [];
  return nodes[0]?.inboundLayers ?? [];
}

function isSigmoidDense(layer: Layer): boolean {
  return layer.getClassName() === 'Dense' && layer.getConfig()['activation'] === 'sigmoid';
}

function denseLogit(layer: Layer, h: tf.Tensor): tf.Tensor2D {
  const [kernel, bias] = layer.getWeights();
  if (!kernel) throw new Error('no kernel');
  const z = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
  return (bias ? tf.add(z, bias) : z) as tf.Tensor2D;
}

/** Grad-CAM [n, h', w'] of a tfjs-layers model whose output is a sigmoid Dense, as the app computed it. */
export function layersGradCam(model: tf.LayersModel, inputs: tf.Tensor4D): tf.Tensor3D {
  const layers = model.layers;
  let convIndex = -1;
  for (let i = layers.length - 1; i >= 0 && convIndex < 0; i--)
    if (layers[i]?.getClassName() === 'Conv2D') convIndex = i;
  if (convIndex < 0) throw new Error('no Conv2D');
  let blockIndex = convIndex;
  for (;;) {
    const block = layers[blockIndex] as Layer;
    const consumers = layers.filter((l) => inboundLayers(l).includes(block));
    const next = consumers[0];
    if (consumers.length !== 1 || !next || !BLOCK_TAIL.has(next.getClassName()) || inboundLayers(next).length !== 1)
      break;
    blockIndex = layers.indexOf(next);
  }
  const head = layers.slice(blockIndex + 1);
  const out = head[head.length - 1] as Layer;
  if (!isSigmoidDense(out)) throw new Error('the reference needs a sigmoid Dense output');
  const features = tf.model({
    inputs: model.inputs,
    outputs: (layers[blockIndex] as Layer).output as tf.SymbolicTensor,
  });
  const headLogit = (a: tf.Tensor4D): tf.Tensor2D => {
    let h: tf.Tensor = a;
    for (let k = 0; k < head.length - 1; k++) h = (head[k] as Layer).apply(h) as tf.Tensor;
    return denseLogit(out, h);
  };
  return tf.tidy(() => {
    const a = features.apply(inputs) as tf.Tensor4D;
    const g = tf.grad((v: tf.Tensor) => tf.sum(headLogit(v as tf.Tensor4D)))(a);
    const alpha = tf.mean(g, [1, 2], true);
    return tf.relu(tf.sum(tf.mul(alpha, a), 3)) as tf.Tensor3D;
  });
}
