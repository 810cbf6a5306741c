/**
 * Training's Node path, used as the reference for the browser: decode with sharp + the shared
 * preprocessPixels (training/src/tensor-cache.ts `preprocessFile`), run the shipped model from
 * public/model/ on tfjs's CPU backend, on every view metadata `output.views` asks for, as the app does.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { preprocessFile } from '../../training/src/tensor-cache.js';
import { parseModelMetadata, viewCountOf, type ModelMetadata } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { createCellNetwork, type CellNetwork } from '../../src/core/model/cell-network.js';
import { foldBatchNorms } from '../../src/core/model/optimize-model.js';
import { computeWhereMaps } from '../../src/core/review/where-map.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const MODEL_DIR = join(REPO_ROOT, 'public', 'model');

export interface NodeReference {
  metadata: ModelMetadata;
  /** Model input for a file, flattened [H·W·3]. */
  input(file: string): Promise<Float32Array>;
  probability(file: string): Promise<number>;
  /**
   * The where map (0–255, input grid, row-major) of the batch-norm-folded network, as the app
   * computes it, on tfjs' CPU or WASM backend (their Grad-CAMs differ: WASM's MaxPoolGrad drops the
   * gradient of a pooling window whose values are all 0, CPU routes it to the window's first cell).
   */
  whereMap(file: string, backend: 'cpu' | 'wasm'): Promise<Uint8Array>;
}

let cached: Promise<NodeReference> | null = null;

async function load(): Promise<NodeReference> {
  await tf.setBackend('cpu');
  const metadata = parseModelMetadata(JSON.parse(await readFile(join(MODEL_DIR, 'metadata.json'), 'utf8')));
  const modelJson = JSON.parse(await readFile(join(MODEL_DIR, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(
    modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(MODEL_DIR, p))),
  );
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const artifacts = { modelTopology: modelJson.modelTopology, weightSpecs, weightData };
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const folded = foldBatchNorms(artifacts).artifacts;
  const networks = new Map<string, CellNetwork>();
  const input = (file: string) => preprocessFile(file, metadata.input);
  return {
    metadata,
    input,
    async probability(file) {
      const x = await input(file);
      const { width: w, height: h } = metadata.input;
      return tf.tidy(
        () =>
          predictOverViews(
            tf.tensor4d(x, [1, h, w, 3]),
            viewCountOf(metadata),
            (v) => model.predict(v) as tf.Tensor,
          ).dataSync()[0] as number,
      );
    },
    async whereMap(file, backend) {
      const { width: w, height: h } = metadata.input;
      const pixels = await input(file);
      await tf.setBackend(backend);
      try {
        let network = networks.get(backend);
        if (!network) {
          network = createCellNetwork(folded);
          networks.set(backend, network);
        }
        const x = tf.tensor4d(pixels, [1, h, w, 3]);
        try {
          const [map] = await computeWhereMaps(network, x, viewCountOf(metadata));
          if (!map) throw new Error('no where map');
          return map.values;
        } finally {
          x.dispose();
        }
      } finally {
        await tf.setBackend('cpu');
      }
    },
  };
}

export function nodeReference(): Promise<NodeReference> {
  cached ??= load();
  return cached;
}
