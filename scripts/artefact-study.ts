/**
 * npm run artefact-study -w training -- --data DIR --model MODEL_DIR [--field-crops cache/field-crops]
 *                                       [--out reports/issue17/artefact-study.json] [--export DIR]
 * Can the classifier say "not a red cell"? A second sigmoid head P(Artefact) on the network's 96-d
 * global-average-pool features (logistic regression, the CNN frozen: 97 parameters), trained on
 *   red cells: NIH cells of TRAINING patients (2,000) + the app's field crops of red cells;
 *   non-cells: synthetic non-cells (src/synthetic-noncells.ts, 10 kinds; fragments cut from training
 *              patients' cells) + the app's field crops matched to no red-cell point (NonCell/) and
 *              white-cell crops.
 * Held out: leave-one-field-patient-out (C92 / C12 field crops), NIH TEST patients' cells, and
 * synthetic non-cells drawn with another seed (fragments from test patients' cells). The decision edge
 * is set on NIH VALIDATION cells: at most 0.5 % of red cells called Artefact.
 * Also reports what the binary model says about each non-cell kind (share "confidently Uninfected",
 * P ≤ band low). --export writes a two-output layers model [p_parasitized, p_artefact] (head trained
 * on everything) for the app contract proposal.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { parseArgs, str } from '../training/src/args.js';
import { scanDataset, type CellRecord } from '../training/src/dataset.js';
import { initEngine } from '../training/src/engine.js';
import { loadModel, saveModel } from '../training/src/model-io.js';
import { mulberry32, shuffleInPlace } from '../training/src/rng.js';
import { indicesBySplit, splitByPatient } from '../training/src/split.js';
import { loadCellTensors } from '../training/src/tensor-cache.js';
import { NONCELL_KINDS, syntheticNonCell, type NonCellKind } from '../training/src/synthetic-noncells.js';
import { fitLogistic, headScore, type Head } from '../training/src/artefact-head.js';
import { defaultInputSpec } from '@malaria/contract';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { rgbaToRgb } from '../src/core/decode/rgb-pixels.js';
import { greyPhoto, naturalPhoto, noiseImage, solidImage, textPhoto, type Rgba } from './fixtures/synthetic-images.js';
import { checkCellPlausibility } from '../src/core/cells/cell-plausibility.js';
import { parseModelMetadata, viewCountOf, type ModelViewCount } from '@malaria/contract';
import { predictOverViews } from '@malaria/contract/model-views';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = path.resolve(str(args, 'model'));
  const out = path.resolve(str(args, 'out', path.join('reports', 'issue17', 'artefact-study.json')));
  const fieldCropsDir = path.resolve(str(args, 'field-crops', path.join('cache', 'field-crops')));
  const log = (m: string) => console.log(m);
  await initEngine(str(args, 'engine', 'auto') as 'auto', log);
  const model = await loadModel(modelDir);
  const size = model.inputs[0]!.shape[1] as number;
  const per = size * size * 3;
  const spec = defaultInputSpec(size);
  let bandLow = 0.065;
  let views: ModelViewCount = 1;
  try {
    const meta = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
    bandLow = meta.decision.inconclusive.low;
    views = viewCountOf(meta);
  } catch {
    /* no metadata: shipped band, one view */
  }
  const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('gap').output as tf.SymbolicTensor });
  const embed = (imgs: Float32Array[]): { f: Float32Array[]; p: Float32Array } => {
    const f: Float32Array[] = [];
    const p = new Float32Array(imgs.length);
    for (let s = 0; s < imgs.length; s += 256) {
      const chunk = imgs.slice(s, s + 256);
      const buf = new Float32Array(chunk.length * per);
      chunk.forEach((im, k) => buf.set(im, k * per));
      const [ff, pp] = tf.tidy(() => {
        const x = tf.tensor4d(buf, [chunk.length, size, size, 3]);
        return [
          (features.predict(x) as tf.Tensor).dataSync() as Float32Array,
          // P as the app computes it (the mean over the model's views); the head's features are view 0's.
          predictOverViews(x, views, (v) => model.predict(v) as tf.Tensor).dataSync() as Float32Array,
        ];
      });
      const d = ff.length / chunk.length;
      for (let k = 0; k < chunk.length; k++) f.push(ff.slice(k * d, (k + 1) * d));
      p.set(pp, s);
    }
    return { f, p };
  };

  const scan = await scanDataset(path.resolve(str(args, 'data')));
  const split = splitByPatient(scan.cells, 20261125);
  const tensors = await loadCellTensors(scan.cells, spec, { cacheDir: path.resolve('cache'), log });
  const idx = indicesBySplit(tensors.cells, split);
  const rand = mulberry32(17);
  const cellAt = (i: number) => tensors.pixels.slice(i * per, (i + 1) * per);
  const take = (ids: number[], n: number) =>
    shuffleInPlace([...ids], rand)
      .slice(0, n)
      .map(cellAt);
  const nihTrain = embed(take(idx.train, 2000));
  const nihVal = embed(take(idx.validation, 2000));
  const nihTest = embed(take(idx.test, 2000));

  const synth = (seed: number, perKind: number, sources: number[]) => {
    const r = mulberry32(seed);
    const imgs: Float32Array[] = [],
      kinds: NonCellKind[] = [];
    for (const kind of NONCELL_KINDS)
      for (let i = 0; i < perKind; i++) {
        imgs.push(
          syntheticNonCell(
            kind,
            size,
            r,
            kind === 'fragment' ? cellAt(sources[Math.floor(r() * sources.length)]!) : undefined,
          ),
        );
        kinds.push(kind);
      }
    return { ...embed(imgs), kinds };
  };
  const synTrain = synth(1, 200, idx.train);
  const synTest = synth(2, 100, idx.test);

  // Field crops: red cells and non-cells per patient.
  const fscan = await scanDataset(fieldCropsDir);
  const extra: CellRecord[] = [];
  for (const cls of ['NonCell', 'WhiteCell']) {
    const dir = path.join(fieldCropsDir, cls);
    for (const f of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.png')))
      extra.push({ file: path.join(dir, f), name: `${cls}/${f}`, label: 0, patient: /^(C\d+)/.exec(f)?.[1] ?? '?' });
  }
  const ft = await loadCellTensors([...fscan.cells, ...extra], spec, { cacheDir: path.resolve('cache'), log });
  const fe = embed(ft.cells.map((_, i) => ft.pixels.slice(i * per, (i + 1) * per)));
  const isNon = ft.cells.map((c) => c.name.startsWith('NonCell/') || c.name.startsWith('WhiteCell/'));
  const patients = [...new Set(ft.cells.map((c) => c.patient))].sort();

  const train = (heldOut: string | null): Head => {
    const x: Float32Array[] = [...nihTrain.f, ...synTrain.f];
    const y: number[] = [...nihTrain.f.map(() => 0), ...synTrain.f.map(() => 1)];
    ft.cells.forEach((c, i) => {
      if (c.patient === heldOut) return;
      const reps = isNon[i] ? 20 : 1; // 13 real non-cells against ~1,400 red crops
      for (let r = 0; r < reps; r++) {
        x.push(fe.f[i]!);
        y.push(isNon[i] ? 1 : 0);
      }
    });
    return fitLogistic(x, Uint8Array.from(y));
  };
  const edgeFor = (h: Head) => {
    const s = nihVal.f.map((v) => headScore(h, v)).sort((a, b) => b - a);
    return s[Math.floor(0.005 * s.length)]!; // ≤ 0.5 % of validation red cells above
  };
  const rate = (xs: number[], edge: number) => ({ n: xs.filter((v) => v > edge).length, of: xs.length });
  const perKind = (h: Head, edge: number) =>
    Object.fromEntries(
      NONCELL_KINDS.map((k) => {
        const ids = synTest.kinds.flatMap((kk, i) => (kk === k ? [i] : []));
        return [
          k,
          {
            caughtAsArtefact: rate(
              ids.map((i) => headScore(h, synTest.f[i]!)),
              edge,
            ),
            binaryConfidentlyUninfected: ids.filter((i) => synTest.p[i]! <= bandLow).length,
            binaryCalledParasitizedOrInconclusive: ids.filter((i) => synTest.p[i]! > bandLow).length,
            of: ids.length,
          },
        ];
      }),
    );
  const folds: Record<string, unknown> = {};
  for (const heldOut of patients) {
    const h = train(heldOut);
    const edge = edgeFor(h);
    const fi = ft.cells.flatMap((c, i) => (c.patient === heldOut ? [i] : []));
    folds[heldOut] = {
      edge,
      heldOutFieldRedCellsCalledArtefact: rate(
        fi.filter((i) => !isNon[i]).map((i) => headScore(h, fe.f[i]!)),
        edge,
      ),
      heldOutFieldNonCellsCaught: rate(
        fi.filter((i) => isNon[i]).map((i) => headScore(h, fe.f[i]!)),
        edge,
      ),
      heldOutNonCellScores: fi
        .filter((i) => isNon[i])
        .map((i) => [ft.cells[i]!.name, +headScore(h, fe.f[i]!).toFixed(4)]),
      nihTestRedCalledArtefact: rate(
        nihTest.f.map((v) => headScore(h, v)),
        edge,
      ),
      syntheticTest: perKind(h, edge),
    };
    log(`[artefact] held out ${heldOut}: ${JSON.stringify(folds[heldOut])}`);
  }
  const all = train(null);
  const edge = edgeFor(all);
  // The app's own test images for the single-cell gate (src/core/cells/synthetic-images.ts), through the
  // app's preprocessing: what the head and the binary model say about them.
  const appImages: [string, Rgba][] = [
    ['1-pixel pink', solidImage(1, 1, [212, 158, 154])],
    ['1-pixel black', solidImage(1, 1, [0, 0, 0])],
    ['black 128²', solidImage(128, 128, [0, 0, 0])],
    ['white 128²', solidImage(128, 128, [255, 255, 255])],
    ['grey 128²', solidImage(128, 128, [128, 128, 128])],
    ['pink (cell colour) 130²', solidImage(130, 130, [212, 158, 154])],
    ['red 100²', solidImage(100, 100, [220, 30, 30])],
    ['green 64²', solidImage(64, 64, [40, 180, 60])],
    ...[1, 2, 3].flatMap((k): [string, Rgba][] => [
      [`grey photo #${k}`, greyPhoto(160, 120, k)],
      [`text photo #${k}`, textPhoto(160, 120, 10 + k)],
      [`natural photo #${k}`, naturalPhoto(160, 120, 20 + k)],
      [`noise #${k}`, noiseImage(96, 96, 30 + k)],
    ]),
  ];
  const appPx = appImages.map(([, im]) =>
    tf.tidy(
      () =>
        preprocessPixels(
          tf.tensor3d(rgbaToRgb(im.data, im.width, im.height), [im.height, im.width, 3], 'int32'),
          spec,
        ).dataSync() as Float32Array,
    ),
  );
  const appE = embed(appPx);
  const appTest = appImages.map(([name], i) => ({
    name,
    pArtefact: +headScore(all, appE.f[i]!).toFixed(4),
    artefact: headScore(all, appE.f[i]!) > edge,
    pParasitized: +appE.p[i]!.toFixed(4),
    confidentlyUninfected: appE.p[i]! <= bandLow,
  }));
  log(`[artefact] app test images: ${JSON.stringify(appTest)}`);
  // Does the single-cell plausibility gate pass the app's own field crops? (It could then guard field crops too.)
  const gate: Record<string, { passed: number; of: number }> = {};
  for (const c of ft.cells) {
    const { data: px, info } = await sharp(c.file)
      .removeAlpha()
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const r = checkCellPlausibility(new Uint8ClampedArray(px), info.width, info.height);
    const k = `${c.patient} ${c.name.includes('/') ? c.name.split('/')[0] : c.label ? 'Parasitized' : 'Uninfected'}`;
    gate[k] ??= { passed: 0, of: 0 };
    gate[k].of++;
    if (r.ok) gate[k].passed++;
  }
  log(`[artefact] single-cell gate on field crops: ${JSON.stringify(gate)}`);
  const final = {
    edge,
    nihTestRedCalledArtefact: rate(
      nihTest.f.map((v) => headScore(all, v)),
      edge,
    ),
    syntheticTest: perKind(all, edge),
    appTest,
    cellGateOnFieldCrops: gate,
  };
  log(`[artefact] all fields: ${JSON.stringify(final)}`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        model: modelDir,
        bandLow,
        folds,
        final,
        head: { w: Array.from(all.w), b: all.b },
      },
      null,
      2,
    ) + '\n',
  );
  log(`wrote ${out}`);

  if (typeof args.export === 'string') {
    const gap = model.getLayer('gap').output as tf.SymbolicTensor;
    const head = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'p_artefact' });
    const art = head.apply(gap) as tf.SymbolicTensor;
    const two = tf.model({
      inputs: model.inputs,
      outputs: [model.outputs[0]!, art],
      name: 'malaria_cell_cnn_artefact',
    });
    head.setWeights([tf.tensor2d(Array.from(all.w), [all.w.length, 1]), tf.tensor1d([all.b])]);
    const dir = path.resolve(args.export);
    await saveModel(two, dir);
    await writeFile(
      path.join(dir, 'artefact-head.json'),
      JSON.stringify(
        {
          output: 'p_artefact',
          edge,
          trainedOn:
            'NIH training-patient cells (2,000) + all field red-cell crops vs synthetic non-cells (10 kinds × 200) + field NonCell/WhiteCell crops',
        },
        null,
        2,
      ) + '\n',
    );
    log(`exported two-output model to ${dir}`);
  }
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(`[artefact-study] error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
