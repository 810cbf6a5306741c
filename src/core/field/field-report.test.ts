import { describe, expect, it } from 'vitest';
import { buildFieldExport, classifyDetected, exportTotals, fieldExportToCsv } from './field-report.js';
import { countArtefacts, countCells } from '../cells/cell-counts.js';
import { csvValue } from '../shared/csv-writer.js';
import type { ClassifiedCell, DetectedCell, DetectedKind } from './field-types.js';
import { matchPoints } from '../../../scripts/field-eval/match.js';
import { fieldByHeaderSize, looksLikeField, needsContentCheck } from './looks-like-field.js';

const decision = { threshold: 0.5, inconclusive: { low: 0.3, high: 0.7 } };
const base = (id: number, kind: DetectedKind = 'red'): DetectedCell => ({
  id,
  kind,
  x: id * 10,
  y: 5,
  box: { x: id * 10 - 4, y: 1, width: 8, height: 8 },
  area: 50,
  outline: [id * 10 - 4, 1, id * 10 + 4, 1, id * 10 + 4, 9, id * 10 - 4, 9],
});

describe('field totals and export', () => {
  const cells: ClassifiedCell[] = [
    classifyDetected(base(1), 0.9, decision),
    classifyDetected(base(2), 0.1, decision),
    classifyDetected(base(3), 0.5, decision),
    classifyDetected(base(4), 0.05, decision),
    classifyDetected(base(5, 'white'), 0.99, decision),
    // Not a red cell: whatever probability is passed, it is never classified.
    classifyDetected(base(6, 'artefact'), 0.99, decision),
  ];

  it('labels by the model decision, counts white cells separately and artefacts in no red-cell total', () => {
    expect(cells.map((c) => c.label)).toEqual([
      'Parasitized',
      'Uninfected',
      'Inconclusive',
      'Uninfected',
      'WhiteBloodCell',
      'Artefact',
    ]);
    expect(cells[5]!.probability).toBe(0);
    const t = exportTotals(countCells(cells), countArtefacts(cells));
    expect(t).toEqual({
      redCells: 4,
      parasitized: 1,
      uninfected: 2,
      inconclusive: 1,
      whiteCells: 1,
      parasitaemiaPercent: 25,
      artefacts: 1,
    });
    // The documented names keep their order; `artefacts` is appended (docs/fields.md).
    expect(Object.keys(t)).toEqual([
      'redCells',
      'parasitized',
      'uninfected',
      'inconclusive',
      'whiteCells',
      'parasitaemiaPercent',
      'artefacts',
    ]);
    expect(countCells(cells).redCells).toBe(4);
    expect(exportTotals(countCells([]), 0).parasitaemiaPercent).toBeNull();
  });

  it('exports JSON with upright size, centres, boxes, labels and probabilities, and CSV rows', () => {
    const exp = buildFieldExport('a,"b".jpg', 2988, 5312, cells, null, new Date('2026-01-01T00:00:00Z'));
    expect(exp.image).toEqual({ name: 'a,"b".jpg', width: 2988, height: 5312, orientation: 'upright' });
    expect(exp.totals.redCells).toBe(4);
    expect(exp.cells[0]).toMatchObject({
      id: 1,
      label: 'Parasitized',
      probability: 0.9,
      x: 10,
      y: 5,
      box: { x: 6, y: 1, width: 8, height: 8 },
    });
    expect(exp.cells[4]!.probability).toBe(0);
    expect(exp.totals.artefacts).toBe(1);
    expect(exp.cells[5]).toMatchObject({ id: 6, label: 'Artefact', probability: 0 });
    expect(exp.cells[5]!.outline).toHaveLength(8);
    const csv = fieldExportToCsv(exp).trim().split('\r\n');
    expect(csv).toHaveLength(7);
    expect(csv[6]).toBe('"a,""b"".jpg",2988,5312,6,Artefact,0,60,5,56,1,8,8');
    expect(csv[0]).toBe(
      'image,image_width,image_height,cell_id,label,p_parasitized,x,y,box_x,box_y,box_width,box_height',
    );
    expect(csv[1]).toBe('"a,""b"".jpg",2988,5312,1,Parasitized,0.9,10,5,6,1,8,8');
  });

  it('CSV: a file name that a spreadsheet would run as a formula is escaped (same writer as Records)', () => {
    for (const name of ['=HYPERLINK("http://evil.example","x").jpg', '+1.jpg', '-2.jpg', '@SUM(A1).jpg']) {
      const exp = buildFieldExport(name, 100, 80, cells.slice(0, 1), null, new Date('2026-01-01T00:00:00Z'));
      const row = fieldExportToCsv(exp).split('\r\n')[1]!;
      expect(row.startsWith(`'${name[0]}`) || row.startsWith(`"'${name[0]}`), row).toBe(true);
      // Numbers stay numbers.
      expect(row.endsWith(',100,80,1,Parasitized,0.9,10,5,6,1,8,8')).toBe(true);
    }
    const evil = fieldExportToCsv(
      buildFieldExport('=HYPERLINK("http://evil.example","x").jpg', 1, 1, cells.slice(0, 1), null),
    );
    expect(evil.split('\r\n')[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"").jpg",1,1,1,Parasitized,0.9,10,5,6,1,8,8`,
    );
    expect(csvValue('=1+1')).toBe("'=1+1");
  });
});

describe('matching rule', () => {
  it('matches points inside outlines or near centres, one-to-one', () => {
    const dets = [base(1), base(2)];
    // Two points inside detection 1: only one can match it; the third point is near nothing.
    const m = matchPoints(
      [
        { x: 10, y: 5 },
        { x: 11, y: 6 },
        { x: 20, y: 5 },
        { x: 100, y: 100 },
      ],
      dets,
      4,
    );
    expect(m.detectionOfPoint).toEqual([0, -1, 1, -1]);
    expect(m.recall).toBe(0.5);
    expect(m.precision).toBe(1);
    // Outside the outline but within 0.5 median radius of the centre.
    expect(matchPoints([{ x: 10, y: 10.5 }], [base(1)], 12).matched).toBe(1);
    expect(matchPoints([{ x: 10, y: 16 }], [base(1)], 12).matched).toBe(0);
  });
});

describe('looksLikeField', () => {
  it('treats crop-sized images as cells and photo-sized ones as fields', () => {
    expect(looksLikeField(130, 142).isField).toBe(false);
    expect(looksLikeField(2988, 5312).isField).toBe(true);
  });
});

describe('fieldByHeaderSize', () => {
  it('decides only for field-sized images, in either orientation', () => {
    expect(fieldByHeaderSize(5312, 2988)?.isField).toBe(true);
    expect(fieldByHeaderSize(2988, 5312)).toEqual(looksLikeField(2988, 5312));
    expect(fieldByHeaderSize(1200, 800)?.isField).toBe(true);
  });
  it('leaves cells, medium sizes (decided by content) and unknown sizes to the decoded image', () => {
    expect(fieldByHeaderSize(130, 142)).toBeNull();
    expect(fieldByHeaderSize(1199, 800)).toBeNull();
    expect(fieldByHeaderSize(900, 600)).toBeNull();
    expect(fieldByHeaderSize(undefined, 3000)).toBeNull();
    expect(fieldByHeaderSize(4000, undefined)).toBeNull();
  });
});

describe('needsContentCheck', () => {
  it('is true only between the single-cell and field sizes', () => {
    expect(needsContentCheck(400, 300)).toBe(false);
    expect(needsContentCheck(401, 300)).toBe(true);
    expect(needsContentCheck(1199, 800)).toBe(true);
    expect(needsContentCheck(1200, 800)).toBe(false);
  });
});
