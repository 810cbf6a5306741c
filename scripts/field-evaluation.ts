/**
 * The whole-field evaluation behind `npm run eval:fields` and its test: detection → masked crops →
 * a layers model (tfjs in Node) on one annotated field photo, scored against the NIH point
 * annotations with the matching rule, and the bars over a set of fields.
 *
 * Node decodes with sharp().rotate() (EXIF orientation applied, as the browser shows it);
 * annotation points are mapped from the stored grid to the upright grid.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { tf } from '../training/src/engine.js';
import { isRedCellLabel, viewCountOf } from '@malaria/contract';
import { preprocessPixels } from '@malaria/contract/preprocess';
import { predictOverViews } from '@malaria/contract/model-views';
import { pointInPolygon } from '../src/core/field/outline.js';
import { rgbaToRgb } from '../src/core/decode/rgb-pixels.js';
import type { ModelMetadata } from '@malaria/contract';
import { detectCells } from '../src/core/field/detect-cells.js';
import { CROP_GROW_PER_RADIUS, cropCell, cropGeometryFor } from '../src/core/field/crop-cell.js';
import { classifyDetected } from '../src/core/field/field-report.js';
import { countCells } from '../src/core/cells/cell-counts.js';
import { parseGroundTruth } from './field-eval/ground-truth.js';
import { matchPoints } from './field-eval/match.js';
import type { ClassifiedCell, RgbaImage } from '../src/core/field/field-types.js';
import type { FieldPhoto } from './field-photos.js';

const BATCH = 64;

export interface FieldRow {
  patient: string;
  field: string;
  truthRedCells: number;
  truthParasitized: number;
  truthWhiteCells: number;
  detectedRedCells: number;
  detectedWhiteCells: number;
  whiteCellsFound: number;
  /** Detections kept as artefacts (platelets, debris, fragments): not red cells, not classified. */
  artefacts: number;
  /** Annotated red-cell points lying inside an artefact's outline (a red cell the artefact rule ate). */
  truthRedInArtefacts: number;
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

export interface FieldBars {
  recallAtLeast95EveryField: boolean;
  precisionAtLeast95EveryField: boolean;
  c12CalledParasitizedPercent: number | null;
  c12AtMost1Percent: boolean | null;
  c92ParasitizedFound: number;
  c92ParasitizedTotal: number;
  c92AtLeast12: boolean | null;
}

export interface FieldEvaluationOptions {
  /** Crop outline growth (× median cell radius), for A/B. */
  growPerRadius: number;
  /** Cut dark spurs off red cells (detect-cells.ts `detachSpurs`), for A/B. */
  detachSpurs: boolean;
  /**
   * Resample the upright photo by this factor first (annotation points follow), e.g. 0.5 for a
   * 4 MP photo of the same field: how the pipeline copes with a lower-resolution camera.
   */
  scale: number;
}

/** Runs the field pipeline on one photo with `model` and scores it against its annotations. */
export async function evaluateField(
  f: FieldPhoto,
  model: tf.LayersModel,
  metadata: ModelMetadata,
  options: Partial<FieldEvaluationOptions> = {},
): Promise<FieldRow> {
  const { growPerRadius = CROP_GROW_PER_RADIUS, scale = 1, detachSpurs = true } = options;
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new RangeError(`field scale must be a positive number, got ${scale}`);
  const meta = await sharp(f.jpg).metadata();
  // Upright size: EXIF orientations 5–8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const full = { width: (swap ? meta.height : meta.width) ?? 0, height: (swap ? meta.width : meta.height) ?? 0 };
  const upright = sharp(f.jpg).rotate();
  if (scale !== 1) upright.resize(Math.round(full.width * scale), Math.round(full.height * scale));
  const { data, info } = await upright.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const img: RgbaImage = {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
  const t0 = performance.now();
  const { detection, labelMap } = detectCells(img, { now: () => performance.now(), detachSpurs });
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
      const inputs = crops
        .filter((c) => c !== null)
        .map(({ image: { data: rgba, width, height } }) =>
          preprocessPixels(tf.tensor3d(rgbaToRgb(rgba, width, height), [height, width, 3], 'int32'), metadata.input),
        );
      return predictOverViews(
        tf.stack(inputs) as tf.Tensor4D,
        viewCountOf(metadata),
        (x) => model.predict(x) as tf.Tensor,
      ).dataSync();
    });
    ok.forEach((c, i) => probs.set(c.id, out[i]!));
  }
  const t2 = performance.now();
  const classified: ClassifiedCell[] = detection.cells.map((c) =>
    classifyDetected(c, c.kind === 'red' ? (probs.get(c.id) ?? null) : 0, metadata.decision),
  );
  const parsed = parseGroundTruth(await readFile(f.txt, 'utf8'), meta.orientation ?? 1);
  const truth = {
    ...parsed,
    points: parsed.points.map((p) => ({
      ...p,
      x: (p.x * info.width) / full.width,
      y: (p.y * info.height) / full.height,
    })),
  };
  const truthRed = truth.points.filter((p) => p.label !== 'White_Blood_Cell');
  const redCells = classified.filter((c) => isRedCellLabel(c.label));
  const artefacts = classified.filter((c) => c.label === 'Artefact');
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
  const falseParasitizedProbabilities = redCells
    .filter((c, j) => c.label === 'Parasitized' && !truthParasitizedDet.has(j))
    .map((c) => c.probability);
  const falseParasitized = falseParasitizedProbabilities.length;
  const totals = countCells(classified);
  const row: FieldRow = {
    patient: f.patient,
    field: path.basename(f.jpg, '.jpg'),
    truthRedCells: truthRed.length,
    truthParasitized: truthRed.filter((p) => p.label === 'Parasitized').length,
    truthWhiteCells: truth.points.length - truthRed.length,
    detectedRedCells: totals.redCells,
    detectedWhiteCells: totals.whiteBloodCells,
    artefacts: artefacts.length,
    truthRedInArtefacts: truthRed.filter((p) => artefacts.some((a) => pointInPolygon(p.x, p.y, a.outline))).length,
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
  return row;
}

/** The bars over evaluated fields (C12: healthy patient, C92: infected patient). */
export function fieldBars(rows: readonly FieldRow[]): FieldBars {
  const byPatient = (id: string) => rows.filter((r) => r.patient.includes(id));
  const c12 = byPatient('C12');
  const c92 = byPatient('C92');
  const c12Red = c12.reduce((s, r) => s + r.detectedRedCells, 0);
  const c12Para = c12.reduce((s, r) => s + r.calledParasitized, 0);
  const c92Found = c92.reduce((s, r) => s + r.parasitizedFound, 0);
  return {
    recallAtLeast95EveryField: rows.every((r) => r.recall >= 0.95),
    precisionAtLeast95EveryField: rows.every((r) => r.precision >= 0.95),
    c12CalledParasitizedPercent: c12Red ? (100 * c12Para) / c12Red : null,
    c12AtMost1Percent: c12Red ? c12Para / c12Red <= 0.01 : null,
    c92ParasitizedFound: c92Found,
    c92ParasitizedTotal: c92.reduce((s, r) => s + r.truthParasitized, 0),
    c92AtLeast12: c92.length ? c92Found >= 12 : null,
  };
}
