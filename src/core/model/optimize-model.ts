/**
 * Inference-only rewrite of the downloaded model artifacts, done once at load time (the files in
 * public/model/ are untouched): batch normalisation folded into the preceding convolutions and
 * plain ReLUs fused into them (fold-batchnorm.ts has the maths and the exact pattern).
 * Pure: works on the weight bytes directly, so it never creates tensors or starts a tfjs backend.
 * Only plain float32 weights are rewritten; quantised or other dtypes leave the model as it is.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { foldBatchNormTopology, foldBatchNormWeights, type FoldPlan, type TopologyJson } from './fold-batchnorm.js';

export interface OptimizedArtifacts {
  artifacts: tf.io.ModelArtifacts;
  folds: FoldPlan[];
}

interface Weight {
  spec: tf.io.WeightsManifestEntry;
  values: Float32Array;
}

function isTopology(t: unknown): t is TopologyJson {
  return (
    !!t &&
    typeof t === 'object' &&
    !ArrayBuffer.isView(t) &&
    typeof (t as { class_name?: unknown }).class_name === 'string'
  );
}

function weightBuffer(a: tf.io.ModelArtifacts): ArrayBuffer | null {
  const w = a.weightData;
  if (!w) return null;
  if (!Array.isArray(w)) return w;
  const out = new Uint8Array(w.reduce((s, b) => s + b.byteLength, 0));
  let offset = 0;
  for (const b of w) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Splits the weight bytes per spec; null if any weight is not plain float32 or the sizes disagree. */
export function readFloat32Weights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
): Map<string, Weight> | null {
  const out = new Map<string, Weight>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization) return null;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > data.byteLength) return null;
    out.set(spec.name, { spec, values: new Float32Array(data.slice(offset, offset + size * 4)) });
    offset += size * 4;
  }
  return offset === data.byteLength ? out : null;
}

function writeFloat32Weights(weights: readonly Weight[]): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const total = weights.reduce((s, w) => s + w.values.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    all.set(w.values, offset);
    offset += w.values.length;
  }
  return { specs: weights.map((w) => w.spec), data: all.buffer };
}

/** Returns artifacts with batch norms folded, or the original artifacts when nothing applies. */
export function foldBatchNorms(artifacts: tf.io.ModelArtifacts): OptimizedArtifacts {
  const unchanged = { artifacts, folds: [] };
  const data = weightBuffer(artifacts);
  if (!isTopology(artifacts.modelTopology) || !artifacts.weightSpecs || !data) return unchanged;
  const { topology, folds } = foldBatchNormTopology(artifacts.modelTopology);
  if (!folds.length) return unchanged;
  const weights = readFloat32Weights(artifacts.weightSpecs, data);
  if (!weights) return unchanged;

  const get = (name: string) => weights.get(name)?.values ?? null;
  const replacements = new Map<string, Weight | null>();
  for (const f of folds) {
    const kernel = weights.get(`${f.conv}/kernel`);
    const mean = get(`${f.bn}/moving_mean`);
    const variance = get(`${f.bn}/moving_variance`);
    const gamma = f.scale ? get(`${f.bn}/gamma`) : null;
    const beta = f.center ? get(`${f.bn}/beta`) : null;
    const bias = f.convHadBias ? get(`${f.conv}/bias`) : null;
    if (!kernel || !mean || !variance || (f.scale && !gamma) || (f.center && !beta) || (f.convHadBias && !bias))
      return unchanged;
    let folded: { kernel: Float32Array; bias: Float32Array };
    try {
      folded = foldBatchNormWeights(kernel.values, bias, { gamma, beta, mean, variance, epsilon: f.epsilon });
    } catch {
      return unchanged;
    }
    replacements.set(kernel.spec.name, { spec: kernel.spec, values: folded.kernel });
    const biasName = `${f.conv}/bias`;
    const oldBias = weights.get(biasName);
    if (oldBias) replacements.set(biasName, { spec: oldBias.spec, values: folded.bias });
    else
      replacements.set(`+${biasName}`, {
        spec: { name: biasName, shape: [folded.bias.length], dtype: 'float32' },
        values: folded.bias,
      });
    for (const w of ['gamma', 'beta', 'moving_mean', 'moving_variance']) replacements.set(`${f.bn}/${w}`, null);
  }
  const kept: Weight[] = [];
  for (const [name, w] of weights) {
    const r = replacements.get(name);
    if (r === undefined) kept.push(w);
    else if (r) kept.push(r);
  }
  for (const [key, w] of replacements) if (key.startsWith('+') && w) kept.push(w);
  const { specs, data: weightData } = writeFloat32Weights(kept);
  return {
    artifacts: {
      ...artifacts,
      modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: specs,
      weightData,
    },
    folds,
  };
}
