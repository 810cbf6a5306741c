/**
 * `npm run eval:fields`: runs the whole-field pipeline (detection → masked crops → the shipped
 * model in public/model/) on every field in ../shared/data/smear-fields (or FIELDS_DIR) and scores
 * it against the NIH point annotations with the matching rule. Prints a table and writes
 * bench-results/fields.json. Re-runnable: it always uses whatever model public/model/ holds
 * (MODEL_DIR to point elsewhere; GROW_PER_RADIUS to A/B the crop outline growth).
 *
 * Node decodes with sharp().rotate() (EXIF orientation applied, as the browser shows it);
 * annotation points are mapped from the stored grid to the upright grid.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { initEngine, tf } from '../training/src/engine.js';
import { loadModel } from '../training/src/model-io.js';
import { preprocessPixels } from '../src/core/preprocess.js';
import { parseModelMetadata } from '../src/core/model-metadata.js';
import { detectCells } from '../src/core/field/detect-cells.js';
import { CROP_GROW_PER_RADIUS, cropCell, cropGeometryFor } from '../src/core/field/crop-cell.js';
import { classifyDetected, fieldTotals } from '../src/core/field/field-report.js';
import { parseGroundTruth } from '../src/core/field/ground-truth.js';
import { matchPoints } from '../src/core/field/match.js';
import type { ClassifiedCell, RgbaImage } from '../src/core/field/field-types.js';

const root = path.resolve(import.meta.dirname, '..');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'public/model');
const BATCH = 64;
/** Crop outline growth (× median cell radius); GROW_PER_RADIUS=0 reproduces the ungrown crops for A/B. */
const growPerRadius = process.env.GROW_PER_RADIUS !== undefined ? Number(process.env.GROW_PER_RADIUS) : CROP_GROW_PER_RADIUS;

interface FieldRow {
  patient: string;
  field: string;
  truthRedCells: number;
  truthParasitized: number;
  truthWhiteCells: number;
  detectedRedCells: number;
  detectedWhiteCells: number;
  whiteCellsFound: number;
  matched: number;
  recall: number;
  precision: number;
  countErrorPercent: number;
  parasitizedFound: number;
  falseParasitized: number;
  /** Every annotated parasitized cell: upright point and P(Parasitized) of its detection (null: not detected). */
  truthParasitizedCells: { x: number; y: number; probability: number | null }[];
  /** P(Parasitized) of the cells called Parasitized that are not annotated as parasitized. */
  falseParasitizedProbabilities: number[];
  calledParasitized: number;
  calledParasitizedPercent: number;
  inconclusive: number;
  detectMs: number;
  classifyMs: number;
  totalMs: number;
}

async function listFields(): Promise<{ patient: string; jpg: string; txt: string }[]> {
  const out: { patient: string; jpg: string; txt: string }[] = [];
  for (const dir of (await readdir(fieldsDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const f of (await readdir(path.join(fieldsDir, dir.name))).filter((f) => f.toLowerCase().endsWith('.jpg')).sort()) {
      out.push({ patient: dir.name, jpg: path.join(fieldsDir, dir.name, f), txt: path.join(fieldsDir, dir.name, f.replace(/\.jpg$/i, '.txt')) });
    }
  }
  return out;
}

async function main(): Promise<void> {
  await initEngine('wasm', () => {});
  const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const model = await loadModel(modelDir);
  const fields = await listFields();
  if (fields.length === 0) throw new Error(`no fields in ${fieldsDir}`);
  const rows: FieldRow[] = [];
  for (const f of fields) {
    const meta = await sharp(f.jpg).metadata();
    const { data, info } = await sharp(f.jpg).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const img: RgbaImage = { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
    const t0 = performance.now();
    const { detection, labelMap } = detectCells(img, { now: () => performance.now() });
    const t1 = performance.now();
    const red = detection.cells.filter((c) => c.kind === 'red');
    const probs = new Map<number, number>();
    const geometry = cropGeometryFor(detection.stats.medianRadius, growPerRadius);
    for (let start = 0; start < red.length; start += BATCH) {
      const chunk = red.slice(start, start + BATCH);
      const crops = chunk.map((c) => cropCell(img, labelMap, c.id, c.box, metadata.input.background, geometry));
      const ok = chunk.filter((_, i) => crops[i]);
      if (ok.length === 0) continue;
      const out = tf.tidy(() => {
        const inputs = crops.filter((c) => c !== null).map((c) => {
          const rgb = new Uint8Array(c.image.width * c.image.height * 3);
          for (let i = 0, j = 0; i < c.image.data.length; i += 4, j += 3) {
            rgb[j] = c.image.data[i]!;
            rgb[j + 1] = c.image.data[i + 1]!;
            rgb[j + 2] = c.image.data[i + 2]!;
          }
          return preprocessPixels(tf.tensor3d(rgb, [c.image.height, c.image.width, 3], 'int32'), metadata.input);
        });
        return (model.predict(tf.stack(inputs)) as tf.Tensor).dataSync();
      });
      ok.forEach((c, i) => probs.set(c.id, out[i]!));
    }
    const t2 = performance.now();
    const classified: ClassifiedCell[] = detection.cells.map((c) => classifyDetected(c, c.kind === 'red' ? probs.get(c.id) ?? null : 0, metadata.decision));
    const truth = parseGroundTruth(await readFile(f.txt, 'utf8'), meta.orientation ?? 1);
    const truthRed = truth.points.filter((p) => p.label !== 'White_Blood_Cell');
    const redCells = classified.filter((c) => c.label !== 'WhiteBloodCell');
    const m = matchPoints(truthRed, redCells, detection.stats.medianRadius);
    let parasitizedFound = 0;
    const truthParasitizedDet = new Set<number>();
    truthRed.forEach((p, i) => {
      const j = m.detectionOfPoint[i]!;
      if (p.label === 'Parasitized' && j >= 0) {
        truthParasitizedDet.add(j);
        if (redCells[j]!.label === 'Parasitized') parasitizedFound++;
      }
    });
    const truthParasitizedCells = truthRed.flatMap((p, i) => {
      if (p.label !== 'Parasitized') return [];
      const j = m.detectionOfPoint[i]!;
      return [{ x: Math.round(p.x), y: Math.round(p.y), probability: j >= 0 ? redCells[j]!.probability : null }];
    });
    const calledParasitized = redCells.filter((c) => c.label === 'Parasitized').length;
    const falseParasitizedProbabilities = redCells.filter((c, j) => c.label === 'Parasitized' && !truthParasitizedDet.has(j)).map((c) => c.probability);
    const falseParasitized = falseParasitizedProbabilities.length;
    const totals = fieldTotals(classified);
    const row: FieldRow = {
      patient: f.patient,
      field: path.basename(f.jpg, '.jpg'),
      truthRedCells: truthRed.length,
      truthParasitized: truthRed.filter((p) => p.label === 'Parasitized').length,
      truthWhiteCells: truth.points.length - truthRed.length,
      detectedRedCells: totals.redCells,
      detectedWhiteCells: totals.whiteCells,
      whiteCellsFound: matchPoints(
        truth.points.filter((p) => p.label === 'White_Blood_Cell'),
        classified.filter((c) => c.label === 'WhiteBloodCell'),
        detection.stats.medianRadius,
      ).matched,
      matched: m.matched,
      recall: m.recall,
      precision: m.precision,
      countErrorPercent: (100 * (totals.redCells - truthRed.length)) / truthRed.length,
      parasitizedFound,
      falseParasitized,
      truthParasitizedCells,
      falseParasitizedProbabilities,
      calledParasitized,
      calledParasitizedPercent: totals.redCells ? (100 * calledParasitized) / totals.redCells : 0,
      inconclusive: totals.inconclusive,
      detectMs: Math.round(t1 - t0),
      classifyMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
    };
    rows.push(row);
  }
  // Reference: the same model on NIH's own crops of these fields (../nih-malaria/cell_images),
  // to tell crop problems (ours worse than NIH's) from model problems (both poor).
  const nihDir = process.env.NIH_DIR ?? path.resolve(root, '../shared/data/nih-malaria/cell_images');
  const reference: { label: string; fields: string; crops: number; calledParasitized: number; inconclusive: number }[] = [];
  for (const label of ['Uninfected', 'Parasitized'] as const) {
    let files: string[] = [];
    try {
      const stems = rows.map((r) => `${r.patient.replace(/^\d+/, '')}_${r.field}_`);
      files = (await readdir(path.join(nihDir, label))).filter((f) => stems.some((s) => f.startsWith(s))).sort();
    } catch {
      continue;
    }
    if (!files.length) continue;
    let para = 0, inc = 0;
    for (const f of files) {
      const { data: px, info: pi } = await sharp(path.join(nihDir, label, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const p = tf.tidy(() => (model.predict(tf.expandDims(preprocessPixels(tf.tensor3d(new Uint8Array(px), [pi.height, pi.width, 3], 'int32'), metadata.input), 0)) as tf.Tensor).dataSync()[0]!);
      const l = classifyDetected({ id: 0, kind: 'red', x: 0, y: 0, box: { x: 0, y: 0, width: 0, height: 0 }, area: 0, outline: [] }, p, metadata.decision).label;
      if (l === 'Parasitized') para++;
      if (l === 'Inconclusive') inc++;
    }
    reference.push({ label, fields: 'the fields above', crops: files.length, calledParasitized: para, inconclusive: inc });
  }
  model.dispose();

  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const header = ['patient', 'field', 'GT red', 'det red', 'WBC gt/det/found', 'recall', 'precision', 'count err', 'para found', 'false para', 'called para', 'inconcl', 'detect ms', 'classify ms'];
  const table = rows.map((r) => [
    r.patient, r.field, String(r.truthRedCells), String(r.detectedRedCells), `${r.truthWhiteCells}/${r.detectedWhiteCells}/${r.whiteCellsFound}`,
    pct(r.recall), pct(r.precision), `${r.countErrorPercent.toFixed(1)}%`, `${r.parasitizedFound}/${r.truthParasitized}`,
    String(r.falseParasitized), `${r.calledParasitized} (${r.calledParasitizedPercent.toFixed(1)}%)`, String(r.inconclusive),
    String(r.detectMs), String(r.classifyMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));

  const byPatient = (id: string) => rows.filter((r) => r.patient.includes(id));
  const c12 = byPatient('C12');
  const c92 = byPatient('C92');
  const c12Red = c12.reduce((s, r) => s + r.detectedRedCells, 0);
  const c12Para = c12.reduce((s, r) => s + r.calledParasitized, 0);
  const bars = {
    recallAtLeast95EveryField: rows.every((r) => r.recall >= 0.95),
    precisionAtLeast95EveryField: rows.every((r) => r.precision >= 0.95),
    c12CalledParasitizedPercent: c12Red ? (100 * c12Para) / c12Red : null,
    c12AtMost1Percent: c12Red ? c12Para / c12Red <= 0.01 : null,
    c92ParasitizedFound: c92.reduce((s, r) => s + r.parasitizedFound, 0),
    c92ParasitizedTotal: c92.reduce((s, r) => s + r.truthParasitized, 0),
    c92AtLeast12: c92.length ? c92.reduce((s, r) => s + r.parasitizedFound, 0) >= 12 : null,
  };
  console.log('\nbars:', JSON.stringify(bars));
  for (const r of reference) {
    console.log(`reference: NIH's own ${r.label} crops of these fields: ${r.calledParasitized}/${r.crops} called Parasitized, ${r.inconclusive} Inconclusive`);
  }
  console.log('Node timings (sharp decode excluded; detection in plain JS, classification tfjs-wasm in Node): not the browser bar, see npm run bench.');
  const outDir = path.join(root, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(
    path.join(outDir, 'fields.json'),
    JSON.stringify({ generatedAt: new Date().toISOString(), model: { name: metadata.name, createdAt: metadata.createdAt, decision: metadata.decision }, modelDir, cropGrowPerRadius: growPerRadius, fieldsDir, rows, bars, nihCropReference: reference }, null, 2),
  );
  console.log(`wrote ${path.relative(root, path.join(outDir, 'fields.json'))}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
