/** CSV exports: one row per session, and one row per cell. RFC 4180 quoting. */
import { parasitaemiaPercent, parasiteDensity } from '../slide/parasitaemia.js';
import type { FieldRecord, SessionRecord } from './schema.js';

type CellValue = string | number | null;

/**
 * Quotes a value. Free text that starts with = + - @ (or a tab/CR) gets a leading apostrophe so a
 * spreadsheet does not run it as a formula; numbers are written as they are.
 */
export function csvValue(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly CellValue[][]): string {
  return [header, ...rows].map((r) => r.map(csvValue).join(',')).join('\r\n') + '\r\n';
}

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
] as const;

export function sessionsCsv(sessions: readonly SessionRecord[]): string {
  const rows = sessions.map((s): CellValue[] => {
    const t = s.totals;
    const density = s.bloodCount ? parasiteDensity(t.parasitized, t.redCells, s.bloodCount) : null;
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
      round(parasitaemiaPercent(t.parasitized, t.redCells), 4),
      s.targetRedCells,
      density ? Math.round(density.rbcPerMicrolitre) : null,
      density ? Math.round(density.perMicrolitre) : null,
      s.verdict?.verdict ?? null,
      s.verdict?.reason ?? null,
      s.verdict?.rule?.description ?? null,
      s.modelName,
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
] as const;

export function cellsCsv(sessions: readonly SessionRecord[], fields: readonly FieldRecord[]): string {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const rows: CellValue[][] = [];
  for (const f of fields) {
    const s = byId.get(f.sessionId);
    if (!s) continue;
    f.cells.forEach((c, i) => {
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
      ]);
    });
  }
  return toCsv(CELL_CSV_HEADER, rows);
}
