/**
 * After training: evaluate the best checkpoint on the patient-level validation and test splits,
 * choose the decision threshold, inconclusive band and slide-verdict rule on VALIDATION only,
 * write training/reports/<run>/ and export the model + metadata.json for the app.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { InputSpec, ModelMetadata, ReviewQueueSpec } from '@malaria/contract';
import { labelForProbability, parseModelMetadata, wilsonInterval } from '@malaria/contract';
import type { CellRecord } from './dataset.js';
import type { EngineInfo } from './engine.js';
import {
  binaryMetrics,
  chooseInconclusiveBand,
  chooseThreshold,
  reliabilityBins,
  rocCurve,
  type BinaryMetrics,
} from './metrics.js';
import { weightBytes } from './model.js';
import { loadModel, saveModel } from './model-io.js';
import {
  applyVerdict,
  chooseVerdictRule,
  evaluateVerdict,
  reviewedVerdict,
  type PatientCells,
} from './patient-verdict.js';
import { predictDihedralMean } from './predict.js';
import { predictOverViews } from '@malaria/contract/model-views';
import type { ModelViewCount } from '@malaria/contract';
import type { PatientSplit } from './split.js';
import { lineChart } from './svg-plots.js';
import { bestModelDir, selectionLabel, type TrainState } from './train-loop.js';
import { DEFAULT_AUGMENT, type AugmentOptions } from './augment.js';

function describeAugment(a: AugmentOptions): string {
  const base = `Augmentation: 8 dihedral flips/rotations, zoom ${a.scale.join('–')}, brightness ±${a.brightness * 100}%, per-channel gain ±${a.channelGain * 100}%, gamma ${a.gamma.join('–')}.`;
  if (!a.debris || a.debris.probability <= 0) return base;
  const d = a.debris;
  return `${base} Synthetic stain debris on ${d.probability * 100}% of training cells of both classes: 1–${d.maxMarks} marks, rods ${d.rodLength.map((v) => (v * 100).toFixed(0)).join('–')}% of the side long and ${d.rodWidth.map((v) => (v * 100).toFixed(1)).join('–')}% wide, ${d.speckShare * 100}% tiny specks (radius ${d.speckRadius.map((v) => (v * 100).toFixed(1)).join('–')}%), cell colour × R ${d.channelGain[0].join('–')}, G ${d.channelGain[1].join('–')}, B ${d.channelGain[2].join('–')} (saturated magenta, like chromatin), rods ≥ ${d.minElongation}× longer than wide.`;
}

function describeWeightAverage(state: TrainState, reportDir: string): string {
  const w = state.weightAverage;
  if (!w) return '';
  const rel = (p: string) => path.relative(path.dirname(reportDir), p);
  const to = w.to.map((t) => `\`${rel(t)}\``);
  const end =
    to.length === 1 ? `${to[0]} (best)` : `the uniform average of ${to.join(', ')} (best checkpoints, a "model soup")`;
  return `\n**Weight-space average** (WiSE-FT): ${w.alpha} × ${end} + ${(1 - w.alpha).toFixed(2)} × \`${rel(w.from)}\`. α chosen on the validation patients as the lowest mean of the clean and the with-debris cross-entropy:

| α | val loss clean | val loss with debris | mean |
|---|---|---|---|
${w.scores.map((s) => `| ${s.alpha} | ${s.cleanLoss.toFixed(4)} | ${s.debrisLoss.toFixed(4)} | ${s.score.toFixed(4)}${s.alpha === w.alpha ? ' ←' : ''} |`).join('\n')}

The augmentation and fine-tuning lines above and the training history below are those of ${to[0]}; each ingredient's own report is in \`reports/<run>/\`.`;
}

function describeViewsAndCalibration(state: TrainState): string {
  const parts: string[] = [];
  if ((state.views ?? 1) > 1)
    parts.push(
      `\n**${state.views} views per cell** (metadata \`output.views\`): P is the mean of the network's P on the cell as given and the cell turned 90°; every number below and the timing above are of that mean.`,
    );
  const c = state.calibration;
  if (c)
    parts.push(
      `\n**Platt scaling folded into the output layer** (P' = σ(a·logit(P) + b) per view, a = ${c.a.toFixed(4)}, b = ${c.b.toFixed(4)}; fitted on the ${c.fittedOn}; kernel × a, bias × a + b of \`${path.basename(path.dirname(c.from))}\`).`,
    );
  return parts.join('');
}

export interface FinalizeInput {
  engine: EngineInfo;
  state: TrainState;
  split: PatientSplit;
  spec: InputSpec;
  runName: string;
  runDir: string;
  reportDir: string;
  exportDir: string | null;
  dataRoot: string;
  cells: CellRecord[];
  pixels: Float32Array;
  idx: { train: number[]; validation: number[]; test: number[] };
  skipped: { file: string; error: string }[];
  log: (m: string) => void;
}

export interface PatientRow {
  patient: string;
  split: string;
  infected: boolean;
  cells: number;
  trueParasitizedFraction: number;
  predictedParasitizedFraction: number;
  inconclusive: number;
  verdict: string;
  reviewedVerdict: string;
}

function patientRows(
  cells: CellRecord[],
  indices: number[],
  probs: Float32Array,
  threshold: number,
  band: { low: number; high: number },
  splitName: string,
): { rows: PatientRow[]; groups: PatientCells[] } {
  const by = new Map<string, { labels: number[]; probs: number[] }>();
  indices.forEach((ci, k) => {
    const c = cells[ci] as CellRecord;
    const g = by.get(c.patient) ?? { labels: [], probs: [] };
    g.labels.push(c.label);
    g.probs.push(probs[k] as number);
    by.set(c.patient, g);
  });
  const rows: PatientRow[] = [];
  const groups: PatientCells[] = [];
  for (const [patient, g] of [...by].sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1)))) {
    const infected = g.labels.some((l) => l === 1);
    groups.push({ patient, infected, probs: g.probs, labels: g.labels });
    rows.push({
      patient,
      split: splitName,
      infected,
      cells: g.labels.length,
      trueParasitizedFraction: g.labels.filter((l) => l === 1).length / g.labels.length,
      predictedParasitizedFraction: g.probs.filter((p) => p >= threshold).length / g.probs.length,
      inconclusive: g.probs.filter((p) => p > band.low && p < band.high).length,
      verdict: '',
      reviewedVerdict: '',
    });
  }
  return { rows, groups };
}

/** ms per cell as the app computes P: the network on all `views` of the cell (`predictOverViews`). */
function timeInference(
  model: tf.LayersModel,
  size: number,
  views: ModelViewCount,
): { msPerCellBatch64: number; msPerCellSingle: number } {
  const batch = tf.randomUniform([64, size, size, 3]) as tf.Tensor4D;
  const one = tf.randomUniform([1, size, size, 3]) as tf.Tensor4D;
  const run = (x: tf.Tensor4D) => predictOverViews(x, views, (v) => model.predict(v) as tf.Tensor).dataSync();
  tf.tidy(() => {
    run(batch);
    run(one);
  });
  let t = performance.now();
  for (let i = 0; i < 5; i++) tf.tidy(() => run(batch));
  const msPerCellBatch64 = (performance.now() - t) / (5 * 64);
  t = performance.now();
  for (let i = 0; i < 50; i++) tf.tidy(() => run(one));
  const msPerCellSingle = (performance.now() - t) / 50;
  batch.dispose();
  one.dispose();
  return { msPerCellBatch64, msPerCellSingle };
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function metricsTable(rows: [string, BinaryMetrics][]): string {
  const head =
    '| split | cells | accuracy | sensitivity | specificity | precision | F1 | ROC AUC | ECE |\n|---|---|---|---|---|---|---|---|---|';
  return [
    head,
    ...rows.map(
      ([n, m]) =>
        `| ${n} | ${m.n} | ${pct(m.accuracy)} | ${pct(m.sensitivity)} | ${pct(m.specificity)} | ${pct(m.precision)} | ${m.f1.toFixed(4)} | ${m.rocAuc.toFixed(4)} | ${m.ece.toFixed(4)} |`,
    ),
  ].join('\n');
}

/** Predictions on the validation and test splits and the decision chosen on validation. */
function evaluateSplits(input: FinalizeInput, model: tf.LayersModel) {
  const { spec, idx, cells, pixels, log } = input;
  const size = spec.width;
  const labelsOf = (ids: number[]) => Uint8Array.from(ids, (i) => (cells[i] as CellRecord).label);
  // As the app computes P: the mean over the model's views (metadata output.views; predict.ts's view
  // order is the contract's, checked by test/views.test.ts).
  const views = input.state.views ?? 1;
  const valProbs = predictDihedralMean(model, pixels, idx.validation, size, views);
  const testProbs = idx.test.length ? predictDihedralMean(model, pixels, idx.test, size, views) : new Float32Array(0);
  const valLabels = labelsOf(idx.validation);
  const testLabels = labelsOf(idx.test);

  const threshold = chooseThreshold(valProbs, valLabels);
  const band = chooseInconclusiveBand(valProbs, valLabels, threshold);
  const decision = { threshold, inconclusive: { low: band.low, high: band.high } };
  const valMetrics = binaryMetrics(valProbs, valLabels, threshold);
  const testMetrics = binaryMetrics(testProbs, testLabels, threshold);
  const testAt05 = binaryMetrics(testProbs, testLabels, 0.5);
  let testInside = 0,
    testOutsideCorrect = 0;
  testProbs.forEach((p, i) => {
    if (p > band.low && p < band.high) testInside++;
    else if ((p >= threshold ? 1 : 0) === testLabels[i]) testOutsideCorrect++;
  });
  const testBand = {
    inconclusiveFraction: testInside / Math.max(1, testProbs.length),
    accuracyOutsideBand: testOutsideCorrect / Math.max(1, testProbs.length - testInside),
  };
  log(
    `[eval] threshold ${threshold} (val, Youden J); inconclusive band (${band.low}, ${band.high}) holds ${pct(band.inside)} of val cells, val accuracy outside ${pct(band.accuracyOutside)}`,
  );
  log(
    `[eval] test: accuracy ${pct(testMetrics.accuracy)} AUC ${testMetrics.rocAuc.toFixed(4)} sens ${pct(testMetrics.sensitivity)} spec ${pct(testMetrics.specificity)} ECE ${testMetrics.ece.toFixed(4)}`,
  );
  return {
    size,
    valProbs,
    testProbs,
    valLabels,
    testLabels,
    threshold,
    band,
    decision,
    valMetrics,
    testMetrics,
    testAt05,
    testBand,
  };
}

type SplitEvaluation = ReturnType<typeof evaluateSplits>;

/** Per-patient rows and the slide-verdict rule (chosen on the validation patients). */
function choosePatientVerdicts(input: FinalizeInput, e: SplitEvaluation) {
  const { cells, idx, log } = input;
  const val = patientRows(cells, idx.validation, e.valProbs, e.threshold, e.band, 'validation');
  const test = patientRows(cells, idx.test, e.testProbs, e.threshold, e.band, 'test');
  const valUninfectedProbs = Array.from(e.valProbs).filter((_, i) => e.valLabels[i] === 0);
  const rule = chooseVerdictRule(val.groups, valUninfectedProbs, e.band.high);
  const testVerdict = evaluateVerdict(test.groups, rule);
  for (const [rows, groups] of [
    [val.rows, val.groups],
    [test.rows, test.groups],
  ] as const) {
    rows.forEach((r, i) => {
      r.verdict = applyVerdict((groups[i] as PatientCells).probs, rule, true);
      r.reviewedVerdict = reviewedVerdict(groups[i] as PatientCells, e.decision);
    });
  }
  log(
    `[eval] slide verdict rule (validation patients): ${rule.description} → sens ${pct(rule.validation?.sensitivity ?? 0)}, spec ${pct(rule.validation?.specificity ?? 0)}; test patients sens ${pct(testVerdict.sensitivity)} spec ${pct(testVerdict.specificity)}`,
  );
  return { val, test, rule, testVerdict };
}

type PatientVerdicts = ReturnType<typeof choosePatientVerdicts>;

/** Size, timing and training-history facts about the model. */
function describeModel(input: FinalizeInput, model: tf.LayersModel, e: SplitEvaluation) {
  const { state } = input;
  const timing = timeInference(model, e.size, state.views ?? 1);
  const bytes = weightBytes(model);
  const params = model.countParams();
  const h = state.history;
  const bestLog = h.find((x) => x.epoch === state.bestEpoch);
  const meanThroughput = h.length ? h.reduce((s, x) => s + x.imagesPerSecond, 0) / h.length : 0;
  const trainingSummary = state.weightAverage
    ? `Averaged model: validation loss ${state.bestValLoss.toFixed(4)}, validation accuracy ${pct(e.valMetrics.accuracy)} (at the threshold below). ` +
      `History of the first ingredient: ${h.length} epochs, best epoch ${state.bestEpoch}; mean throughput ${meanThroughput.toFixed(1)} images/s.`
    : `${h.length} epochs (${state.stopReason ?? ''}); best epoch ${state.bestEpoch} (${selectionLabel(state.selectOn)} ${state.bestValLoss.toFixed(4)}${bestLog ? `, validation accuracy ${pct(bestLog.valAccuracy)}` : ''}); mean throughput ${meanThroughput.toFixed(1)} images/s.`;
  return { timing, bytes, params, h, meanThroughput, trainingSummary };
}

type ModelFacts = ReturnType<typeof describeModel>;

/** The accuracy, loss, ROC and reliability plots (SVG) in the report folder. */
async function writePlots(reportDir: string, e: SplitEvaluation, h: ModelFacts['h']): Promise<void> {
  const { testMetrics, valMetrics, testProbs, testLabels, valProbs, valLabels } = e;
  const epochs = h.map((x) => x.epoch);
  const plots: Record<string, string> = {
    'accuracy.svg': lineChart(
      [
        // A distilled run has no training class accuracy (soft targets): null in state.json, no point.
        {
          name: 'training',
          color: '#1f77b4',
          points: h.flatMap((x): [number, number][] => (x.accuracy === null ? [] : [[x.epoch, x.accuracy]])),
        },
        { name: 'validation', color: '#d62728', points: h.map((x) => [x.epoch, x.valAccuracy]) },
      ],
      {
        title: 'Accuracy per epoch',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        xRange: [Math.min(...epochs, 1), Math.max(...epochs, 2)],
      },
    ),
    'loss.svg': lineChart(
      [
        { name: 'training', color: '#1f77b4', points: h.map((x) => [x.epoch, x.loss]) },
        { name: 'validation', color: '#d62728', points: h.map((x) => [x.epoch, x.valLoss]) },
      ],
      {
        title: 'Binary cross-entropy per epoch',
        xLabel: 'epoch',
        yLabel: 'loss',
        xRange: [Math.min(...epochs, 1), Math.max(...epochs, 2)],
      },
    ),
    'roc.svg': lineChart(
      [
        {
          name: `test (AUC ${testMetrics.rocAuc.toFixed(4)})`,
          color: '#d62728',
          points: rocCurve(testProbs, testLabels).map((p) => [p.fpr, p.tpr]),
        },
        {
          name: `validation (AUC ${valMetrics.rocAuc.toFixed(4)})`,
          color: '#1f77b4',
          dashed: true,
          points: rocCurve(valProbs, valLabels).map((p) => [p.fpr, p.tpr]),
        },
      ],
      {
        title: 'ROC curve (patient-level splits)',
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        xRange: [0, 1],
        yRange: [0, 1],
        diagonal: true,
      },
    ),
  };
  const rel = reliabilityBins(testProbs, testLabels);
  plots['reliability.svg'] = lineChart(
    [
      {
        name: 'test',
        color: '#d62728',
        points: rel.filter((b) => b.count > 0).map((b) => [b.meanProbability, b.fractionPositive]),
      },
    ],
    {
      title: `Reliability diagram, test (ECE ${testMetrics.ece.toFixed(4)})`,
      xLabel: 'mean predicted P(Parasitized)',
      yLabel: 'observed fraction Parasitized',
      xRange: [0, 1],
      yRange: [0, 1],
      diagonal: true,
      bars: rel.map((b) => ({ x0: b.lower, x1: b.upper, y: b.count / Math.max(1, testProbs.length), color: '#888' })),
    },
  );
  for (const [name, svg] of Object.entries(plots)) await writeFile(path.join(reportDir, name), svg);
}

/** metrics.json and test-predictions.csv in the report folder. */
async function writeMetrics(
  input: FinalizeInput,
  e: SplitEvaluation,
  v: PatientVerdicts,
  m: ModelFacts,
): Promise<void> {
  const { state, split, idx, cells } = input;
  const { decision, band, testBand, valMetrics, testMetrics, testAt05, testProbs, size } = e;
  const { rule, testVerdict, val, test } = v;
  const { params, bytes, timing, h, meanThroughput } = m;
  const metrics = {
    run: input.runName,
    engine: input.engine,
    decision,
    band: { validation: band, test: testBand },
    validation: valMetrics,
    test: testMetrics,
    testAtThreshold05: testAt05,
    slideVerdict: { rule, test: testVerdict },
    model: { inputSize: size, params, weightBytes: bytes, ...timing },
    training: {
      epochs: h.length,
      bestEpoch: state.bestEpoch,
      stopReason: state.stopReason,
      augment: state.augment ?? DEFAULT_AUGMENT,
      initFrom: state.initFrom ?? null,
      weightAverage: state.weightAverage ?? null,
      meanImagesPerSecond: meanThroughput,
      history: h,
    },
    split: {
      seed: split.seed,
      hash: split.hash,
      patients: split.patients,
      cells: { train: idx.train.length, validation: idx.validation.length, test: idx.test.length },
    },
    skippedImages: input.skipped,
    perPatient: [...val.rows, ...test.rows],
  };
  await writeFile(path.join(input.reportDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  await writeFile(
    path.join(input.reportDir, 'test-predictions.csv'),
    [
      'file,patient,truth,probability,label',
      ...idx.test.map((ci, k) => {
        const c = cells[ci] as CellRecord;
        const p = testProbs[k] as number;
        return `${c.name},${c.patient},${c.label === 1 ? 'Parasitized' : 'Uninfected'},${p.toFixed(6)},${labelForProbability(p, decision)}`;
      }),
    ].join('\n') + '\n',
  );
}

/** report.md: data, model, training, decision, results, verdict rule, per-patient tables. */
function renderReport(input: FinalizeInput, e: SplitEvaluation, v: PatientVerdicts, m: ModelFacts): string {
  const { state, split, idx, cells } = input;
  const { size, threshold, band, testBand, valMetrics, testMetrics, testAt05 } = e;
  const { rule, testVerdict, val, test } = v;
  const { timing, bytes, params, h, trainingSummary } = m;
  const patientTable = (rows: PatientRow[]) =>
    [
      '| patient | kind | cells | true parasitized | predicted parasitized | inconclusive | model-rule verdict | app result, oracle review |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.patient} | ${r.infected ? 'infected' : 'healthy'} | ${r.cells} | ${pct(r.trueParasitizedFraction)} | ${pct(r.predictedParasitizedFraction)} | ${r.inconclusive} | ${r.verdict} | ${r.reviewedVerdict} |`,
      ),
    ].join('\n');
  const c = testMetrics.confusion;
  return `# Training report: ${input.runName}

Generated ${new Date().toISOString()} by \`npm run train\` (engine: **${input.engine.engine}** — ${input.engine.note}).

## Data and patient-level split
Data: ${input.dataRoot} — ${cells.length} decoded cells (${input.skipped.length} skipped as unreadable).
Split by patient (seed ${split.seed}, stratified infected/healthy, ~70/15/15), hash \`${split.hash}\`:

| split | patients | cells |
|---|---|---|
| train | ${split.patients.train.length} | ${idx.train.length} |
| validation | ${split.patients.validation.length} | ${idx.validation.length} |
| test | ${split.patients.test.length} | ${idx.test.length} |

- validation patients: ${split.patients.validation.join(', ')}
- test patients: ${split.patients.test.join(', ')}

## Model
Compact CNN (4 × [conv3×3 → batch-norm → ReLU → max-pool], global average pool, dropout, sigmoid), input ${size}×${size} RGB,
${params} parameters, **${(bytes / 1024).toFixed(1)} KB** of float32 weights. Inference on this machine (${input.engine.engine}, Node):
${timing.msPerCellBatch64.toFixed(3)} ms per cell in batches of 64, ${timing.msPerCellSingle.toFixed(2)} ms for a single cell.
${describeAugment(state.augment ?? DEFAULT_AUGMENT)}${state.initFrom ? `\nFine-tuned from \`${path.relative(path.dirname(input.reportDir), state.initFrom)}\` (its weights as the starting point; same split).` : ''}${describeWeightAverage(state, input.reportDir)}${describeViewsAndCalibration(state)}

## Training
${trainingSummary}

![accuracy](accuracy.svg) ![loss](loss.svg)

| epoch | loss | accuracy | val loss | val accuracy | lr | s | img/s |
|---|---|---|---|---|---|---|---|
${h.map((e) => `| ${e.epoch} | ${e.loss.toFixed(4)} | ${e.accuracy === null ? '–' : e.accuracy.toFixed(4)} | ${e.valLoss.toFixed(4)} | ${e.valAccuracy.toFixed(4)} | ${e.learningRate} | ${e.seconds.toFixed(0)} | ${e.imagesPerSecond.toFixed(1)} |`).join('\n')}

## Decision (chosen on the validation split only)
- threshold **${threshold}** (maximises Youden's J on validation cells)
- inconclusive band **(${band.low}, ${band.high})**: the narrowest band leaving ≥ 99% accuracy outside it on validation
  (${pct(band.inside)} of validation cells inside${band.targetMet ? '' : '; target not reachable, best band within 15% used'}).
  On test: ${pct(testBand.inconclusiveFraction)} of cells inconclusive, accuracy on the rest ${pct(testBand.accuracyOutsideBand)}.

## Results on the held-out test patients
${metricsTable([
  ['validation', valMetrics],
  ['test', testMetrics],
  ['test @ 0.5', testAt05],
])}

Confusion matrix (test, threshold ${threshold}):

| | predicted Parasitized | predicted Uninfected |
|---|---|---|
| true Parasitized | ${c.tp} | ${c.fn} |
| true Uninfected | ${c.fp} | ${c.tn} |

![ROC](roc.svg) ![reliability](reliability.svg)

ECE: 10 equal-width bins of P(Parasitized), Σ (n_b/N)·|observed fraction Parasitized − mean P|.

## Slide (patient) verdict rule
${rule.description}

Chosen on the validation split: k is the smallest count that keeps a healthy 1,000-cell slide Negative with ≥ 95% probability at the validation per-cell false-positive rate, then the k (up to +10) maximising sensitivity + specificity on the ${rule.validation?.patients ?? 0} validation patients:
sensitivity **${pct(rule.validation?.sensitivity ?? 0)}**, specificity **${pct(rule.validation?.specificity ?? 0)}**.
On the ${testVerdict.patients} test patients: sensitivity ${pct(testVerdict.sensitivity)}, specificity ${pct(testVerdict.specificity)} (TP ${testVerdict.tp}, FN ${testVerdict.fn}, TN ${testVerdict.tn}, FP ${testVerdict.fp}).
Caveat: the dataset holds ~50–200 curated cells per patient (infected patients ~50% parasitized), so the minimum-count
condition is waived in this evaluation and real slides (1,000 cells, low parasitaemia) are harder.

## Per-patient results
### Validation
${patientTable(val.rows)}

### Test
${patientTable(test.rows)}
`;
}

/**
 * metadata `reviewQueue`: how much of the test patients' cells the shipped band puts in front of the reviewer
 * (queued ⇔ P > decision.inconclusive.low, the contract's `labelForProbability`). The app states a count's
 * detection limit from `recall`. `npm run eval:review-queue` reproduces it through the app's decoding.
 */
export function reviewQueueOf(
  testProbs: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  /** The patient of each test cell. */
  testPatients: readonly string[],
  decision: { threshold: number; inconclusive: { low: number; high: number } },
  splitHash: string,
): ReviewQueueSpec {
  const infected = new Set(testPatients.filter((_, i) => testLabels[i] === 1));
  const patients = new Set(testPatients).size;
  let parasitized = 0,
    queuedParasitized = 0,
    uninfected = 0,
    queuedUninfected = 0;
  for (let i = 0; i < testLabels.length; i++) {
    const queued = labelForProbability(testProbs[i] as number, decision) !== 'Uninfected';
    if (testLabels[i] === 1) {
      parasitized++;
      if (queued) queuedParasitized++;
    } else {
      uninfected++;
      if (queued) queuedUninfected++;
    }
  }
  const ci = wilsonInterval(queuedParasitized, parasitized);
  const n = (v: number) => v.toLocaleString('en-US');
  const pct2 = (v: number | undefined) => `${((v ?? 0) * 100).toFixed(2)}`;
  return {
    recall: queuedParasitized / Math.max(1, parasitized),
    parasitizedCells: parasitized,
    patients: infected.size,
    uninfectedQueued: queuedUninfected / Math.max(1, uninfected),
    basis: `Share of the ${patients} test patients' cells queued for review (P(Parasitized) > decision.inconclusive.low = ${decision.inconclusive.low}): ${n(queuedParasitized)} of ${n(parasitized)} parasitized cells of ${infected.size} infected patients (95 % Wilson ${pct2(ci?.low)}–${pct2(ci?.high)} %); ${n(queuedUninfected)} of ${n(uninfected)} uninfected cells. Measured by training's finalize on the test split ${splitHash}; npm run eval:review-queue reproduces it through the app's decoding (docs/review-queue.md).`,
  };
}

/** The model files and metadata.json for the app (validated by the contract's parser). */
async function exportModel(
  input: FinalizeInput,
  model: tf.LayersModel,
  e: SplitEvaluation,
  v: PatientVerdicts,
  m: ModelFacts,
  exportDir: string,
): Promise<void> {
  const { spec, split, cells, state } = input;
  const { decision, testMetrics, valMetrics, testBand } = e;
  const { rule } = v;
  const { params, bytes, h, meanThroughput } = m;
  const files = await saveModel(model, exportDir, { maxShardBytes: 2 * 1024 * 1024 - 1 });
  const weights = await Promise.all(
    files.filter((f) => f.endsWith('.bin')).map((f) => readFile(path.join(exportDir, f))),
  );
  const modelHash = createHash('sha256');
  for (const w of weights) modelHash.update(w);
  const meta: ModelMetadata = {
    schemaVersion: 1,
    name: 'malaria-cell-cnn',
    createdAt: new Date().toISOString(),
    classes: { positive: 'Parasitized', negative: 'Uninfected' },
    output: {
      activation: 'sigmoid',
      meaning:
        (state.views ?? 1) === 1
          ? 'The single output is P(Parasitized), the probability that the red blood cell is parasitized; 1 − P is P(Uninfected).'
          : 'The single output, averaged over output.views views of the cell (the cell as given, then turned 90°), is P(Parasitized), the probability that the red blood cell is parasitized; 1 − P is P(Uninfected).',
      ...(state.views && state.views > 1 ? { views: state.views } : {}),
    },
    input: spec,
    decision,
    slideVerdict: rule,
    reviewQueue: reviewQueueOf(
      e.testProbs,
      e.testLabels,
      input.idx.test.map((i) => (cells[i] as CellRecord).patient),
      decision,
      split.hash,
    ),
    metrics: {
      test: {
        accuracy: testMetrics.accuracy,
        sensitivity: testMetrics.sensitivity,
        specificity: testMetrics.specificity,
        precision: testMetrics.precision,
        f1: testMetrics.f1,
        rocAuc: testMetrics.rocAuc,
        ece: testMetrics.ece,
        confusion: testMetrics.confusion,
        cells: testMetrics.n,
        inconclusiveFraction: testBand.inconclusiveFraction,
        accuracyOutsideBand: testBand.accuracyOutsideBand,
      },
      validation: { accuracy: valMetrics.accuracy, rocAuc: valMetrics.rocAuc, cells: valMetrics.n },
    },
    training: {
      engine: input.engine.engine,
      date: new Date().toISOString(),
      run: input.runName,
      epochs: h.length,
      bestEpoch: state.bestEpoch,
      meanImagesPerSecond: meanThroughput,
      params,
      weightBytes: bytes,
      modelSha256: modelHash.digest('hex').slice(0, 16),
      ...(state.calibration ? { calibration: state.calibration } : {}),
    },
    dataset: {
      description:
        'NIH/NLM malaria cell images (Rajaraman et al. 2018), thin-smear Giemsa red-cell crops on black background; 170 of the 200 patients (30 held back by the project)',
      cells: cells.length,
      splitSeed: split.seed,
      splitHash: split.hash,
      patients: {
        train: split.patients.train.length,
        validation: split.patients.validation.length,
        test: split.patients.test.length,
      },
    },
  };
  parseModelMetadata(meta);
  await writeFile(path.join(exportDir, 'metadata.json'), `${JSON.stringify(meta, null, 2)}\n`);
  input.log(
    `[export] ${exportDir}: ${[...files, 'metadata.json'].join(', ')} (${(bytes / 1024).toFixed(1)} KB weights)`,
  );
}

export async function finalizeRun(input: FinalizeInput): Promise<void> {
  const model = await loadModel(bestModelDir(input.runDir));
  const evaluation = evaluateSplits(input, model);
  const verdicts = choosePatientVerdicts(input, evaluation);
  const facts = describeModel(input, model, evaluation);
  await mkdir(input.reportDir, { recursive: true });
  await writePlots(input.reportDir, evaluation, facts.h);
  await writeMetrics(input, evaluation, verdicts, facts);
  await writeFile(path.join(input.reportDir, 'report.md'), renderReport(input, evaluation, verdicts, facts));
  input.log(`[report] wrote ${input.reportDir}/report.md, metrics.json and plots`);
  if (input.exportDir) await exportModel(input, model, evaluation, verdicts, facts, input.exportDir);
  model.dispose();
}
