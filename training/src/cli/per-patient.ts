/**
 * npm run per-patient -w training -- reports/issue17/A.scores.json reports/issue17/B.scores.json …
 * Markdown table of each candidate's test scores per patient (src/patient-scores.ts): mean P of the
 * patient's parasitized / uninfected cells, and the test AUC without that patient, one column per card.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { rocAuc } from '../metrics.js';
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
  console.log(
    `| patient | parasitized / uninfected cells | ${names.map((n) => `${n}: mean P par / un; AUC without`).join(' | ')} |`,
  );
  console.log(`|---|---|${names.map(() => '---').join('|')}|`);
  (rows[0] ?? []).forEach((r, k) => {
    const cols = rows.map((rs) => {
      const x = rs[k];
      if (!x || x.patient !== r.patient) throw new Error('the cards score different test cells');
      return `${f3(x.meanPParasitized)} / ${f3(x.meanPUninfected)}; ${Number.isNaN(x.aucWithout) ? '–' : x.aucWithout.toFixed(4)}`;
    });
    console.log(`| ${r.patient} | ${r.parasitized} / ${r.uninfected} | ${cols.join(' | ')} |`);
  });
  const all = cards.map((c) =>
    rocAuc(
      c.map(([, , p]) => p),
      c.map(([, l]) => l),
    ).toFixed(4),
  );
  console.log(
    `| all | ${cards[0]?.filter(([, l]) => l === 1).length} / ${cards[0]?.filter(([, l]) => l === 0).length} | ${all.map((a) => `AUC ${a}`).join(' | ')} |`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
