/**
 * `npm run eval:fields`: runs the whole-field pipeline (detection → masked crops → the shipped
 * model in public/model/) on every field in ../shared/data/smear-fields (or FIELDS_DIR) and scores
 * it against the NIH point annotations with the issue's matching rule (`field-evaluation.ts`).
 * Prints a table and writes bench-results/fields.json. Re-runnable: it always uses whatever model
 * public/model/ holds (MODEL_DIR to point elsewhere; GROW_PER_RADIUS to A/B the crop outline growth; FIELD_SCALE to
 * resample the photos, e.g. 0.5 for a 4 MP camera; DETACH_SPURS=0 to A/B the dark-spur cut).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { initEngine, tf } from '../training/src/engine.js';
import { loadModel } from '../training/src/model-io.js';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { predictOverViews } from '@malaria/contract/model-views';
import { parseModelMetadata, viewCountOf } from '@malaria/contract';
import { CROP_GROW_PER_RADIUS } from '../src/core/field/crop-cell.js';
import { classifyDetected } from '../src/core/field/field-report.js';
import { evaluateField, fieldBars, type FieldRow } from './field-evaluation.js';
import { listFieldPhotos } from './field-photos.js';
import { errorDetail } from '../src/core/shared/error-message.js';

const root = path.resolve(import.meta.dirname, '..');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'public/model');
/** Crop outline growth (× median cell radius); GROW_PER_RADIUS=0 reproduces the ungrown crops for A/B. */
const growPerRadius =
  process.env.GROW_PER_RADIUS !== undefined ? Number(process.env.GROW_PER_RADIUS) : CROP_GROW_PER_RADIUS;
/** FIELD_SCALE=0.5: every photo resampled to half size first (a 4 MP camera), annotations scaled with it. */
const scale = process.env.FIELD_SCALE !== undefined ? Number(process.env.FIELD_SCALE) : 1;
/** DETACH_SPURS=0: keep dark spurs (a platelet on a bridge) in the red cell's region, for A/B. */
const detachSpurs = process.env.DETACH_SPURS !== '0';

async function main(): Promise<void> {
  await initEngine('wasm', () => {});
  const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const model = await loadModel(modelDir);
  const fields = listFieldPhotos(fieldsDir);
  if (fields.length === 0) throw new Error(`no fields in ${fieldsDir}`);
  const rows: FieldRow[] = [];
  for (const f of fields) rows.push(await evaluateField(f, model, metadata, { growPerRadius, scale, detachSpurs }));
  // Reference: the same model on NIH's own crops of these fields (../nih-malaria/cell_images),
  // to tell crop problems (ours worse than NIH's) from model problems (both poor).
  const nihDir = process.env.NIH_DIR ?? path.resolve(root, '../shared/data/nih-malaria/cell_images');
  const reference: { label: string; fields: string; crops: number; calledParasitized: number; inconclusive: number }[] =
    [];
  for (const label of ['Uninfected', 'Parasitized'] as const) {
    let files: string[];
    try {
      const stems = rows.map((r) => `${r.patient.replace(/^\d+/, '')}_${r.field}_`);
      files = (await readdir(path.join(nihDir, label))).filter((f) => stems.some((s) => f.startsWith(s))).sort();
    } catch {
      continue;
    }
    if (!files.length) continue;
    let para = 0,
      inc = 0;
    for (const f of files) {
      const { data: px, info: pi } = await sharp(path.join(nihDir, label, f))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const p = tf.tidy(
        () =>
          predictOverViews(
            tf.expandDims(
              preprocessPixels(tf.tensor3d(new Uint8Array(px), [pi.height, pi.width, 3], 'int32'), metadata.input),
              0,
            ) as tf.Tensor4D,
            viewCountOf(metadata),
            (x) => model.predict(x) as tf.Tensor,
          ).dataSync()[0]!,
      );
      const l = classifyDetected(
        { id: 0, kind: 'red', x: 0, y: 0, box: { x: 0, y: 0, width: 0, height: 0 }, area: 0, outline: [] },
        p,
        metadata.decision,
      ).label;
      if (l === 'Parasitized') para++;
      if (l === 'Inconclusive') inc++;
    }
    reference.push({
      label,
      fields: 'the fields above',
      crops: files.length,
      calledParasitized: para,
      inconclusive: inc,
    });
  }
  model.dispose();

  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const header = [
    'patient',
    'field',
    'GT red',
    'det red',
    'WBC gt/det/found',
    'artefacts',
    'recall',
    'precision',
    'count err',
    'para found',
    'false para',
    'called para',
    'inconcl',
    'detect ms',
    'classify ms',
  ];
  const table = rows.map((r) => [
    r.patient,
    r.field,
    String(r.truthRedCells),
    String(r.detectedRedCells),
    `${r.truthWhiteCells}/${r.detectedWhiteCells}/${r.whiteCellsFound}`,
    `${r.artefacts} (${r.truthRedInArtefacts} GT in)`,
    pct(r.recall),
    pct(r.precision),
    `${r.countErrorPercent.toFixed(1)}%`,
    `${r.parasitizedFound}/${r.truthParasitized}`,
    String(r.falseParasitized),
    `${r.calledParasitized} (${r.calledParasitizedPercent.toFixed(1)}%)`,
    String(r.inconclusive),
    String(r.detectMs),
    String(r.classifyMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));

  const bars = fieldBars(rows);
  console.log('\nbars:', JSON.stringify(bars));
  for (const r of reference) {
    console.log(
      `reference: NIH's own ${r.label} crops of these fields: ${r.calledParasitized}/${r.crops} called Parasitized, ${r.inconclusive} Inconclusive`,
    );
  }
  console.log(
    'Node timings (sharp decode excluded; detection in plain JS, classification tfjs-wasm in Node): not the browser bar, see npm run bench.',
  );
  const outDir = path.join(root, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(
    path.join(outDir, scale === 1 ? 'fields.json' : `fields-scale${scale}.json`),
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        model: { name: metadata.name, createdAt: metadata.createdAt, decision: metadata.decision },
        modelDir,
        cropGrowPerRadius: growPerRadius,
        scale,
        fieldsDir,
        rows,
        bars,
        nihCropReference: reference,
      },
      null,
      2,
    ),
  );
  console.log(
    `wrote ${path.relative(root, path.join(outDir, scale === 1 ? 'fields.json' : `fields-scale${scale}.json`))}`,
  );
}

main().catch((err: unknown) => {
  console.error(errorDetail(err));
  process.exit(1);
});
