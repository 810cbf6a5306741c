import * as tf from '@tensorflow/tfjs';
import { viewCountOf } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldBatchNorms } from '../model/optimize-model.js';
import { createCellNetwork, type CellNetwork } from '../model/cell-network.js';
import {
  artifactsOf,
  fixtureBatch,
  layersGradCam,
  shippedArtifacts,
  shippedMetadata,
} from '../model/network-test-kit.js';
import {
  computeWhereMaps,
  gradCam,
  normalizeScores,
  supportsGradCam,
  toInputGrid,
  type WhereMap,
  type WhereMethod,
} from './where-map.js';
import { gradientTimesInput, logits, occlusion, smoothGrad, whereScores } from './where-map-candidates.js';

const SIZE = 64;
const METHODS: WhereMethod[] = ['gradientTimesInput', 'smoothGrad', 'occlusion', 'gradCam'];

/**
 * A model whose output depends only on the top-right quadrant of the image: that quadrant is cropped
 * out and zero-padded back to 64 × 64 (so the conv grid stays aligned with the input), then
 * conv (bias-free, ReLU) → global average → sigmoid Dense with positive weights.
 */
function topRightQuadrantModel(): tf.LayersModel {
  const half = SIZE / 2;
  const m = tf.sequential();
  m.add(
    tf.layers.cropping2D({
      inputShape: [SIZE, SIZE, 3],
      cropping: [
        [0, half],
        [half, 0],
      ],
    }),
  );
  m.add(
    tf.layers.zeroPadding2d({
      padding: [
        [0, half],
        [half, 0],
      ],
    }),
  );
  m.add(
    tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      useBias: false,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }),
  );
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  return m;
}

/** The quadrant model as the app runs it: on tfjs-core ops (cell-network.ts). */
async function quadrantNetwork(): Promise<CellNetwork> {
  const model = topRightQuadrantModel();
  try {
    return createCellNetwork(await artifactsOf(model));
  } finally {
    model.dispose();
  }
}

function randomInputs(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, SIZE, SIZE, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
}

/** Share of a map's total value that lies in rows [y0, y1) × columns [x0, x1). */
function massIn(map: WhereMap, y0: number, y1: number, x0: number, x1: number): number {
  let inside = 0;
  let total = 0;
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const v = map.values[y * map.width + x] as number;
      total += v;
      if (y >= y0 && y < y1 && x >= x0 && x < x1) inside += v;
    }
  }
  return total > 0 ? inside / total : 0;
}

async function mapsOf(network: CellNetwork, x: tf.Tensor4D, method: WhereMethod): Promise<WhereMap[]> {
  const s = whereScores(network, x, method);
  try {
    return normalizeScores((await s.data()) as Float32Array, x.shape[0], x.shape[1], x.shape[2]);
  } finally {
    s.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('where maps on a model that only looks at the top-right quadrant', () => {
  it.each(METHODS)('%s puts the map in that quadrant', async (method) => {
    const model = await quadrantNetwork();
    const x = randomInputs(2, 11);
    // How far a method may spill over the quadrant's edge: none for gradients; Grad-CAM's 3 × 3 conv
    // reaches 1 px over it (and is upsampled, here 1:1); an occluding 8 × 8 patch straddles the edge.
    const spill = { gradientTimesInput: 0, smoothGrad: 0, gradCam: 2, occlusion: 8 }[method];
    try {
      for (const map of await mapsOf(model, x, method)) {
        expect(Math.max(...map.values)).toBe(255);
        expect(massIn(map, 0, SIZE / 2 + spill, SIZE / 2 - spill, SIZE)).toBeGreaterThan(0.999);
        expect(massIn(map, 0, SIZE / 2, SIZE / 2, SIZE)).toBeGreaterThan(0.85);
      }
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  it('computeWhereMaps: one 64 × 64 map per cell, 0–255, in the quadrant, deterministic, no leaked tensors', async () => {
    const model = await quadrantNetwork();
    const x = randomInputs(3, 5);
    try {
      const before = tf.memory().numTensors;
      const a = await computeWhereMaps(model, x);
      const b = await computeWhereMaps(model, x);
      expect(tf.memory().numTensors).toBe(before);
      expect(a).toHaveLength(3);
      for (const map of a) {
        expect(map.width).toBe(SIZE);
        expect(map.height).toBe(SIZE);
        expect(map.values).toBeInstanceOf(Uint8Array);
        expect(map.values).toHaveLength(SIZE * SIZE);
        expect(Math.max(...map.values)).toBe(255);
        expect(Math.min(...map.values)).toBeGreaterThanOrEqual(0);
        expect(massIn(map, 0, SIZE / 2, SIZE / 2, SIZE)).toBeGreaterThan(0.95);
      }
      expect(b.map((m) => Array.from(m.values))).toEqual(a.map((m) => Array.from(m.values)));
      expect(await computeWhereMaps(model, tf.zeros([0, SIZE, SIZE, 3]) as tf.Tensor4D)).toEqual([]);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  it('two views (metadata output.views 2): the map shows what either view looked at, turned back onto the cell', async () => {
    // View 1 is the cell turned 90° (out[y][x] = in[H − 1 − x][y]); the quadrant model looks at that view's
    // top-right quadrant, which is the cell's top-LEFT quadrant. The two-view map must hold both top
    // quadrants and nothing below them.
    const model = await quadrantNetwork();
    const x = randomInputs(2, 13);
    try {
      const before = tf.memory().numTensors;
      const maps = await computeWhereMaps(model, x, 2);
      expect(tf.memory().numTensors).toBe(before);
      expect(maps).toHaveLength(2);
      for (const map of maps) {
        expect(Math.max(...map.values)).toBe(255);
        expect(massIn(map, 0, SIZE / 2 + 2, 0, SIZE)).toBeGreaterThan(0.999);
        expect(massIn(map, 0, SIZE / 2, SIZE / 2, SIZE)).toBeGreaterThan(0.3);
        expect(massIn(map, 0, SIZE / 2, 0, SIZE / 2)).toBeGreaterThan(0.3);
      }
      const one = await computeWhereMaps(model, x, 1);
      for (const map of one) expect(massIn(map, 0, SIZE / 2, 0, SIZE / 2 - 2)).toBe(0);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  it('the candidate methods leave no tensors behind and have the documented shapes', async () => {
    const model = await quadrantNetwork();
    const x = randomInputs(2, 7);
    try {
      const before = tf.memory().numTensors;
      for (const [t, shape] of [
        [gradientTimesInput(model, x), [2, SIZE, SIZE]],
        [smoothGrad(model, x, { samples: 2 }), [2, SIZE, SIZE]],
        [occlusion(model, x), [2, SIZE, SIZE]],
        [gradCam(model, x), [2, SIZE, SIZE]], // this model's conv grid is the input grid
        [logits(model, x), [2]],
      ] as const) {
        expect(t.shape).toEqual(shape);
        t.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      x.dispose();
      model.dispose();
    }
  });

  it('logits are the pre-sigmoid output of the tfjs-layers model', async () => {
    const layers = topRightQuadrantModel();
    const network = createCellNetwork(await artifactsOf(layers));
    const x = randomInputs(4, 9);
    try {
      const z = logits(network, x);
      const p = layers.predict(x) as tf.Tensor;
      const zs = z.dataSync();
      const ps = p.dataSync();
      z.dispose();
      p.dispose();
      zs.forEach((v, i) => expect(1 / (1 + Math.exp(-v))).toBeCloseTo(ps[i] as number, 6));
    } finally {
      x.dispose();
      layers.dispose();
      network.dispose();
    }
  });
});

describe('normalizeScores', () => {
  it('maps each cell to 0–255 by its own maximum; negative evidence → 0; no positive evidence → all 0', () => {
    const [a, b] = normalizeScores(Float32Array.from([1, 2, -5, 4, -1, -2, 0, -3]), 2, 2, 2);
    expect(Array.from(a!.values)).toEqual([64, 128, 0, 255]);
    expect(Array.from(b!.values)).toEqual([0, 0, 0, 0]);
  });
});

describe('toInputGrid', () => {
  it('upsamples a coarse map bilinearly and copies a map already on the grid', () => {
    const coarse = tf.tensor3d([
      [
        [0, 1],
        [2, 3],
      ],
    ]);
    const up = toInputGrid(coarse, 4, 4);
    const same = toInputGrid(up, 4, 4);
    expect(up.shape).toEqual([1, 4, 4]);
    expect(Array.from(same.dataSync())).toEqual(Array.from(up.dataSync()));
    expect(same).not.toBe(up);
    tf.dispose([coarse, up, same]);
  });
});

describe('the shipped model, as loaded and after foldBatchNorms', () => {
  // The shipped model's own input size and views (metadata.json), not the quadrant model's.
  const SHIPPED_SIZE = shippedMetadata().input.width;
  const VIEWS = viewCountOf(shippedMetadata());
  let original: CellNetwork;
  let folded: CellNetwork;
  let cells: tf.Tensor4D;

  beforeAll(async () => {
    original = createCellNetwork(shippedArtifacts());
    const { artifacts, folds } = foldBatchNorms(shippedArtifacts());
    expect(folds.length).toBeGreaterThan(0);
    folded = createCellNetwork(artifacts);
    ({ batch: cells } = await fixtureBatch(shippedMetadata().input, ['Parasitized']));
  });

  afterAll(() => {
    original.dispose();
    folded.dispose();
    cells.dispose();
  });

  it('gives the maps the tfjs-layers Grad-CAM gave (the app before cell-network.ts), to 1 in 255', async () => {
    const layers = await tf.loadLayersModel(tf.io.fromMemory(foldBatchNorms(shippedArtifacts()).artifacts));
    try {
      const ours = await computeWhereMaps(folded, cells);
      const cam = layersGradCam(layers, cells);
      const up = toInputGrid(cam, SHIPPED_SIZE, SHIPPED_SIZE);
      const theirs = normalizeScores(up.dataSync() as Float32Array, cells.shape[0], SHIPPED_SIZE, SHIPPED_SIZE);
      tf.dispose([cam, up]);
      let worst = 0;
      let differing = 0;
      ours.forEach((m, i) =>
        m.values.forEach((v, j) => {
          const d = Math.abs(v - (theirs[i]!.values[j] as number));
          worst = Math.max(worst, d);
          if (d) differing++;
        }),
      );
      expect(worst).toBeLessThanOrEqual(1);
      expect(differing / (ours.length * SHIPPED_SIZE * SHIPPED_SIZE)).toBeLessThan(0.01);
    } finally {
      layers.dispose();
    }
  });

  it('gives the same maps on both (batch of the fixture cells), leaking nothing', async () => {
    expect(supportsGradCam(original) && supportsGradCam(folded)).toBe(true);
    const before = tf.memory().numTensors;
    const a = await computeWhereMaps(original, cells);
    const b = await computeWhereMaps(folded, cells);
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toHaveLength(cells.shape[0]);
    let worst = 0;
    a.forEach((m, i) =>
      m.values.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - (b[i]!.values[j] as number)));
      }),
    );
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('points at what the model uses: painting the top 10 % over lowers P far more than 10 % random in-cell pixels', async () => {
    // The deletion test of docs/where-map.md in small, on the NIH fixture cells the model calls
    // Parasitized (P ≥ 0.5); paint colour: the cell's own mean colour. P and the map as the app computes
    // them: over the model's views (metadata output.views).
    const n = cells.shape[0];
    const hw = SHIPPED_SIZE * SHIPPED_SIZE;
    const px = cells.dataSync();
    const pOf = (x: tf.Tensor4D) => tf.tidy(() => predictOverViews(x, VIEWS, (v) => folded.predict(v)).dataSync());
    const p0 = pOf(cells);
    const maps = await computeWhereMaps(folded, cells, VIEWS);
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const k = Math.round(0.1 * hw);
    const top: number[] = [];
    const random: number[] = [];
    for (let i = 0; i < n; i++) {
      if ((p0[i] as number) < 0.5) continue;
      const cell = px.subarray(i * hw * 3, (i + 1) * hw * 3);
      const inCell = Array.from({ length: hw }, (_, j) => j).filter(
        (j) => Math.max(cell[3 * j] as number, cell[3 * j + 1] as number, cell[3 * j + 2] as number) > 10 / 255,
      );
      const colour = [0, 1, 2].map((c) => inCell.reduce((s, j) => s + (cell[3 * j + c] as number), 0) / inCell.length);
      const values = maps[i]!.values;
      const ranked = Array.from({ length: hw }, (_, j) => j).sort(
        (a, b) => (values[b] as number) - (values[a] as number) || a - b,
      );
      const painted = (pixels: number[]) => {
        const y = cell.slice();
        for (const j of pixels) for (let c = 0; c < 3; c++) y[3 * j + c] = colour[c] as number;
        return y;
      };
      const draws = [0, 1, 2].map(() => {
        const shuffled = [...inCell];
        for (let j = shuffled.length - 1; j > 0; j--) {
          const r = Math.floor(rand() * (j + 1));
          [shuffled[j], shuffled[r]] = [shuffled[r] as number, shuffled[j] as number];
        }
        return painted(shuffled.slice(0, k));
      });
      const batch = [painted(ranked.slice(0, k)), ...draws];
      const painted4 = tf.tensor4d(Float32Array.from(batch.flatMap((b) => Array.from(b))), [
        4,
        SHIPPED_SIZE,
        SHIPPED_SIZE,
        3,
      ]);
      const p = pOf(painted4);
      painted4.dispose();
      top.push(p[0] as number);
      random.push(((p[1] as number) + (p[2] as number) + (p[3] as number)) / 3);
      expect(p[0] as number).toBeLessThan(random[random.length - 1] as number);
    }
    expect(top.length).toBeGreaterThanOrEqual(10);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(top)).toBeLessThan(0.2);
    expect(mean(random)).toBeGreaterThan(0.6);
  });
});
