/**
 * Field totals, parasitaemia, labels and the export formats (JSON documented in docs/fields.md,
 * CSV one row per cell). Coordinates are upright full-resolution pixels.
 */
import type { CellLabel, DecisionSpec } from '@malaria/contract';
import { labelForProbability } from '@malaria/contract';
import type { Box, ClassifiedCell, DetectedCell } from './field-types.js';
import { countArtefacts, countCells, type CellCounts } from '../cells/cell-counts.js';
import { parasitaemiaPercent } from '../slide/parasitaemia.js';
import { toCsv } from '../shared/csv-writer.js';

export function classifyDetected(
  cell: DetectedCell,
  probability: number | null,
  decision: DecisionSpec,
): ClassifiedCell {
  if (cell.kind === 'white') return { ...cell, label: 'WhiteBloodCell', probability: 0 };
  if (cell.kind === 'artefact') return { ...cell, label: 'Artefact', probability: 0 };
  if (probability === null) return { ...cell, label: 'Inconclusive', probability: 0 };
  const label: CellLabel = labelForProbability(probability, decision);
  return { ...cell, label, probability };
}

export interface FieldExportCell {
  id: number;
  label: CellLabel;
  /** P(Parasitized), 0–1 (0 for white blood cells and artefacts: never classified). */
  probability: number;
  x: number;
  y: number;
  box: Box;
  outline: number[];
}

/**
 * A field's totals as the export writes them (docs/fields.md; the names and their order are part of
 * that format): `countCells` with white blood cells as `whiteCells`, plus the parasitaemia, plus
 * (appended later, so readers of the older names are unaffected) the artefacts: detections that are
 * not red cells, counted nowhere else.
 */
export interface FieldExportTotals {
  redCells: number;
  parasitized: number;
  uninfected: number;
  inconclusive: number;
  whiteCells: number;
  /** parasitized ÷ red cells × 100; null when no red cells. */
  parasitaemiaPercent: number | null;
  /** Platelets, stain debris, fragments: not red cells, not in any other total. */
  artefacts: number;
}

/** The export's totals of counted cells (the only place `CellCounts` gets the export's names). */
export function exportTotals(c: CellCounts, artefacts: number): FieldExportTotals {
  return {
    redCells: c.redCells,
    parasitized: c.parasitized,
    uninfected: c.uninfected,
    inconclusive: c.inconclusive,
    whiteCells: c.whiteBloodCells,
    parasitaemiaPercent: parasitaemiaPercent(c.parasitized, c.redCells),
    artefacts,
  };
}

export interface FieldExport {
  schema: 'malaria-field-analysis/1';
  image: { name: string; width: number; height: number; orientation: 'upright' };
  model: { name: string; threshold: number; inconclusive: { low: number; high: number } } | null;
  analysedAt: string;
  totals: FieldExportTotals;
  cells: FieldExportCell[];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export function buildFieldExport(
  name: string,
  width: number,
  height: number,
  cells: readonly ClassifiedCell[],
  model: FieldExport['model'],
  analysedAt: Date = new Date(),
): FieldExport {
  return {
    schema: 'malaria-field-analysis/1',
    image: { name, width, height, orientation: 'upright' },
    model,
    analysedAt: analysedAt.toISOString(),
    totals: exportTotals(countCells(cells), countArtefacts(cells)),
    cells: cells.map((c) => ({
      id: c.id,
      label: c.label,
      probability: Math.round(c.probability * 10000) / 10000,
      x: round1(c.x),
      y: round1(c.y),
      box: {
        x: Math.round(c.box.x),
        y: Math.round(c.box.y),
        width: Math.round(c.box.width),
        height: Math.round(c.box.height),
      },
      outline: c.outline.map(round1),
    })),
  };
}

export const FIELD_CSV_HEADER = [
  'image',
  'image_width',
  'image_height',
  'cell_id',
  'label',
  'p_parasitized',
  'x',
  'y',
  'box_x',
  'box_y',
  'box_width',
  'box_height',
] as const;

/**
 * One row per cell: image, id, label, probability, centre, box (upright pixels). Written by the
 * app's one CSV writer (src/core/shared/csv-writer.ts): quoting, and a file name that starts with = + - @
 * gets a leading apostrophe so a spreadsheet never runs it as a formula.
 */
export function fieldExportToCsv(exp: FieldExport): string {
  const rows = exp.cells.map((c) => [
    exp.image.name,
    exp.image.width,
    exp.image.height,
    c.id,
    c.label,
    c.probability,
    c.x,
    c.y,
    c.box.x,
    c.box.y,
    c.box.width,
    c.box.height,
  ]);
  return toCsv(FIELD_CSV_HEADER, rows);
}
