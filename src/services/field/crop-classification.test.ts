import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '@malaria/contract';
import {
  isRgbPixels,
  type CellPixels,
  type CellPrediction,
  type Classifier,
} from '../../core/model/classifier-types.js';
import { chunk, CELL_BATCH_SIZE } from '../../core/cells/batch-runner.js';
import { CropClassification, type CropProgress } from './crop-classification.js';
import type { TransferredCrop } from './field-detect.js';

/** Node has no ImageData: the fields the crops need. */
class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}
const hadImageData = 'ImageData' in globalThis;
beforeAll(() => {
  if (!hadImageData) (globalThis as Record<string, unknown>).ImageData = FakeImageData;
});
afterAll(() => {
  if (!hadImageData) delete (globalThis as Record<string, unknown>).ImageData;
});

/** Crop `id` is a 1×1 image whose red value is its id (ids 1…n). */
const crop = (id: number): TransferredCrop => ({
  id,
  width: 1,
  height: 1,
  box: { x: id, y: 0, width: 1, height: 1 },
  pixels: new Uint8ClampedArray([id, 0, 0, 255]).buffer,
  rgb: new Float32Array([id, 0, 0]).buffer,
});
const idOf = (s: CellPixels) => (isRgbPixels(s) ? s.data[0]! : (s as unknown as FakeImageData).data[0]!);

function fakeClassifier(bad: (id: number) => boolean = () => false) {
  const batches: number[][] = [];
  const prediction = (s: CellPixels): CellPrediction => ({ probability: idOf(s) / 1000, label: 'Uninfected' });
  const classifier: Classifier = {
    metadata: {} as ModelMetadata,
    backend: 'cpu',
    classify: async (s) => {
      if (bad(idOf(s))) throw new Error(`crop ${idOf(s)} broke the model`);
      return prediction(s);
    },
    classifyBatch: async (sources) => {
      batches.push(sources.map(idOf));
      if (sources.some((s) => bad(idOf(s)))) throw new Error('batch failed');
      return sources.map(prediction);
    },
    dispose: () => undefined,
  };
  return { classifier, batches };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('CropClassification', () => {
  it('classifies in the same batches as all crops at once, whatever chunks they arrive in', async () => {
    const all = ids(2 * CELL_BATCH_SIZE + 7);
    for (const arrival of [[all.length], [10, 50, 13, 2], [CELL_BATCH_SIZE, CELL_BATCH_SIZE, 7], [1, 70]]) {
      const f = fakeClassifier();
      const c = new CropClassification(f.classifier);
      let next = 0;
      for (const size of arrival) {
        c.add(all.slice(next, next + size).map(crop));
        next += size;
      }
      const progress: CropProgress[] = [];
      const probs = await c.finish((p) => progress.push(p));
      expect(f.batches).toEqual(chunk(all, CELL_BATCH_SIZE));
      expect([...probs]).toEqual(all.map((id) => [id, id / 1000]));
      expect([...c.crops.keys()]).toEqual(all);
      expect(c.cropBoxes.get(5)).toEqual({ x: 5, y: 0, width: 1, height: 1 });
      expect(progress.at(-1)).toEqual({ done: all.length, total: all.length });
    }
  });

  it('starts a batch as soon as its crops have arrived, before the last crop', async () => {
    const f = fakeClassifier();
    const c = new CropClassification(f.classifier);
    c.add(ids(CELL_BATCH_SIZE).map(crop));
    await new Promise((r) => setTimeout(r, 0));
    expect(f.batches).toEqual([ids(CELL_BATCH_SIZE)]);
    c.add([crop(CELL_BATCH_SIZE + 1)]);
    await c.finish(() => undefined);
    expect(f.batches).toHaveLength(2);
  });

  it('waits until every streamed crop has arrived (the reply can overtake the last chunks)', async () => {
    const f = fakeClassifier();
    const c = new CropClassification(f.classifier);
    c.add(ids(CELL_BATCH_SIZE).map(crop));
    let all = false;
    const arrived = c.received(CELL_BATCH_SIZE + 8).then(() => (all = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(all).toBe(false);
    c.add(
      ids(CELL_BATCH_SIZE + 8)
        .slice(CELL_BATCH_SIZE)
        .map(crop),
    );
    await arrived;
    expect((await c.finish(() => undefined)).size).toBe(CELL_BATCH_SIZE + 8);

    const abort = new AbortController();
    const stopped = new CropClassification(f.classifier, abort.signal).received(1);
    abort.abort(new Error('stopped'));
    await expect(stopped).rejects.toThrow('stopped');
  });

  it('leaves a crop the model cannot take unclassified, and throws when none can be classified', async () => {
    const f = fakeClassifier((id) => id === 3);
    const c = new CropClassification(f.classifier);
    c.add(ids(5).map(crop));
    const probs = await c.finish(() => undefined);
    expect(probs.get(3)).toBeNull();
    expect(probs.get(4)).toBe(0.004);

    const broken = new CropClassification(fakeClassifier(() => true).classifier);
    broken.add(ids(3).map(crop));
    await expect(broken.finish(() => undefined)).rejects.toThrow(/broke the model/);
  });

  it('gives the classifier each crop’s RGB input (the worker’s float32 copy), and keeps the RGBA crop', async () => {
    const seen: CellPixels[] = [];
    const f = fakeClassifier();
    const classifyBatch = f.classifier.classifyBatch;
    f.classifier.classifyBatch = async (sources) => {
      seen.push(...sources);
      return classifyBatch(sources);
    };
    const c = new CropClassification(f.classifier);
    c.add(ids(3).map(crop));
    const probs = await c.finish(() => undefined);
    expect(seen.map((s) => (isRgbPixels(s) ? [s.width, s.height, ...s.data] : 'not rgb'))).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 2, 0, 0],
      [1, 1, 3, 0, 0],
    ]);
    expect([...c.crops.values()].map((d) => [...d.data])).toEqual([
      [1, 0, 0, 255],
      [2, 0, 0, 255],
      [3, 0, 0, 255],
    ]);
    expect([...probs.values()]).toEqual([0.001, 0.002, 0.003]);
  });

  it('only collects the crops when there is no classifier', async () => {
    const c = new CropClassification(null);
    c.add(ids(40).map(crop));
    const progress: CropProgress[] = [];
    const probs = await c.finish((p) => progress.push(p));
    expect([...probs.values()].every((p) => p === null)).toBe(true);
    expect(c.crops.size).toBe(40);
    expect(progress).toEqual([]);
  });

  it('stops with the signal’s reason once aborted', async () => {
    const f = fakeClassifier();
    const abort = new AbortController();
    const c = new CropClassification(f.classifier, abort.signal);
    abort.abort(new Error('stopped'));
    c.add(ids(CELL_BATCH_SIZE + 1).map(crop));
    await expect(c.finish(() => undefined)).rejects.toThrow('stopped');
    expect(f.batches).toEqual([]);
  });
  it('cancel() drops the batches not yet started (a failed field does not keep the classifier busy)', async () => {
    const f = fakeClassifier();
    const c = new CropClassification(f.classifier);
    c.add(ids(3 * CELL_BATCH_SIZE).map(crop)); // three full batches queued; the first one starts
    c.cancel();
    c.add(ids(CELL_BATCH_SIZE).map((i) => crop(i + 1000))); // arrives after the failure: not classified
    await new Promise((r) => setTimeout(r, 50));
    expect(f.batches.length).toBeLessThanOrEqual(1);
  });

  it('a chunk with a crop that cannot be taken still counts as arrived, and add() throws', async () => {
    const c = new CropClassification(fakeClassifier().classifier);
    const broken = { ...crop(2), width: 3 } as TransferredCrop;
    const realImageData = globalThis.ImageData;
    (globalThis as Record<string, unknown>).ImageData = class {
      constructor(data: Uint8ClampedArray, width: number) {
        if (data.length !== width * 4) throw new RangeError('bad crop size');
      }
    };
    try {
      expect(() => c.add([crop(1), broken, crop(3)])).toThrow('bad crop size');
    } finally {
      (globalThis as Record<string, unknown>).ImageData = realImageData;
    }
    await expect(c.received(3)).resolves.toBeUndefined();
  });
});
