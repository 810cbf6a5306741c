/**
 * Everything the session screen and the records show about a slide, computed from the stored cells
 * (never cached separately, so totals can't drift from the per-cell data).
 */
import type { SlideVerdictRule } from '../model-metadata.js';
import { addCounts, countCells, progressToward, type Progress, type SlideCounts } from './counts.js';
import type { FieldResult } from './field-result.js';
import { parasitaemiaPercent } from './parasitaemia.js';

export interface SessionSummary {
  fields: number;
  totals: SlideCounts;
  perField: SlideCounts[];
  /** null when no red cell has been counted. */
  parasitaemiaPercent: number | null;
  progress: Progress;
}

export function summarizeSession(
  fields: readonly Pick<FieldResult, 'cells'>[],
  rule: Pick<SlideVerdictRule, 'confidentProbability'>,
  targetRedCells: number,
): SessionSummary {
  const perField = fields.map((f) => countCells(f.cells, rule.confidentProbability));
  const totals = addCounts(...perField);
  return {
    fields: fields.length,
    totals,
    perField,
    parasitaemiaPercent: parasitaemiaPercent(totals.parasitized, totals.redCells),
    progress: progressToward(totals.redCells, targetRedCells),
  };
}

/** "1.23%" (two decimals; "—" when nothing counted). */
export function formatPercent(p: number | null): string {
  return p === null ? '—' : `${p.toFixed(2)}%`;
}
