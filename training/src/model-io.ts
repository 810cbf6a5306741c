/**
 * Saves and loads layers models as files without tfjs-node (whose `file://` handler we may lack):
 * `model.json` + weight shards of at most `maxShardBytes` each, the standard tfjs layout.
 */
import { mkdir, readFile, writeFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface SaveOptions {
  includeOptimizer?: boolean;
  maxShardBytes?: number;
}

function concatWeightData(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** Writes into `dir` atomically (temp dir + rename), so an interrupted save never corrupts it. */
export async function saveModel(model: tf.LayersModel, dir: string, opts: SaveOptions = {}): Promise<string[]> {
  const maxShard = opts.maxShardBytes ?? 2 * 1024 * 1024 - 1;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const files: string[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(concatWeightData(artifacts.weightData ?? new ArrayBuffer(0)));
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / maxShard));
      const paths: string[] = [];
      for (let i = 0; i < shardCount; i++) {
        const name = `group1-shard${i + 1}of${shardCount}.bin`;
        await writeFile(
          path.join(tmp, name),
          weights.subarray(i * maxShard, Math.min((i + 1) * maxShard, weights.byteLength)),
        );
        paths.push(name);
      }
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
      files.push('model.json', ...paths);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
    { includeOptimizer: opts.includeOptimizer ?? false },
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await rename(tmp, dir);
  return files;
}

export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(new Uint8Array(await readFile(path.join(dir, p))));
      }
      const total = buffers.reduce((s, b) => s + b.byteLength, 0);
      const weightData = new Uint8Array(total);
      let off = 0;
      for (const b of buffers) {
        weightData.set(b, off);
        off += b.byteLength;
      }
      return tf.io.getModelArtifactsForJSON(json, async () => [specs, weightData.buffer]);
    },
  };
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(fileLoadHandler(dir));
  } catch (err) {
    throw new Error(`cannot load model from ${dir}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
