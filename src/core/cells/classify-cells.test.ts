import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '@malaria/contract';
import type { CellPixels, CellPrediction, Classifier } from '../model/classifier-types.js';
import { classifyBatchSettled, classifyCells, type SettlingClassifier } from './classify-cells.js';

/** Sources are numbered 1×1 images; source 13 (when present) breaks the model. */
const source = (i: number): CellPixels => ({ kind: 'rgb', data: new Float32Array([i, 0, 0]), width: 1, height: 1 });
const idOf = (s: CellPixels) => (s as { data: Float32Array }).data[0]!;
const prediction = (s: CellPixels): CellPrediction => ({ probability: idOf(s) / 100, label: 'Uninfected' });

function fakeClassifier(bad = 13) {
  const batches: number[][] = [];
  const singles: number[] = [];
  const classifier: Classifier = {
    metadata: {} as ModelMetadata,
    backend: 'cpu',
    classify: async (s) => {
      singles.push(idOf(s));
      if (idOf(s) === bad) throw new Error(`cell ${bad} broke the model`);
      return prediction(s);
    },
    classifyBatch: async (sources) => {
      batches.push(sources.map(idOf));
      if (sources.some((s) => idOf(s) === bad)) throw new Error('batch failed');
      return sources.map(prediction);
    },
    dispose: () => undefined,
  };
  return { classifier, batches, singles };
}

const sources = (n: number) => Array.from({ length: n }, (_, i) => source(i));

describe('classifyBatchSettled', () => {
  it('runs one forward pass when the batch works', async () => {
    const f = fakeClassifier();
    const out = await classifyBatchSettled(f.classifier, sources(5));
    expect(out.map((p) => (p instanceof Error ? p.message : p.probability))).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(f.batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(f.singles).toEqual([]);
  });

  it('falls back to one by one when the batch throws: only the bad image gets an error', async () => {
    const f = fakeClassifier(2);
    const out = await classifyBatchSettled(f.classifier, sources(4));
    expect(out.map((p) => (p instanceof Error ? p.message : p.probability))).toEqual([
      0,
      0.01,
      'cell 2 broke the model',
      0.03,
    ]);
    expect(f.singles).toEqual([0, 1, 2, 3]);
  });

  it('gives an error to a source the model returned no prediction for, and calls nothing for none', async () => {
    const f = fakeClassifier();
    f.classifier.classifyBatch = async (s) => s.slice(1).map(prediction);
    const out = await classifyBatchSettled(f.classifier, sources(2));
    expect(out[1]).toBeInstanceOf(Error);
    expect(await classifyBatchSettled(f.classifier, [])).toEqual([]);
  });

  it('lets a classifier that settles batches itself do so (its pixels are gone after one call), never rejecting', async () => {
    const f = fakeClassifier(2);
    const settled: number[][] = [];
    const settling: SettlingClassifier = {
      ...f.classifier,
      classifyBatchSettled: async (s) => {
        settled.push(s.map(idOf));
        return s.slice(0, 2).map((x) => (idOf(x) === 1 ? new Error('cell 1 failed in the worker') : prediction(x)));
      },
    };
    const out = await classifyBatchSettled(settling, sources(3));
    expect(out.map((p) => (p instanceof Error ? p.message : p.probability))).toEqual([
      0,
      'cell 1 failed in the worker',
      'no prediction',
    ]);
    expect(settled).toEqual([[0, 1, 2]]);
    expect(f.batches).toEqual([]); // neither the batch path nor the one-by-one fallback ran on this side
    expect(f.singles).toEqual([]);
    settling.classifyBatchSettled = async () => {
      throw new Error('worker crashed');
    };
    const crashed = await classifyBatchSettled(settling, sources(2));
    expect(crashed.map((p) => (p as Error).message)).toEqual(['worker crashed', 'worker crashed']);
  });
});

describe('classifyCells', () => {
  it('classifies in batches of the given size, in order, with progress and the fallback per batch', async () => {
    const f = fakeClassifier(13);
    const progress: number[] = [];
    const out = await classifyCells(f.classifier, sources(25), {
      batchSize: 10,
      onProgress: (p) => progress.push(p.done),
    });
    expect(f.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(progress).toEqual([0, 10, 20, 25]);
    expect(out).toHaveLength(25);
    expect(out.filter((p) => p instanceof Error).map((e) => (e as Error).message)).toEqual(['cell 13 broke the model']);
    expect(f.singles).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect((out[24] as CellPrediction).probability).toBe(0.24);
  });

  it('rejects with the abort reason once the signal is aborted, before the next batch', async () => {
    const f = fakeClassifier();
    const ctrl = new AbortController();
    const run = classifyCells(f.classifier, sources(30), {
      batchSize: 10,
      signal: ctrl.signal,
      onProgress: (p) => {
        if (p.done === 10) ctrl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.batches).toHaveLength(1);
  });
});
