/**
 * CSV exports: one row per session, and one row per cell. RFC 4180 quoting. New columns are only
 * ever appended at the end, so older spreadsheets and scripts keep reading the columns they know.
 *
 * Schema v3 (the microscopist's review):
 *  - sessions: `verdict`, `verdict_reason`, `verdict_rule` hold the slide's call as the record has
 *    it: the review-based result (positive / negative / incomplete, rule "microscopist review") when
 *    one is stored, else for sessions ended before v3 the old model-only verdict (Positive /
 *    Negative / Inconclusive) with its rule prefixed "model-only estimate (older version)". The
 *    appended `result`, `result_reason` hold only the review-based result (empty otherwise), and
 *    `reviewer, confirmed_parasitized, queued, pending_review, rejected, unsure` the review counts.
 *    The model's label counts (`parasitized`, …, `parasitaemia_percent`) stay what the model called.
 *  - cells: `in_queue` (1/0), `review` (pending | confirmed | rejected | unsure for queued cells,
 *    empty otherwise), `review_reason` (reject reason or empty), `reviewed_at` (ISO time of the
 *    decision; empty while pending or not queued).
 */
import { parasitaemiaPercent, parasiteDensity } from '../slide/parasitaemia.js';
import { decisionOf, inQueue } from '@malaria/contract';
import type { FieldRecord, SessionRecord } from './schema.js';
import { toCsv, type CsvCell } from '../shared/csv-writer.js';

type CellValue = CsvCell;

// The writer (quoting, formula escaping) is the app's one CSV writer, shared with the Field export.

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const round = (n: number | null, digits: number) => (n === null ? null : Number(n.toFixed(digits)));

export const SESSION_CSV_HEADER = [
  'identifier',
  'session_id',
  'started',
  'ended',
  'fields',
  'red_cells',
  'parasitized',
  'uninfected',
  'inconclusive',
  'white_blood_cells',
  'confident_parasitized',
  'parasitaemia_percent',
  'target_red_cells',
  'rbc_per_uL',
  'parasites_per_uL',
  'verdict',
  'verdict_reason',
  'verdict_rule',
  'model',
  'reviewer',
  'confirmed_parasitized',
  'queued',
  'pending_review',
  'rejected',
  'unsure',
  'result',
  'result_reason',
] as const;

/** `verdict_rule` for a review-based result. */
export const REVIEW_RULE_TEXT = 'microscopist review';
/** Prefix of `verdict_rule` for a model-only verdict of a session ended before schema v3. */
export const LEGACY_RULE_PREFIX = 'model-only estimate (older version)';

/** The slide's call as the record has it: review result, else the legacy model-only verdict. */
function verdictColumns(s: SessionRecord): [CellValue, CellValue, CellValue] {
  if (s.verdict) return [s.verdict.verdict, s.verdict.reason, REVIEW_RULE_TEXT];
  const legacy = s.legacyModelVerdict;
  if (legacy) {
    return [legacy.verdict, legacy.reason, `${LEGACY_RULE_PREFIX}: ${legacy.rule?.description ?? 'rule not stored'}`];
  }
  return [null, null, null];
}

export function sessionsCsv(sessions: readonly SessionRecord[]): string {
  const rows = sessions.map((s): CellValue[] => {
    const t = s.totals;
    // Parasitaemia and density come from the reviewer's confirmed cells, never from model labels
    // alone (parasitized / uninfected / inconclusive stay as the model's label counts).
    const r = s.review;
    const density = s.bloodCount ? parasiteDensity(r.confirmed, r.redCells, s.bloodCount) : null;
    return [
      s.identifier,
      s.id,
      iso(s.createdAt),
      iso(s.endedAt),
      s.fieldCount,
      t.redCells,
      t.parasitized,
      t.uninfected,
      t.inconclusive,
      t.whiteBloodCells,
      t.confidentParasitized,
      round(parasitaemiaPercent(r.confirmed, r.redCells), 4),
      s.targetRedCells,
      density ? Math.round(density.rbcPerMicrolitre) : null,
      density ? Math.round(density.perMicrolitre) : null,
      ...verdictColumns(s),
      s.modelName,
      s.reviewer,
      s.review.confirmed,
      s.review.queued,
      s.review.pending,
      s.review.rejected,
      s.review.unsure,
      s.verdict?.verdict ?? null,
      s.verdict?.reason ?? null,
    ];
  });
  return toCsv(SESSION_CSV_HEADER, rows);
}

export const CELL_CSV_HEADER = [
  'identifier',
  'session_id',
  'field_index',
  'field_name',
  'field_kind',
  'image_width',
  'image_height',
  'cell_index',
  'x',
  'y',
  'box_x',
  'box_y',
  'box_width',
  'box_height',
  'label',
  'p_parasitized',
  'in_queue',
  'review',
  'review_reason',
  'reviewed_at',
] as const;

export function cellsCsv(sessions: readonly SessionRecord[], fields: readonly FieldRecord[]): string {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const rows: CellValue[][] = [];
  for (const f of fields) {
    const s = byId.get(f.sessionId);
    if (!s) continue;
    f.cells.forEach((c, i) => {
      const queued = inQueue(c);
      const decision = queued ? decisionOf(c) : null;
      rows.push([
        s.identifier,
        s.id,
        f.index,
        f.name,
        f.kind,
        f.width,
        f.height,
        i + 1,
        round(c.x, 1),
        round(c.y, 1),
        round(c.box.x, 1),
        round(c.box.y, 1),
        round(c.box.width, 1),
        round(c.box.height, 1),
        c.label,
        round(c.probability, 4),
        queued ? 1 : 0,
        decision,
        queued ? (c.review?.reason ?? null) : null,
        queued && decision !== 'pending' && c.review ? iso(c.review.at) : null,
      ]);
    });
  }
  return toCsv(CELL_CSV_HEADER, rows);
}
