/**
 * `npm run extract:field-crops [-- --out DIR]`: cuts every detection of the annotated field photos
 * (../shared/data/smear-fields, or FIELDS_DIR) with the app's own pipeline — `detectCells` →
 * `cropCell` with the app's crop growth and black background, exactly what the app classifies — and
 * labels each crop from the NIH point annotations with the matching rule (`matchPoints`):
 *
 *   red-cell detection matched to a Parasitized point  → Parasitized/
 *   red-cell detection matched to an Uninfected point  → Uninfected/
 *   red-cell detection matched to no red-cell point    → NonCell/   (platelets, debris, fragments,
 *                                                                   out-of-focus blobs — and the few
 *                                                                   red cells the annotator skipped)
 *   detection matched to a White_Blood_Cell point       → WhiteCell/ (whatever kind the detector gave)
 *
 * Detections the detector itself called white cells and that match no WBC point are not written.
 * Files: `<OUT>/<Class>/<patientId>_<field>_d<detectionId>.png` (RGB PNG, lossless, the masked crop
 * at native resolution; the training loader resizes it with the app's `preprocessPixels`) and
 * `<OUT>/manifest.json` (every crop with field, patient, class, centre, box, and the counts per field and
 * patient). Default OUT: training/cache/field-crops (git-ignored). The patient id (`C92`, `C12`) is the
 * file-name prefix, so `--extra-patients` in training can keep whole patients out.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { detectCells } from '../src/core/field/detect-cells.js';
import { CROP_GROW_PER_RADIUS, cropCell, cropGeometryFor } from '../src/core/field/crop-cell.js';
import { parseGroundTruth } from './field-eval/ground-truth.js';
import { matchPoints } from './field-eval/match.js';
import type { DetectedKind, RgbaImage } from '../src/core/field/field-types.js';
import { listFieldPhotos } from './field-photos.js';

export const CROP_CLASSES = ['Parasitized', 'Uninfected', 'NonCell', 'WhiteCell'] as const;
export type CropClass = (typeof CROP_CLASSES)[number];

export interface CropEntry {
  file: string;
  patient: string;
  field: string;
  cls: CropClass;
  detectionId: number;
  detectedKind: DetectedKind;
  x: number;
  y: number;
  width: number;
  height: number;
}

const root = path.resolve(import.meta.dirname, '..');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
  const outDir = path.resolve(argValue('out') ?? path.join(root, 'training/cache/field-crops'));
  const fields = listFieldPhotos(fieldsDir);
  if (fields.length === 0) throw new Error(`no fields in ${fieldsDir}`);
  await rm(outDir, { recursive: true, force: true });
  for (const c of CROP_CLASSES) await mkdir(path.join(outDir, c), { recursive: true });
  const entries: CropEntry[] = [];
  const counts: Record<
    string,
    Record<CropClass, number> & { truthRed: number; truthParasitized: number; missedRed: number }
  > = {};
  for (const f of fields) {
    const patient = /C\d+/.exec(f.patient)?.[0] ?? f.patient;
    const field = path.basename(f.jpg).replace(/\.jpe?g$/i, '');
    const meta = await sharp(f.jpg).metadata();
    const { data, info } = await sharp(f.jpg).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const img: RgbaImage = {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
    const { detection, labelMap } = detectCells(img);
    const truth = parseGroundTruth(await readFile(f.txt, 'utf8'), meta.orientation ?? 1);
    const redPoints = truth.points.filter((p) => p.label !== 'White_Blood_Cell');
    const wbcPoints = truth.points.filter((p) => p.label === 'White_Blood_Cell');
    const r = detection.stats.medianRadius;
    // Artefacts (platelets, debris) are not red-cell candidates: left out, as before they existed.
    const dets = detection.cells.filter((d) => d.kind !== 'artefact');
    // White cells first (any detection kind), then red-cell points against the rest of the red detections.
    const wbcMatch = matchPoints(wbcPoints, dets, r);
    const wbcDet = new Set(wbcMatch.detectionOfPoint.filter((j) => j >= 0));
    const redDets = dets.filter((d, j) => d.kind === 'red' && !wbcDet.has(j));
    const m = matchPoints(redPoints, redDets, r);
    const clsOf = new Map<number, CropClass>();
    for (const j of wbcDet) clsOf.set(dets[j]!.id, 'WhiteCell');
    redDets.forEach((d) => clsOf.set(d.id, 'NonCell'));
    redPoints.forEach((p, i) => {
      const j = m.detectionOfPoint[i]!;
      if (j >= 0) clsOf.set(redDets[j]!.id, p.label === 'Parasitized' ? 'Parasitized' : 'Uninfected');
    });
    const geometry = cropGeometryFor(r, CROP_GROW_PER_RADIUS);
    const key = `${patient} ${field}`;
    const c = (counts[key] = {
      Parasitized: 0,
      Uninfected: 0,
      NonCell: 0,
      WhiteCell: 0,
      truthRed: redPoints.length,
      truthParasitized: redPoints.filter((p) => p.label === 'Parasitized').length,
      missedRed: m.detectionOfPoint.filter((j) => j < 0).length,
    });
    for (const d of dets) {
      const cls = clsOf.get(d.id);
      if (!cls) continue;
      const crop = cropCell(img, labelMap, d.id, d.box, [0, 0, 0], geometry);
      if (!crop) continue;
      const { width, height, data: rgba } = crop.image;
      const rgb = Buffer.alloc(width * height * 3);
      for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
        rgb[o] = rgba[i]!;
        rgb[o + 1] = rgba[i + 1]!;
        rgb[o + 2] = rgba[i + 2]!;
      }
      const name = `${patient}_${field}_d${d.id}.png`;
      await sharp(rgb, { raw: { width, height, channels: 3 } })
        .png()
        .toFile(path.join(outDir, cls, name));
      entries.push({
        file: `${cls}/${name}`,
        patient,
        field,
        cls,
        detectionId: d.id,
        detectedKind: d.kind,
        x: Math.round(d.x),
        y: Math.round(d.y),
        width,
        height,
      });
      c[cls]++;
    }
    console.log(`${key}: ${JSON.stringify(c)}`);
  }
  const byPatient: Record<string, Record<string, number>> = {};
  for (const [key, c] of Object.entries(counts)) {
    const p = key.split(' ')[0]!;
    const acc = (byPatient[p] ??= {});
    for (const [k, v] of Object.entries(c)) acc[k] = (acc[k] ?? 0) + v;
  }
  console.log('per patient:', JSON.stringify(byPatient));
  await writeFile(
    path.join(outDir, 'manifest.json'),
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        fieldsDir,
        cropGrowPerRadius: CROP_GROW_PER_RADIUS,
        counts,
        byPatient,
        crops: entries,
      },
      null,
      1,
    ),
  );
  console.log(`wrote ${entries.length} crops to ${path.relative(root, outDir)}/`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
