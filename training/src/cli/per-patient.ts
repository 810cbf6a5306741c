/**
 * npm run per-patient -w training -- reports/issue17/A.scores.json reports/issue17/B.scores.json …
 * Markdown table of each candidate's test scores per patient (src/patient-scores.ts): mean P of the
 * patient's parasitized / uninfected cells, and the test AUC and ECE without that patient, one column per
 * card. The last row adds each card's test ECE after a Platt scaling refitted on these test cells
 * themselves: not a method (it looks at the test labels) but a bound on what any recalibration of that
 * shape could reach, which tells a calibration gap apart from a shift between patients.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPlatt, fitPlatt } from '../calibration.js';
import { expectedCalibrationError, rocAuc } from '../metrics.js';
import { scoresByPatient, type ScoredCell } from '../patient-scores.js';

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: per-patient A.scores.json [B.scores.json …]');
  const cards = await Promise.all(
    files.map(async (f) => (JSON.parse(await readFile(f, 'utf8')) as { test: ScoredCell[] }).test),
  );
  const names = files.map((f) => path.basename(f).replace(/\.scores\.json$/, ''));
  const cellsOf = (c: ScoredCell[]) =>
    c
      .map(([n, l]) => `${n}:${l}`)
      .sort()
      .join('\n');
  const first = cellsOf(cards[0] ?? []);
  cards.forEach((c, k) => {
    if (cellsOf(c) !== first) throw new Error(`${files[k]} scores other test cells than ${files[0]}`);
  });
  const rows = cards.map(scoresByPatient);
  const f3 = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(3));
  const f4 = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(4));
  console.log(
    `| patient | parasitized / uninfected cells | ${names.map((n) => `${n}: mean P par / un; AUC, ECE without`).join(' | ')} |`,
  );
  console.log(`|---|---|${names.map(() => '---').join('|')}|`);
  (rows[0] ?? []).forEach((r, k) => {
    const cols = rows.map((rs) => {
      const x = rs[k];
      if (!x || x.patient !== r.patient) throw new Error('the cards score different test cells');
      const auc = Number.isNaN(x.aucWithout) ? '–' : x.aucWithout.toFixed(4);
      return `${f3(x.meanPParasitized)} / ${f3(x.meanPUninfected)}; ${auc}, ${f4(x.eceWithout)}`;
    });
    console.log(`| ${r.patient} | ${r.parasitized} / ${r.uninfected} | ${cols.join(' | ')} |`);
  });
  const all = cards.map((c) => {
    const probs = c.map(([, , p]) => p);
    const labels = c.map(([, l]) => l);
    const platt = fitPlatt(probs, labels);
    const refitted = probs.map((p) => applyPlatt(p, platt.a, platt.b));
    return {
      text: `AUC ${rocAuc(probs, labels).toFixed(4)}, ECE ${f4(expectedCalibrationError(probs, labels))}`,
      bound: `${f4(expectedCalibrationError(refitted, labels))} (a ${platt.a.toFixed(3)}, b ${platt.b.toFixed(3)})`,
    };
  });
  console.log(
    `| all | ${cards[0]?.filter(([, l]) => l === 1).length} / ${cards[0]?.filter(([, l]) => l === 0).length} | ${all.map((a) => a.text).join(' | ')} |`,
  );
  console.log(
    `| ECE, Platt refitted on these test cells (a bound, not a method) | | ${all.map((a) => a.bound).join(' | ')} |`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
