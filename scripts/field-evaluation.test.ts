import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initEngine } from '../training/src/engine.js';
import { loadModel } from '../training/src/model-io.js';
import { parseModelMetadata } from '@malaria/contract';
import { evaluateField, fieldBars, type FieldRow } from './field-evaluation.js';
import { listFieldPhotos } from './field-photos.js';

const root = path.resolve(import.meta.dirname, '..');
const FIELDS = path.join(process.env.SHARED_DATA_DIR ?? path.resolve(root, '../shared/data'), 'smear-fields');

function row(patient: string, over: Partial<FieldRow>): FieldRow {
  return {
    patient,
    field: 'f',
    truthRedCells: 250,
    truthParasitized: 0,
    truthWhiteCells: 0,
    detectedRedCells: 250,
    detectedWhiteCells: 0,
    whiteCellsFound: 0,
    artefacts: 0,
    truthRedInArtefacts: 0,
    matched: 245,
    recall: 0.98,
    precision: 0.98,
    countErrorPercent: 0,
    parasitizedFound: 0,
    falseParasitized: 0,
    truthParasitizedCells: [],
    falseParasitizedProbabilities: [],
    calledParasitized: 0,
    calledParasitizedPercent: 0,
    inconclusive: 0,
    detectMs: 0,
    classifyMs: 0,
    totalMs: 0,
    ...over,
  };
}

describe('fieldBars', () => {
  const c92 = (found: number) => row('234C92P53ThinF', { truthParasitized: 16, parasitizedFound: found });
  it('holds the issue bars: C12 ≤ 1 % called Parasitized, C92 ≥ 12 found, recall and precision ≥ 95 % on every field', () => {
    const ok = fieldBars([c92(12), row('239C12NThinF', { detectedRedCells: 800, calledParasitized: 8 })]);
    expect(ok).toMatchObject({
      recallAtLeast95EveryField: true,
      precisionAtLeast95EveryField: true,
      c12AtMost1Percent: true,
      c92AtLeast12: true,
      c92ParasitizedFound: 12,
      c92ParasitizedTotal: 16,
    });
    expect(ok.c12CalledParasitizedPercent).toBeCloseTo(1, 6);
    const bad = fieldBars([
      c92(11),
      row('239C12NThinF', { detectedRedCells: 800, calledParasitized: 9, precision: 0.949 }),
    ]);
    expect(bad).toMatchObject({
      recallAtLeast95EveryField: true,
      precisionAtLeast95EveryField: false,
      c12AtMost1Percent: false,
      c92AtLeast12: false,
    });
    expect(fieldBars([row('239C12NThinF', { recall: 0.94 })]).recallAtLeast95EveryField).toBe(false);
  });
  it('says null, not pass, for a patient with no fields', () => {
    expect(fieldBars([c92(12)])).toMatchObject({ c12AtMost1Percent: null, c12CalledParasitizedPercent: null });
    expect(fieldBars([row('239C12NThinF', {})]).c92AtLeast12).toBeNull();
  });
});

describe.skipIf(!existsSync(FIELDS))(
  'shipped model + field detection on the six NIH fields (needs ../shared/data)',
  () => {
    it('meets every bar of the whole-field issue', async () => {
      await initEngine('wasm', () => {});
      const modelDir = path.join(root, 'public/model');
      const metadata = parseModelMetadata(JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')));
      const model = await loadModel(modelDir);
      try {
        const fields = listFieldPhotos(FIELDS);
        expect(fields.length).toBe(6);
        const rows: FieldRow[] = [];
        for (const f of fields) rows.push(await evaluateField(f, model, metadata));
        const bars = fieldBars(rows);
        expect(bars).toMatchObject({
          recallAtLeast95EveryField: true,
          precisionAtLeast95EveryField: true,
          c12AtMost1Percent: true,
          c92AtLeast12: true,
        });
      } finally {
        model.dispose();
      }
    }, 180_000);
  },
);
