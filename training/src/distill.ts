/**
 * Self-distillation for the debris fine-tune. Every debris fine-tune of the 48 px network so far
 * unlearned NIH ranking (validation loss 0.104 → 0.15–0.19, test accuracy 96.2 → 90.4–93.3 %): with hard
 * 0/1 targets the network must relearn, from the marked copies, where the line between a parasite's
 * chromatin and a stain rod lies, and it moves every other cell's score while doing so. Here the target of
 * a training cell is a mix of its label and the clean teacher's P on the *unmarked* cell (mean of the 8
 * dihedral views), while the student sees the augmented cell, with debris or not. So the student is asked
 * to score a marked cell as the teacher scores it clean — debris invariance — and to keep the teacher's
 * scores elsewhere, including its doubts on the cells whose label it contradicts (see "Label noise").
 * (Hinton, Vinyals & Dean 2015, "Distilling the knowledge in a neural network"; here teacher and student
 * share the architecture and the student starts from the teacher.)
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadModel } from './model-io.js';
import { predictDihedralMean } from './predict.js';

export interface DistillOptions {
  /** Saved layers model whose clean-cell scores are the soft targets. */
  teacher: string;
  /** Share of the target taken from the teacher: target = (1 − w)·label + w·P_teacher. */
  weight: number;
  /** Dihedral views averaged for the teacher's score (1–8). */
  views: number;
  /** sha256 of the teacher's files when the run started (teacherDigest); a resumed run refuses another teacher. */
  teacherDigest?: string;
}

/** sha256 (hex) of a saved model's model.json and weight files, in name order. */
export async function teacherDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const f of (await readdir(dir)).sort())
    if (f === 'model.json' || f.endsWith('.bin')) hash.update(f).update(await readFile(path.join(dir, f)));
  return hash.digest('hex');
}

/**
 * The teacher's P for each cell index in `indices`, as a per-cell array over all cells (NaN for cells
 * not scored), so a batch of indices can look its targets up.
 */
export function teacherScores(
  teacher: tf.LayersModel,
  pixels: Float32Array,
  cellCount: number,
  indices: readonly number[],
  size: number,
  views: number,
): Float32Array {
  const unique = [...new Set(indices)];
  const p = predictDihedralMean(teacher, pixels, unique, size, views);
  const out = new Float32Array(cellCount).fill(Number.NaN);
  unique.forEach((i, k) => (out[i] = p[k] as number));
  return out;
}

/**
 * teacherScores for the saved teacher at `options.teacher`, kept in `cacheDir` under a key of the teacher's
 * files, the views, the input size, the scored cells and their pixels: scoring 17k cells × 8 views takes
 * 2 min at 48 px and 4 min at 64 px on 2 cores, and every fine-tune from the same teacher needs the same.
 */
export async function cachedTeacherScores(
  options: DistillOptions,
  pixels: Float32Array,
  cellCount: number,
  indices: readonly number[],
  size: number,
  cacheDir: string | undefined,
  log: (m: string) => void,
): Promise<Float32Array> {
  // The train loop has already digested the teacher (to refuse a changed one on resume): not read twice.
  const hash = createHash('sha256').update(options.teacherDigest ?? (await teacherDigest(options.teacher)));
  hash.update(`${options.views}|${size}|${cellCount}|${indices.join(',')}`);
  hash.update(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  const file = cacheDir ? path.join(cacheDir, `teacher-${hash.digest('hex').slice(0, 16)}.f32`) : null;
  if (file) {
    try {
      const bytes = await readFile(file);
      if (bytes.byteLength === cellCount * 4) {
        log(`[train] teacher scores from cache ${file}`);
        return new Float32Array(bytes.buffer, bytes.byteOffset, cellCount).slice();
      }
    } catch {
      // not cached yet
    }
  }
  const teacher = await loadModel(options.teacher);
  const scores = teacherScores(teacher, pixels, cellCount, indices, size, options.views);
  teacher.dispose();
  if (file && cacheDir) {
    await mkdir(cacheDir, { recursive: true });
    // Written whole, then renamed: a run killed mid-write leaves no half file under the key.
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, new Uint8Array(scores.buffer));
    await rename(tmp, file);
  }
  return scores;
}

/**
 * Targets for one batch: (1 − weight)·label + weight·teacher. Cells from index `hardFrom` on (the `--extra`
 * field crops) train on their label alone: the teacher's scores on field crops are what a field fine-tune
 * is there to change. Throws for any other cell the teacher did not score.
 */
export function softTargets(
  batch: readonly number[],
  labels: ArrayLike<number>,
  teacher: ArrayLike<number>,
  weight: number,
  hardFrom = Number.POSITIVE_INFINITY,
): Float32Array {
  if (!(weight >= 0 && weight <= 1)) throw new Error(`distillation weight must be in [0, 1], got ${weight}`);
  return Float32Array.from(batch, (i) => {
    if (i >= hardFrom) return labels[i] as number;
    const t = teacher[i] as number;
    if (!Number.isFinite(t)) throw new Error(`cell ${i} has no teacher score`);
    return (1 - weight) * (labels[i] as number) + weight * t;
  });
}
