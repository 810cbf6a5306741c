import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { foldBatchNorms, readFloat32Weights } from './optimize-model.js';

const MODEL_DIR = join(import.meta.dirname, '../../../public/model');

/** The shipped model's artifacts, read from disk the way tf.io.http would hand them over. */
function shippedArtifacts(): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as {
    modelTopology: tf.io.ModelArtifacts['modelTopology'];
    weightsManifest: tf.io.WeightsManifestConfig;
  };
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(MODEL_DIR, p))));
  const bytes = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

describe('foldBatchNorms on the shipped model', () => {
  it('gives the same probabilities with fewer layers (tfjs CPU)', async () => {
    await tf.setBackend('cpu');
    const original = shippedArtifacts();
    const { artifacts, folds } = foldBatchNorms(original);
    const a = await tf.loadLayersModel(tf.io.fromMemory(original));
    const b = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    try {
      const bnLayers = a.layers.filter((l) => l.getClassName() === 'BatchNormalization').length;
      expect(folds).toHaveLength(bnLayers);
      expect(b.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(0);
      expect(b.countParams()).toBeLessThan(a.countParams());
      const shape = a.inputs[0]!.shape.slice(1) as number[];
      const x = tf.randomUniform([16, ...shape], 0, 1, 'float32', 42);
      const pa = tf.tidy(() => (a.predict(x) as tf.Tensor).dataSync());
      const pb = tf.tidy(() => (b.predict(x) as tf.Tensor).dataSync());
      x.dispose();
      let worst = 0;
      for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs((pa[i] as number) - (pb[i] as number)));
      expect(worst).toBeLessThan(1e-5);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('does not touch the original artifacts', () => {
    const original = shippedArtifacts();
    const before = JSON.stringify(original.modelTopology);
    const specs = original.weightSpecs?.length;
    foldBatchNorms(original);
    expect(JSON.stringify(original.modelTopology)).toBe(before);
    expect(original.weightSpecs?.length).toBe(specs);
  });
});

describe('readFloat32Weights', () => {
  it('splits float32 weights by spec', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5]).buffer;
    const w = readFloat32Weights(
      [
        { name: 'a', shape: [2], dtype: 'float32' },
        { name: 'b', shape: [3, 1], dtype: 'float32' },
      ],
      data,
    );
    expect(w && Array.from(w.get('b')!.values)).toEqual([3, 4, 5]);
  });

  it('refuses quantised weights, other dtypes and size mismatches (the model is then used as is)', () => {
    const data = new Float32Array(4).buffer;
    expect(
      readFloat32Weights(
        [{ name: 'a', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } }],
        data,
      ),
    ).toBeNull();
    expect(readFloat32Weights([{ name: 'a', shape: [4], dtype: 'int32' }], data)).toBeNull();
    expect(readFloat32Weights([{ name: 'a', shape: [3], dtype: 'float32' }], data)).toBeNull();
    expect(readFloat32Weights([{ name: 'a', shape: [5], dtype: 'float32' }], data)).toBeNull();
  });

  it('leaves artifacts without a foldable pattern unchanged', () => {
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: { class_name: 'Sequential', config: { layers: [] } },
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
    };
    expect(foldBatchNorms(artifacts)).toEqual({ artifacts, folds: [] });
  });
});
