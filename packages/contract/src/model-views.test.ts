import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetadataError, parseModelMetadata, viewCountOf } from './metadata.js';
import { meanOverViews, predictOverViews, secondViewToCell, withViews } from './model-views.js';
import shipped from '../../../public/model/metadata.json' with { type: 'json' };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('metadata output.views', () => {
  const withOutput = (output: Record<string, unknown>, width = 48) =>
    structuredClone({
      ...shipped,
      input: { ...shipped.input, width, height: 48 },
      output: { ...shipped.output, ...output },
    });

  it('is 1 when absent, and 2 when the model asks for two views', () => {
    const { views: _drop, ...noViews } = withOutput({}).output as Record<string, unknown>;
    expect(viewCountOf(parseModelMetadata({ ...withOutput({}), output: noViews }))).toBe(1);
    expect(viewCountOf(parseModelMetadata(withOutput({ views: 2 })))).toBe(2);
    expect(viewCountOf(parseModelMetadata(withOutput({ views: 1 })))).toBe(1);
  });

  it('refuses a view count the app does not run, and two views of a non-square input', () => {
    for (const views of [0, 3, 8, 1.5, '2', null]) {
      expect(() => parseModelMetadata(withOutput({ views }))).toThrow(MetadataError);
    }
    expect(() => parseModelMetadata(withOutput({ views: 2 }, 64))).toThrow(/square/);
  });
});

describe('withViews / meanOverViews / predictOverViews', () => {
  it('view 1 is the cell turned 90°: out[y][x] = in[H − 1 − x][y]', () => {
    // One 2 × 2 single-channel-looking cell (the value repeated in the 3 channels): a b / c d.
    const cell = [
      [1, 2],
      [3, 4],
    ];
    const x = tf.tensor4d(
      cell.flatMap((row) => row.flatMap((v) => [v, v, v])),
      [1, 2, 2, 3],
    );
    const v = withViews(x, 2);
    const got = Array.from(v.dataSync()).filter((_, i) => i % 3 === 0);
    tf.dispose([x, v]);
    // view 0: 1 2 / 3 4; view 1: out[0][0] = in[1][0] = 3, out[0][1] = in[0][0] = 1, out[1][0] = in[1][1] = 4, out[1][1] = in[0][1] = 2
    expect(got).toEqual([1, 2, 3, 4, 3, 1, 4, 2]);
  });

  it('secondViewToCell undoes the turn of view 1, pixel for pixel, leaking nothing', () => {
    const x = tf.randomUniform([2, 5, 5, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const back = tf.tidy(() => {
      const turned = tf.squeeze(tf.slice(withViews(x, 2), [2, 0, 0, 0], [2, -1, -1, -1]), [3]) as tf.Tensor3D;
      return secondViewToCell(turned);
    });
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('one view is the batch itself; the mean is per cell over the views; nothing leaks', () => {
    const x = tf.randomUniform([3, 4, 4, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const one = withViews(x, 1);
    expect(Array.from(one.dataSync())).toEqual(Array.from(x.dataSync()));
    one.dispose();
    const perView = tf.tensor2d([0.1, 0.2, 0.3, 0.5, 0.6, 0.9], [6, 1]);
    const m = meanOverViews(perView, 2);
    expect(Array.from(m.dataSync()).map((p) => Number(p.toFixed(6)))).toEqual([0.3, 0.4, 0.6]);
    tf.dispose([perView, m]);
    // A "network" that reads one corner pixel: two views average the cell's two corners that land there.
    const corner = (b: tf.Tensor4D) => tf.reshape(tf.slice(b, [0, 0, 3, 0], [-1, 1, 1, 1]), [-1]);
    const p = predictOverViews(x, 2, corner);
    const px = x.arraySync();
    p.dataSync().forEach((v, i) => {
      // view 0 reads in[0][3]; view 1 reads out[0][3] = in[H − 1 − 3][0] = in[0][0]
      expect(v).toBeCloseTo((px[i]![0]![3]![0]! + px[i]![0]![0]![0]!) / 2, 6);
    });
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
