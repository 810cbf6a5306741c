/**
 * `npm run eval:review-queue`: how well the SHIPPED model (public/model/) and its decision band fill
 * the clinician review queue. Every cell the app labels Parasitized or Inconclusive
 * (`labelForProbability`: P(Parasitized) above `decision.inconclusive.low`) goes into the queue,
 * sorted by P descending, and a microscopist confirms or rejects each one. Measured here:
 *
 *  1. NIH test patients (the patient-level split of training/src/split.ts, the seed and hash in the
 *     model's metadata): share of Parasitized cells that reach the queue (`queueRecall`, with a 95 %
 *     Wilson interval), per infected patient (min, median); queue per 1,000 Uninfected cells, pooled
 *     and per healthy patient.
 *  2. The annotated whole fields (../shared/data/smear-fields, the app's field pipeline through
 *     `evaluateField`, as `eval:fields` runs it): annotated parasitized cells matched to a detection
 *     that reach the queue, and queue per 1,000 detected red cells, per field and per patient.
 *  3. The same numbers for other cut-offs (the trade-off).
 *  4. Review taps and time for a queue of 50 (seconds per decision is an assumption, stated).
 *  5. The detection limit the app will show: p = (1 − 0.05^(1/N)) / r.
 *
 * Prints tables and writes docs/review-queue.json. MODEL_DIR, NIH_DIR and FIELDS_DIR override the
 * default locations. Runtime ≈ 1–3 min on two busy cores.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initEngine, tf } from '../training/src/engine.js';
import { loadModel } from '../training/src/model-io.js';
import { scanDataset, type CellRecord } from '../training/src/dataset.js';
import { cellsOfSplit, splitByPatient } from '../training/src/split.js';
import { preprocessFile } from '../training/src/tensor-cache.js';
import {
  labelForProbability,
  parseModelMetadata,
  wilsonInterval,
  viewCountOf,
  type DecisionSpec,
  type ModelMetadata,
  type ModelViewCount,
} from '@malaria/contract';
import { meanOverViews, predictOverViews } from '@malaria/contract/model-views';
import { evaluateField, type FieldRow } from './field-evaluation.js';
import { listFieldPhotos } from './field-photos.js';
import { median } from '../src/core/shared/median.js';
import { errorDetail } from '../src/core/shared/error-message.js';

const root = path.resolve(import.meta.dirname, '..');
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'public/model');
const nihDir = process.env.NIH_DIR ?? path.resolve(root, '../shared/data/nih-malaria');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const outJson = path.join(root, 'docs/review-queue.json');

/** Cut-offs of the sensitivity table besides the shipped `low` and `threshold`. */
const EXTRA_CUTOFFS = [0.02, 0.035, 0.05, 0.1, 0.2];
/** Review-time assumption (not measured): seconds a microscopist needs per queued cell. */
const SECONDS_PER_DECISION = { low: 2, high: 4 } as const;
const REVIEW_QUEUE_EXAMPLE = 50;
const DETECTION_CONFIDENCE = 0.95;
const LIMIT_N = [1000, 2000];
const BATCH = 128;

// ---------------------------------------------------------------------------------------------
// Maths

interface Share {
  k: number;
  n: number;
  value: number | null;
  /** 95 % Wilson score interval; null when n = 0. */
  wilson95: [number, number] | null;
}

function share(k: number, n: number): Share {
  const ci = wilsonInterval(k, n); // 95 %
  return { k, n, value: n ? k / n : null, wilson95: ci ? [ci.low, ci.high] : null };
}

function medianOrNull(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : median(xs);
}

/**
 * Does a cell with P(Parasitized) = p enter the review queue when the band's bottom is `cut`?
 * Exactly the app's rule (`labelForProbability` ≠ Uninfected) with `inconclusive.low` replaced by
 * `cut`: p > cut, or p ≥ threshold (the two differ only when p equals the cut-off exactly).
 */
function inQueue(p: number, cut: number, decision: DecisionSpec): boolean {
  return (
    labelForProbability(p, {
      threshold: decision.threshold,
      inconclusive: { low: cut, high: decision.inconclusive.high },
    }) !== 'Uninfected'
  );
}

/** Lowest parasitaemia seen (≥ 1 parasitized cell in the queue) with probability `conf` in N red cells. */
function detectionLimit(n: number, r: number, conf = DETECTION_CONFIDENCE): number {
  return (1 - (1 - conf) ** (1 / n)) / r;
}

// ---------------------------------------------------------------------------------------------
// NIH test patients

interface NihCell {
  cell: CellRecord;
  p: number;
}

async function predictNihTest(
  model: tf.LayersModel,
  metadata: ModelMetadata,
): Promise<{ cells: NihCell[]; patients: string[]; splitHash: string; splitSeed: number; scanned: number }> {
  const scan = await scanDataset(nihDir);
  for (const w of scan.warnings) console.warn(`[data] warning: ${w}`);
  const seed = metadata.dataset?.splitSeed;
  if (typeof seed !== 'number')
    throw new Error('metadata.json: dataset.splitSeed missing, cannot rebuild the test split');
  const split = splitByPatient(scan.cells, seed);
  const expected = metadata.dataset?.splitHash;
  if (typeof expected === 'string' && expected !== split.hash) {
    throw new Error(
      `patient split hash ${split.hash} ≠ the model's ${expected}: not the data the model was evaluated on (${scan.root})`,
    );
  }
  const test = cellsOfSplit(scan.cells, split, 'test');
  const { width, height } = metadata.input;
  const per = width * height * 3;
  const out: NihCell[] = [];
  for (let start = 0; start < test.length; start += BATCH) {
    const chunk = test.slice(start, start + BATCH);
    const pixels = await Promise.all(chunk.map((c) => preprocessFile(c.file, metadata.input)));
    const buf = new Float32Array(chunk.length * per);
    pixels.forEach((px, k) => buf.set(px, k * per));
    const probs = tf.tidy(() =>
      predictOverViews(
        tf.tensor4d(buf, [chunk.length, height, width, 3]),
        viewCountOf(metadata),
        (x) => model.predict(x) as tf.Tensor,
      ).dataSync(),
    );
    chunk.forEach((cell, k) => out.push({ cell, p: probs[k]! }));
  }
  return {
    cells: out,
    patients: split.patients.test,
    splitHash: split.hash,
    splitSeed: seed,
    scanned: scan.cells.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Fields

interface FieldResult {
  row: FieldRow;
  /** P(Parasitized) of every red cell the model classified in this field (recorded at model.predict). */
  redProbabilities: number[];
  /** Red cells without a crop (the app labels them Inconclusive, so they are always queued). */
  uncropped: number;
}

/**
 * `model` seen through a recorder: every P the field pipeline asks for is kept, so the queue at any
 * cut-off can be counted from one run of the pipeline (the pipeline's own outputs are untouched). The
 * pipeline runs the network on all of a batch's views at once (`predictOverViews`); the recorder keeps each
 * cell's mean over them, the P the pipeline labels the cell with.
 */
function recordingModel(model: tf.LayersModel, views: ModelViewCount, sink: number[]): tf.LayersModel {
  return new Proxy(model, {
    get(target, key) {
      if (key === 'predict') {
        return (x: tf.Tensor | tf.Tensor[], args?: Parameters<tf.LayersModel['predict']>[1]) => {
          const y = target.predict(x, args);
          if (Array.isArray(y)) throw new Error('expected a single-output model');
          sink.push(...tf.tidy(() => meanOverViews(y, views).dataSync()));
          return y;
        };
      }
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function runFields(model: tf.LayersModel, metadata: ModelMetadata): Promise<FieldResult[]> {
  const photos = listFieldPhotos(fieldsDir);
  if (photos.length === 0) throw new Error(`no field photos in ${fieldsDir}`);
  const results: FieldResult[] = [];
  for (const f of photos) {
    const sink: number[] = [];
    const row = await evaluateField(f, recordingModel(model, viewCountOf(metadata), sink), metadata);
    const uncropped = row.detectedRedCells - sink.length;
    if (uncropped < 0)
      throw new Error(`${row.field}: ${sink.length} predictions for ${row.detectedRedCells} red cells`);
    // The recorded P must reproduce the pipeline's own labels at the shipped band.
    const queued =
      sink.filter((p) => inQueue(p, metadata.decision.inconclusive.low, metadata.decision)).length + uncropped;
    if (queued !== row.calledParasitized + row.inconclusive) {
      throw new Error(
        `${row.field}: recorded queue ${queued} ≠ Parasitized + Inconclusive ${row.calledParasitized + row.inconclusive}`,
      );
    }
    if (uncropped > 0)
      console.warn(`[fields] ${row.field}: ${uncropped} red cells without a crop (queued as Inconclusive)`);
    results.push({ row, redProbabilities: sink, uncropped });
  }
  return results;
}

interface FieldQueue {
  patient: string;
  field: string;
  redCells: number;
  queued: number;
  queuePer1000: number | null;
  /** Annotated parasitized cells matched to a detection that reach the queue. */
  parasitizedInQueue: Share;
  /** Same over all annotated parasitized cells (undetected ones count as missed). */
  parasitizedInQueueOfAnnotated: Share;
}

function fieldQueue(
  rows: readonly FieldResult[],
  cut: number,
  decision: DecisionSpec,
  patient: string,
  field: string,
): FieldQueue {
  let red = 0,
    queued = 0,
    kPara = 0,
    nMatched = 0,
    nAnnotated = 0;
  for (const { row, redProbabilities, uncropped } of rows) {
    red += row.detectedRedCells;
    queued += redProbabilities.filter((p) => inQueue(p, cut, decision)).length + uncropped;
    for (const t of row.truthParasitizedCells) {
      nAnnotated++;
      if (t.probability === null) continue;
      nMatched++;
      if (inQueue(t.probability, cut, decision)) kPara++;
    }
  }
  return {
    patient,
    field,
    redCells: red,
    queued,
    queuePer1000: red ? (1000 * queued) / red : null,
    parasitizedInQueue: share(kPara, nMatched),
    parasitizedInQueueOfAnnotated: share(kPara, nAnnotated),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (v: number | null, d = 1) => (v === null ? '–' : `${(100 * v).toFixed(d)} %`);
const ci = (s: Share, d = 1) =>
  s.wilson95 ? `${(100 * s.wilson95[0]).toFixed(d)}–${(100 * s.wilson95[1]).toFixed(d)} %` : '–';
const kn = (s: Share) => `${s.k}/${s.n}`;
const per1000 = (s: Share) => (s.value === null ? '–' : (1000 * s.value).toFixed(1));

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initEngine('wasm', () => {});
  const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
  const { decision } = metadata;
  const low = decision.inconclusive.low;
  const model = await loadModel(modelDir);

  // 1. NIH test patients.
  const nih = await predictNihTest(model, metadata);
  const tNih = performance.now();
  const para = nih.cells.filter((c) => c.cell.label === 1);
  const unin = nih.cells.filter((c) => c.cell.label === 0);
  const tiesAtLow = nih.cells.filter((c) => c.p === low).length;
  const queueRecall = share(para.filter((c) => inQueue(c.p, low, decision)).length, para.length);
  const uninQueue = share(unin.filter((c) => inQueue(c.p, low, decision)).length, unin.length);
  const byPatient = new Map<string, NihCell[]>();
  for (const c of nih.cells) byPatient.set(c.cell.patient, [...(byPatient.get(c.cell.patient) ?? []), c]);
  const patients = nih.patients.map((patient) => {
    const cells = byPatient.get(patient) ?? [];
    const pa = cells.filter((c) => c.cell.label === 1);
    const un = cells.filter((c) => c.cell.label === 0);
    return {
      patient,
      infected: pa.length > 0,
      parasitizedInQueue: share(pa.filter((c) => inQueue(c.p, low, decision)).length, pa.length),
      uninfectedInQueue: share(un.filter((c) => inQueue(c.p, low, decision)).length, un.length),
    };
  });
  const infected = patients.filter((p) => p.infected);
  const healthy = patients.filter((p) => !p.infected);
  const recalls = infected.map((p) => p.parasitizedInQueue.value!);
  const minRecall = infected.reduce(
    (a, b) => (b.parasitizedInQueue.value! < a.parasitizedInQueue.value! ? b : a),
    infected[0]!,
  );
  const healthyPooled = share(
    healthy.reduce((s, p) => s + p.uninfectedInQueue.k, 0),
    healthy.reduce((s, p) => s + p.uninfectedInQueue.n, 0),
  );

  // 2. Fields.
  const fields = await runFields(model, metadata);
  model.dispose();
  const tFields = performance.now();
  const patientsOfFields = [...new Set(fields.map((f) => f.row.patient))];
  const shortPatient = (p: string) => /C\d+/.exec(p)?.[0] ?? p;
  const fieldRows = fields.map((f) => fieldQueue([f], low, decision, shortPatient(f.row.patient), f.row.field));
  const fieldPatients = patientsOfFields.map((p) =>
    fieldQueue(
      fields.filter((f) => f.row.patient === p),
      low,
      decision,
      shortPatient(p),
      'all fields',
    ),
  );
  const c12 = fields.filter((f) => f.row.patient.includes('C12'));
  const c92 = fields.filter((f) => f.row.patient.includes('C92'));

  // 3. Cut-off sweep.
  const cutoffs = [...new Set([...EXTRA_CUTOFFS, low, decision.threshold])]
    .filter((c) => c <= decision.threshold)
    .sort((a, b) => a - b);
  const sweep = cutoffs.map((cut) => {
    const recall = share(para.filter((c) => inQueue(c.p, cut, decision)).length, para.length);
    const uq = share(unin.filter((c) => inQueue(c.p, cut, decision)).length, unin.length);
    const c12q = fieldQueue(c12, cut, decision, 'C12', 'all fields');
    const c92q = fieldQueue(c92, cut, decision, 'C92', 'all fields');
    const c12Rate = c12q.queuePer1000 === null ? null : c12q.queuePer1000 / 1000;
    return {
      cutoff: cut,
      role: cut === low ? 'shipped inconclusive.low' : cut === decision.threshold ? 'shipped threshold' : '',
      nihRecall: recall,
      nihUninfectedQueuePer1000: uq.value === null ? null : 1000 * uq.value,
      nihUninfectedInQueue: uq,
      c12: { redCells: c12q.redCells, queued: c12q.queued, queuePer1000: c12q.queuePer1000 },
      c92ParasitizedInQueue: c92q.parasitizedInQueue,
      // A healthy 1,000-cell count at C12's rate: queue length and review seconds (assumed s/decision).
      healthy1000:
        c12Rate === null
          ? null
          : {
              queue: 1000 * c12Rate,
              reviewSeconds: [
                1000 * c12Rate * SECONDS_PER_DECISION.low,
                1000 * c12Rate * SECONDS_PER_DECISION.high,
              ] as [number, number],
            },
      detectionLimitPercentN1000: recall.value ? 100 * detectionLimit(1000, recall.value) : null,
    };
  });

  // 4. Review time.
  const review = {
    queue: REVIEW_QUEUE_EXAMPLE,
    taps: REVIEW_QUEUE_EXAMPLE,
    tapRule:
      'one tap per decision (confirm or reject); the next cell is shown automatically after each decision, so navigation costs no tap',
    secondsPerDecisionAssumed: SECONDS_PER_DECISION,
    assumption:
      'ASSUMPTION, not measured: 2–4 s for a trained microscopist to look at one enlarged cell crop and tap; no timing study was done',
    seconds: [REVIEW_QUEUE_EXAMPLE * SECONDS_PER_DECISION.low, REVIEW_QUEUE_EXAMPLE * SECONDS_PER_DECISION.high] as [
      number,
      number,
    ],
  };

  // 5. Detection limit.
  const r = queueRecall.value!;
  const rLow = queueRecall.wilson95![0];
  const limits = LIMIT_N.map((n) => ({
    redCells: n,
    p: detectionLimit(n, r),
    pAtWilsonLowerR: detectionLimit(n, rLow),
    approx3OverNr: 3 / (n * r),
  }));

  // ----- print
  const tag = (cut: number) => (cut === low ? ' (low, shipped)' : cut === decision.threshold ? ' (threshold)' : '');
  console.log(
    `model ${metadata.name} ${metadata.createdAt} (${String(metadata.training?.run ?? '?')}), threshold ${decision.threshold}, band ${low}–${decision.inconclusive.high}; queue = Parasitized + Inconclusive = P > ${low}`,
  );
  console.log(
    `NIH: ${nih.scanned} cells scanned in ${nihDir}; test split seed ${nih.splitSeed}, hash ${nih.splitHash} (= metadata), ${nih.patients.length} patients, ${nih.cells.length} cells; P exactly = low: ${tiesAtLow}`,
  );
  printTable(
    '1. NIH test patients, shipped cut-off',
    ['measure', 'k/n', 'value', '95 % Wilson'],
    [
      [
        'queueRecall: Parasitized cells reaching the queue',
        kn(queueRecall),
        pct(queueRecall.value, 2),
        ci(queueRecall, 2),
      ],
      [
        `  per infected patient (${infected.length}): min (${minRecall.patient})`,
        kn(minRecall.parasitizedInQueue),
        pct(minRecall.parasitizedInQueue.value),
        ci(minRecall.parasitizedInQueue),
      ],
      ['  per infected patient: median', '', pct(medianOrNull(recalls)), ''],
      [
        'Uninfected cells in queue (all test patients)',
        kn(uninQueue),
        `${per1000(uninQueue)} per 1,000`,
        ci(uninQueue),
      ],
      [
        `Uninfected cells in queue (${healthy.length} healthy patients pooled)`,
        kn(healthyPooled),
        `${per1000(healthyPooled)} per 1,000`,
        ci(healthyPooled),
      ],
    ],
  );
  printTable(
    '   per patient',
    ['patient', 'kind', 'Parasitized in queue', 'recall', 'Uninfected in queue', 'per 1,000'],
    patients.map((p) => [
      p.patient,
      p.infected ? 'infected' : 'healthy',
      p.infected ? kn(p.parasitizedInQueue) : '–',
      pct(p.parasitizedInQueue.value),
      kn(p.uninfectedInQueue),
      per1000(p.uninfectedInQueue),
    ]),
  );
  printTable(
    '2. Fields (app pipeline), shipped cut-off',
    ['patient', 'field', 'red cells', 'queued', 'queue per 1,000', 'matched parasitized in queue', 'of annotated'],
    [...fieldRows, ...fieldPatients].map((q) => [
      q.patient,
      q.field,
      String(q.redCells),
      String(q.queued),
      q.queuePer1000 === null ? '–' : q.queuePer1000.toFixed(1),
      q.parasitizedInQueue.n ? `${kn(q.parasitizedInQueue)} (${pct(q.parasitizedInQueue.value, 0)})` : '–',
      q.parasitizedInQueueOfAnnotated.n ? kn(q.parasitizedInQueueOfAnnotated) : '–',
    ]),
  );
  printTable(
    '3. Cut-off sweep',
    [
      'cut-off',
      'NIH recall k/n',
      'recall',
      '95 % Wilson',
      'NIH Uninf. per 1,000',
      'C12 queue per 1,000 (k/N)',
      'C92 para in queue',
      'healthy 1,000 cells: queue, review',
      'p95 N=1,000',
    ],
    sweep.map((s) => [
      `${s.cutoff}${tag(s.cutoff)}`,
      kn(s.nihRecall),
      pct(s.nihRecall.value, 2),
      ci(s.nihRecall, 2),
      s.nihUninfectedQueuePer1000 === null ? '–' : s.nihUninfectedQueuePer1000.toFixed(1),
      s.c12.queuePer1000 === null ? '–' : `${s.c12.queuePer1000.toFixed(1)} (${s.c12.queued}/${s.c12.redCells})`,
      kn(s.c92ParasitizedInQueue),
      s.healthy1000
        ? `${s.healthy1000.queue.toFixed(0)} cells, ${(s.healthy1000.reviewSeconds[0] / 60).toFixed(1)}–${(s.healthy1000.reviewSeconds[1] / 60).toFixed(1)} min`
        : '–',
      s.detectionLimitPercentN1000 === null ? '–' : `${s.detectionLimitPercentN1000.toFixed(3)} %`,
    ]),
  );
  console.log(
    `\n4. Review of a queue of ${review.queue}: ${review.taps} taps (${review.tapRule}); at ${SECONDS_PER_DECISION.low}–${SECONDS_PER_DECISION.high} s per decision (${review.assumption}): ${review.seconds[0]}–${review.seconds[1]} s = ${(review.seconds[0] / 60).toFixed(1)}–${(review.seconds[1] / 60).toFixed(1)} min.`,
  );
  console.log(
    `\n5. Detection limit (≥ 1 parasitized cell in the queue with ${100 * DETECTION_CONFIDENCE} % probability): p = (1 − 0.05^(1/N)) / r, r = queueRecall = ${r.toFixed(4)} (Wilson lower ${rLow.toFixed(4)})`,
  );
  for (const l of limits)
    console.log(
      `   N = ${l.redCells}: p = ${(100 * l.p).toFixed(3)} % (${(100 * l.pAtWilsonLowerR).toFixed(3)} % at r's lower bound; 3/(N·r) = ${(100 * l.approx3OverNr).toFixed(3)} %)`,
    );
  console.log(`\nqueueRecall = ${kn(queueRecall)} = ${r.toFixed(4)}`);
  console.log(`time: NIH ${((tNih - t0) / 1000).toFixed(0)} s, fields ${((tFields - tNih) / 1000).toFixed(0)} s`);

  // ----- JSON
  await mkdir(path.dirname(outJson), { recursive: true });
  await writeFile(
    outJson,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        script: 'scripts/eval-review-queue.ts (npm run eval:review-queue)',
        model: {
          dir: path.relative(root, modelDir),
          name: metadata.name,
          createdAt: metadata.createdAt,
          run: metadata.training?.run ?? null,
          modelSha256: metadata.training?.modelSha256 ?? null,
          decision,
        },
        queueRule:
          'queued ⇔ labelForProbability(P, decision) ∈ {Parasitized, Inconclusive} ⇔ P > inconclusive.low (or P ≥ threshold); cut-off c in the sweep replaces inconclusive.low',
        queueRecall: {
          k: queueRecall.k,
          n: queueRecall.n,
          value: queueRecall.value,
          wilson95: queueRecall.wilson95,
          cutoff: low,
          data: `NIH test patients (split seed ${nih.splitSeed}, hash ${nih.splitHash})`,
        },
        nihTest: {
          data: nihDir,
          splitSeed: nih.splitSeed,
          splitHash: nih.splitHash,
          patients: nih.patients.length,
          cells: nih.cells.length,
          infectedPatients: infected.length,
          healthyPatients: healthy.length,
          probabilitiesEqualToLow: tiesAtLow,
          parasitizedInQueue: queueRecall,
          perInfectedPatientRecall: {
            min: minRecall.parasitizedInQueue.value,
            minPatient: minRecall.patient,
            median: medianOrNull(recalls),
          },
          uninfectedInQueue: { ...uninQueue, per1000: uninQueue.value === null ? null : 1000 * uninQueue.value },
          healthyPatientsUninfectedInQueue: {
            ...healthyPooled,
            per1000: healthyPooled.value === null ? null : 1000 * healthyPooled.value,
          },
          perPatient: patients.map((p) => ({
            ...p,
            uninfectedQueuePer1000: p.uninfectedInQueue.value === null ? null : 1000 * p.uninfectedInQueue.value,
          })),
        },
        fields: {
          data: fieldsDir,
          note: 'C12 and C92 are not NIH test patients (their cells are in the training/validation patients): an end-to-end check of the pipeline, not an independent test of the classifier',
          perField: fieldRows,
          perPatient: fieldPatients,
          uncroppedRedCells: fields.reduce((s, f) => s + f.uncropped, 0),
          /** P(Parasitized) of each annotated parasitized cell's detection (null: not detected). */
          annotatedParasitized: fields
            .filter((f) => f.row.truthParasitizedCells.length)
            .map((f) => ({ field: f.row.field, cells: f.row.truthParasitizedCells })),
        },
        sweep,
        review,
        detectionLimit: {
          formula: '1 − (1 − p·r)^N ≥ 0.95 ⇔ p = (1 − 0.05^(1/N)) / r ≈ 3 / (N·r)',
          r,
          rWilsonLower: rLow,
          limits,
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.relative(root, outJson)}`);
}

main().catch((err: unknown) => {
  console.error(errorDetail(err));
  process.exit(1);
});
