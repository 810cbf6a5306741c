/**
 * npm run compare-candidates -w training -- reports/issue17/A.json reports/issue17/B.json …
 * Markdown before/after table of `npm run evaluate-candidate` scorecards (issue 17's goals), one column per
 * candidate. Field rows say "(trained on)" where that patient's field crops trained the model.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

type Card = {
  model: string;
  nih: Record<
    'raw' | 'temperature' | 'platt',
    {
      threshold: number;
      band: { low: number; high: number; inside: number };
      test: { accuracy: number; rocAuc: number; ece: number; sensitivity: number; specificity: number };
    }
  >;
  calibration: { temperature: number; platt: { a: number; b: number } };
  review: {
    low99: number;
    testRecallAtLow99: number;
    testUninfectedQueuedAtLow99: number;
    bandLow: number;
    testRecallAtBandLow: number;
    testUninfectedQueuedAtBandLow: number;
  };
  fields: Record<
    string,
    {
      heldOut: boolean;
      uninfected: Record<
        'calledParasitized' | 'queuedAtBandLow' | 'queuedAtLow99',
        { n: number; of: number; share: number }
      >;
      parasitized: Record<'calledParasitized' | 'queuedAtBandLow' | 'queuedAtLow99', { n: number; of: number }>;
    }
  >;
  debris: {
    truth: string;
    calledParasitized: { clean: number; debris: number };
    confidentUninfected: { clean: number; debris: number };
  }[];
  speed: { msPerCellBatched64: number; msSingleCell: number };
  weightBytes: number;
};

const pct = (v: number, d = 1) => `${(100 * v).toFixed(d)} %`;

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  const cards = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Card));
  const names = files.map((f) => path.basename(f, '.json'));
  const rows: [string, (c: Card) => string][] = [
    ['NIH test accuracy (validation threshold)', (c) => pct(c.nih.raw.test.accuracy, 2)],
    ['NIH test ROC AUC', (c) => c.nih.raw.test.rocAuc.toFixed(4)],
    [
      'NIH test ECE raw → temperature (T) → Platt',
      (c) =>
        `${c.nih.raw.test.ece.toFixed(4)} → ${c.nih.temperature.test.ece.toFixed(4)} (T ${c.calibration.temperature.toFixed(2)}) → ${c.nih.platt.test.ece.toFixed(4)}`,
    ],
    [
      'threshold / band (validation)',
      (c) => `${c.nih.raw.threshold} / (${c.nih.raw.band.low}, ${c.nih.raw.band.high})`,
    ],
    [
      'NIH test parasitized in P+I (band low) / uninfected queued',
      (c) => `${pct(c.review.testRecallAtBandLow)} / ${pct(c.review.testUninfectedQueuedAtBandLow)}`,
    ],
    [
      'band low for 99 % val recall: test recall / uninfected queued',
      (c) =>
        `${c.review.low99.toFixed(3)}: ${pct(c.review.testRecallAtLow99)} / ${pct(c.review.testUninfectedQueuedAtLow99)}`,
    ],
  ];
  for (const p of ['C12', 'C92']) {
    const tag = (c: Card) => (c.fields[p]?.heldOut === false ? ' (trained on)' : '');
    rows.push([
      `${p} field red cells P+I (band low)`,
      (c) => {
        const u = c.fields[p]!.uninfected.queuedAtBandLow;
        return `${u.n}/${u.of} = ${pct(u.share)}${tag(c)}`;
      },
    ]);
    rows.push([
      `${p} field red cells queued at the 99 %-recall low`,
      (c) => {
        const u = c.fields[p]!.uninfected.queuedAtLow99;
        return `${u.n}/${u.of} = ${pct(u.share)}${tag(c)}`;
      },
    ]);
    rows.push([
      `${p} field uninfected called Parasitized`,
      (c) => {
        const u = c.fields[p]!.uninfected.calledParasitized;
        return `${u.n}/${u.of} = ${pct(u.share, 2)}${tag(c)}`;
      },
    ]);
  }
  rows.push([
    'C92 parasitized called P / in P+I',
    (c) => {
      const q = c.fields.C92!.parasitized;
      return `${q.calledParasitized.n}/${q.calledParasitized.of} / ${q.queuedAtBandLow.n}/${q.queuedAtBandLow.of}${c.fields.C92!.heldOut ? '' : ' (trained on)'}`;
    },
  ]);
  rows.push([
    'debris: test Uninfected called P clean → debris',
    (c) => {
      const d = c.debris.find((r) => r.truth === 'Uninfected')!;
      return `${pct(d.calledParasitized.clean)} → ${pct(d.calledParasitized.debris)}`;
    },
  ]);
  rows.push([
    'debris: test Uninfected confidently U clean → debris',
    (c) => {
      const d = c.debris.find((r) => r.truth === 'Uninfected')!;
      return `${pct(d.confidentUninfected.clean)} → ${pct(d.confidentUninfected.debris)}`;
    },
  ]);
  rows.push(['weights', (c) => `${(c.weightBytes / 1024).toFixed(1)} KB`]);
  console.log(`| | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---').join('|')}|`);
  for (const [label, f] of rows) console.log(`| ${label} | ${cards.map(f).join(' | ')} |`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
