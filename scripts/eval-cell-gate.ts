/**
 * `npm run eval:cell-gate`: measures the single-cell plausibility gate (src/core/cells/cell-plausibility.ts)
 *
 *  1. on every NIH crop of ../shared/data/nih-malaria (23,738 cells; `--sample N` takes a sample
 *     stratified by class and patient instead): pass rate per class (target ≥ 99.9 %), every
 *     failure with its reason, and the distribution of each statistic the gate uses (min, 0.1 %,
 *     1 %, median, 99 %, 99.9 %, max) against its threshold;
 *  2. on the 40 fixture cells (fixtures/cells: must all pass) and on re-encoded NIH crops (JPEG
 *     q = 80, grayscale): reported, not a target;
 *  3. on non-cells that must be rejected: uniform grey, white, solid colours, 1 px, a grey photo,
 *     photos of text (real font, rendered by sharp; and pseudo-glyphs), natural-looking photos
 *     (gradients + noise), colour noise, and the whole-field photos of ../shared/data/smear-fields at
 *     full size and down-scaled (→ kind "field");
 *  4. on the app's own crops of the six smear fields (detection → masked crop, as the Field tab
 *     cuts them): every red cell (should pass) and every artefact — platelets, debris, fragments —
 *     (reported: how many a user uploading them as "cells" would see refused);
 *  5. the gate's cost per cell (decoded pixels in memory; decoding not included).
 *
 * Prints the tables and writes docs/cell-gate.json. NIH_DIR, FIELDS_DIR override the data folders.
 * Runtime ≈ 1–2 min on two cores (decoding 23,738 WebP files with sharp dominates).
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import {
  CELL_GATE,
  checkCellPlausibility,
  measureCell,
  type CellFeatures,
  type CellGateResult,
} from '../src/core/cells/cell-plausibility.js';
import { greyPhoto, naturalPhoto, noiseImage, solidImage, textPhoto, type Rgba } from './fixtures/synthetic-images.js';
import { listFieldPhotos } from './field-photos.js';
import { textPageJpeg } from './fixtures/text-page.js';
import { detectCells } from '../src/core/field/detect-cells.js';
import { cropCell, cropGeometryFor } from '../src/core/field/crop-cell.js';

const root = path.resolve(import.meta.dirname, '..');
const nihDir = process.env.NIH_DIR ?? path.resolve(root, '../shared/data/nih-malaria');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const outJson = path.join(root, 'docs/cell-gate.json');
const args = process.argv.slice(2);
const sampleArg = args.indexOf('--sample');
const SAMPLE = sampleArg >= 0 ? Number(args[sampleArg + 1]) : 0;
const CONCURRENCY = 8;

interface Cell {
  path: string;
  cls: string;
  patient: string;
}

function readManifest(text: string): Cell[] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [p, cls, patient] = line.split(',');
      return { path: p!, cls: cls!, patient: patient! };
    });
}

/** Every k-th cell of each (class, patient) group, so the sample keeps every patient. */
function stratified(cells: readonly Cell[], n: number): Cell[] {
  if (!n || n >= cells.length) return [...cells];
  const k = cells.length / n;
  const groups = new Map<string, Cell[]>();
  for (const c of cells) {
    const key = `${c.cls}/${c.patient}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: Cell[] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += k) out.push(g[Math.floor(i)]!);
  return out;
}

async function rgbaOf(input: string | Buffer | Sharp): Promise<Rgba> {
  const img = typeof input === 'string' || Buffer.isBuffer(input) ? sharp(input) : input;
  const { data, info } = await img.rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface Measured {
  name: string;
  cls: string;
  features: CellFeatures;
  result: CellGateResult;
}

function measure(name: string, cls: string, img: Rgba): Measured {
  return {
    name,
    cls,
    features: measureCell(img.data, img.width, img.height),
    result: checkCellPlausibility(img.data, img.width, img.height),
  };
}

const STATS: (keyof CellFeatures)[] = [
  'width',
  'height',
  'aspect',
  'background',
  'components',
  'mainShare',
  'fill',
  'solidity',
  'spanX',
  'spanY',
  'holes',
  'chroma',
  'luminance',
  'white',
  'darkShare',
  'stainRunsPerRow',
];

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
}

function distribution(rows: readonly Measured[]) {
  const out: Record<string, Record<string, number>> = {};
  const extra = {
    greenRatio: (f: CellFeatures) => f.meanG / Math.max(1, f.meanR),
    blueRatio: (f: CellFeatures) => f.meanB / Math.max(1, f.meanR),
  };
  const keys: [string, (f: CellFeatures) => number][] = [
    ...STATS.map((k): [string, (f: CellFeatures) => number] => [k, (f) => f[k]]),
    ...Object.entries(extra),
  ];
  for (const [k, get] of keys) {
    const v = rows.map((r) => get(r.features)).sort((a, b) => a - b);
    out[k] = {
      min: v[0]!,
      q001: quantile(v, 0.001),
      q01: quantile(v, 0.01),
      median: quantile(v, 0.5),
      q99: quantile(v, 0.99),
      q999: quantile(v, 0.999),
      max: v[v.length - 1]!,
    };
  }
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));
const reasonOf = (r: CellGateResult) => (r.ok ? 'ok' : `${r.kind}: ${r.reason}`);

async function nihRows(): Promise<{ rows: Measured[]; total: number }> {
  const all = readManifest(await readFile(path.join(nihDir, 'manifest.csv'), 'utf8'));
  const cells = stratified(all, SAMPLE);
  let done = 0;
  const rows = await mapLimit(cells, CONCURRENCY, async (c) => {
    const img = await rgbaOf(path.join(nihDir, c.path));
    if (++done % 2000 === 0) process.stderr.write(`  ${done} / ${cells.length}\n`);
    return measure(c.path, c.cls, img);
  });
  return { rows, total: all.length };
}

function passTable(rows: readonly Measured[]) {
  const classes = [...new Set(rows.map((r) => r.cls))].sort();
  return classes.map((cls) => {
    const of = rows.filter((r) => r.cls === cls);
    const pass = of.filter((r) => r.result.ok).length;
    return { class: cls, n: of.length, pass, rate: pass / of.length };
  });
}

/** Time of the gate alone on decoded pixels (median of 5 passes over `imgs`), ms per image. */
function timeGate(imgs: readonly Rgba[]): { msPerCell: number; minMsPerCell: number; passes: number[] } {
  const passes: number[] = [];
  for (let p = 0; p < 6; p++) {
    const t0 = performance.now();
    for (const im of imgs) checkCellPlausibility(im.data, im.width, im.height);
    passes.push((performance.now() - t0) / imgs.length);
  }
  passes.shift(); // warm-up (JIT)
  const sorted = [...passes].sort((a, b) => a - b);
  return { msPerCell: sorted[2]!, minMsPerCell: sorted[0]!, passes };
}

async function textPhotoWithFont(width: number, height: number, size: number): Promise<Rgba> {
  return rgbaOf(await textPageJpeg(width, height, size));
}

async function negatives(): Promise<Measured[]> {
  const out: Measured[] = [];
  const add = (name: string, img: Rgba) => out.push(measure(name, 'non-cell', img));
  add('uniform grey 128², (128,128,128)', solidImage(128, 128, [128, 128, 128]));
  add('uniform grey 300×200', solidImage(300, 200, [128, 128, 128]));
  add('white 128²', solidImage(128, 128, [255, 255, 255]));
  add('white 400×300', solidImage(400, 300, [255, 255, 255]));
  add('black 128²', solidImage(128, 128, [0, 0, 0]));
  add('solid red 100²', solidImage(100, 100, [220, 30, 30]));
  add('solid pink (cell colour) 130²', solidImage(130, 130, [212, 158, 154]));
  add('solid green 64²', solidImage(64, 64, [40, 180, 60]));
  add('1 px (pink)', solidImage(1, 1, [212, 158, 154]));
  add('1 px (white)', solidImage(1, 1, [255, 255, 255]));
  add('grey photo 320×240', greyPhoto(320, 240));
  add('grey photo 120×120', greyPhoto(120, 120));
  add('text photo 300×200 (DejaVu Sans, 18 px)', await textPhotoWithFont(300, 200, 18));
  add('text photo 140×100 (DejaVu Sans, 10 px)', await textPhotoWithFont(140, 100, 10));
  add('text photo 500×400 (DejaVu Sans, 28 px)', await textPhotoWithFont(500, 400, 28));
  add(
    'white text on black 200×120',
    await rgbaOf(
      await sharp(
        Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><rect width="100%" height="100%" fill="#000"/><text x="8" y="50" font-family="DejaVu Sans" font-size="30" fill="#fff">Malaria</text><text x="8" y="95" font-family="DejaVu Sans" font-size="30" fill="#fff">notes</text></svg>',
        ),
      )
        .png()
        .toBuffer(),
    ),
  );
  add('pseudo-glyph text 200×160', textPhoto(200, 160));
  add('pseudo-glyph text 96×96', textPhoto(96, 96, 7));
  for (const seed of [3, 11, 12, 13, 14])
    add(`natural photo (gradients + noise) 256×192 #${seed}`, naturalPhoto(256, 192, seed));
  add('natural photo 120×120', naturalPhoto(120, 120, 21));
  add('colour noise 128²', noiseImage(128, 128));
  // A photo-like JPEG: a natural photo re-encoded.
  add(
    'natural photo as JPEG 320×240',
    await rgbaOf(
      await sharp(Buffer.from(naturalPhoto(320, 240, 5).data), { raw: { width: 320, height: 240, channels: 4 } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
  for (const f of listFieldPhotos(fieldsDir)) {
    const name = path.basename(f.jpg);
    add(`field ${name} full size`, await rgbaOf(f.jpg));
    for (const long of [1000, 600, 400, 300]) {
      add(
        `field ${name} scaled to ${long} px`,
        await rgbaOf(sharp(f.jpg).rotate().resize(long, long, { fit: 'inside' })),
      );
    }
  }
  return out;
}

/** The app's masked crops of every red cell and every artefact of the smear fields, through the gate. */
async function fieldCrops() {
  const red = { n: 0, pass: 0, failures: [] as string[] };
  const artefacts: { crop: string; size: string; darkShare: number; result: CellGateResult }[] = [];
  for (const f of listFieldPhotos(fieldsDir)) {
    const img = await rgbaOf(f.jpg);
    const { detection, labelMap } = detectCells(img);
    const geometry = cropGeometryFor(detection.stats.medianRadius);
    for (const c of detection.cells) {
      if (c.kind === 'white') continue;
      const crop = cropCell(img, labelMap, c.id, c.box, [0, 0, 0], geometry);
      if (!crop) continue;
      const { data, width, height } = crop.image;
      const result = checkCellPlausibility(data, width, height);
      const name = `${path.basename(f.jpg, '.jpg')} #${c.id}`;
      if (c.kind === 'red') {
        red.n++;
        if (result.ok) red.pass++;
        else red.failures.push(`${name}: ${reasonOf(result)}`);
      } else {
        const darkShare = measureCell(data, width, height).darkShare;
        artefacts.push({ crop: name, size: `${width}×${height}`, darkShare, result });
      }
    }
  }
  return { red, artefacts };
}

async function main(): Promise<void> {
  console.log(`Cell plausibility gate — thresholds: ${JSON.stringify(CELL_GATE)}\n`);
  const { rows, total } = await nihRows();
  const table = passTable(rows);
  const all = { class: 'all', n: rows.length, pass: rows.filter((r) => r.result.ok).length, rate: 0 };
  all.rate = all.pass / all.n;
  console.log(`NIH crops (${rows.length} of ${total}${SAMPLE ? ', stratified sample' : ''}):`);
  console.log('| class | n | pass | pass rate |\n|---|---:|---:|---:|');
  for (const t of [...table, all]) console.log(`| ${t.class} | ${t.n} | ${t.pass} | ${(100 * t.rate).toFixed(3)} % |`);
  const failures = rows
    .filter((r) => !r.result.ok)
    .map((r) => ({ file: r.name, reason: reasonOf(r.result), features: r.features }));
  console.log(`\nFailures (${failures.length}):`);
  for (const f of failures) console.log(`  ${f.file}: ${f.reason}`);
  const dist = distribution(rows);
  console.log('\nDistribution over the NIH crops:');
  console.log(
    '| statistic | min | 0.1 % | 1 % | median | 99 % | 99.9 % | max |\n|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const [k, d] of Object.entries(dist))
    console.log(`| ${k} | ${[d.min, d.q001, d.q01, d.median, d.q99, d.q999, d.max].map((v) => fmt(v!)).join(' | ')} |`);

  // Fixtures and re-encoded crops.
  const fixtureRows: Measured[] = [];
  for (const cls of ['Parasitized', 'Uninfected']) {
    const dir = path.join(root, 'fixtures/cells', cls);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.webp')))
      fixtureRows.push(measure(f, cls, await rgbaOf(path.join(dir, f))));
  }
  const fixturesPass = fixtureRows.filter((r) => r.result.ok).length;
  console.log(`\nFixture cells (fixtures/cells): ${fixturesPass} / ${fixtureRows.length} pass`);
  for (const r of fixtureRows.filter((x) => !x.result.ok)) console.log(`  FAIL ${r.name}: ${reasonOf(r.result)}`);
  const reencodeSample = stratified(readManifest(await readFile(path.join(nihDir, 'manifest.csv'), 'utf8')), 1000);
  const reencoded: Record<string, { n: number; pass: number; failures: Record<string, number> }> = {};
  for (const [label, transform] of [
    ['JPEG q80', (s: Sharp) => s.jpeg({ quality: 80 })],
    ['grayscale PNG', (s: Sharp) => s.grayscale().png()],
  ] as const) {
    const res = await mapLimit(reencodeSample, CONCURRENCY, async (c) => {
      const buf = await transform(sharp(path.join(nihDir, c.path))).toBuffer();
      const im = await rgbaOf(buf);
      return checkCellPlausibility(im.data, im.width, im.height);
    });
    const failures: Record<string, number> = {};
    for (const r of res)
      if (!r.ok) {
        const k = r.reason.replace(/\(.*\)/, '(…)');
        failures[k] = (failures[k] ?? 0) + 1;
      }
    reencoded[label] = { n: res.length, pass: res.filter((r) => r.ok).length, failures };
    console.log(
      `Re-encoded NIH crops, ${label}: ${reencoded[label]!.pass} / ${res.length} pass${Object.keys(failures).length ? ` (failures: ${JSON.stringify(failures)})` : ''}`,
    );
  }

  // Non-cells.
  const neg = await negatives();
  console.log('\nNon-cells (all must be rejected; whole fields as "field"):');
  console.log('| input | size | result | stain runs / row |\n|---|---|---|---:|');
  for (const r of neg)
    console.log(
      `| ${r.name} | ${r.features.width}×${r.features.height} | ${reasonOf(r.result)} | ${r.features.stainRunsPerRow.toFixed(2)} |`,
    );
  const wronglyPassed = neg.filter((r) => r.result.ok);
  const fieldsNotField = neg.filter(
    (r) =>
      r.name.startsWith('field ') && !/scaled to [34]00 px$/.test(r.name) && (r.result.ok || r.result.kind !== 'field'),
  );

  // The app's own field crops.
  const crops = await fieldCrops();
  const refused = crops.artefacts.filter((a) => !a.result.ok);
  console.log(
    `\nThe app's crops of the smear fields: red cells ${crops.red.pass} / ${crops.red.n} pass; artefacts (platelets, debris, fragments) ${refused.length} / ${crops.artefacts.length} refused`,
  );
  console.log('| artefact crop | size | dark share | result |\n|---|---|---:|---|');
  for (const a of crops.artefacts)
    console.log(`| ${a.crop} | ${a.size} | ${a.darkShare.toFixed(3)} | ${reasonOf(a.result)} |`);
  for (const f of crops.red.failures) console.log(`  red cell refused: ${f}`);

  // Cost.
  const timingImgs = await Promise.all(
    stratified(readManifest(await readFile(path.join(nihDir, 'manifest.csv'), 'utf8')), 1000).map((c) =>
      rgbaOf(path.join(nihDir, c.path)),
    ),
  );
  const timing = timeGate(timingImgs);
  const load = (await import('node:os')).loadavg()[0]!.toFixed(2);
  console.log(
    `\nGate cost (Node ${process.version}, decoded pixels, 1,000 NIH crops): median of 5 passes ${timing.msPerCell.toFixed(4)} ms per cell, fastest ${timing.minMsPerCell.toFixed(4)} (load average ${load})`,
  );

  const report = {
    generated: new Date().toISOString(),
    thresholds: CELL_GATE,
    nih: { total, measured: rows.length, sample: SAMPLE || null, perClass: table, all, failures },
    distribution: dist,
    fixtures: { n: fixtureRows.length, pass: fixturesPass },
    reencoded,
    nonCells: neg.map((r) => ({ input: r.name, width: r.features.width, height: r.features.height, result: r.result })),
    fieldCrops: {
      redCells: crops.red,
      artefacts: { n: crops.artefacts.length, refused: refused.length, crops: crops.artefacts },
    },
    cost: { msPerCellMedian: timing.msPerCell, msPerCellFastest: timing.minMsPerCell, passes: timing.passes },
  };
  await writeFile(outJson, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(root, outJson)}`);
  const problems: string[] = [];
  for (const t of table)
    if (t.rate < 0.999) problems.push(`${t.class}: ${(100 * t.rate).toFixed(3)} % pass (< 99.9 %)`);
  if (fixturesPass !== fixtureRows.length) problems.push('a fixture cell fails the gate');
  for (const r of wronglyPassed) problems.push(`non-cell passed: ${r.name}`);
  for (const r of fieldsNotField) problems.push(`field not routed as field: ${r.name} (${reasonOf(r.result)})`);
  if (problems.length) {
    console.error(`\nPROBLEMS:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main();
