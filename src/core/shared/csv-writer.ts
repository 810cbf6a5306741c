/**
 * The app's one CSV writer (Records exports and the Field view's export): RFC 4180 quoting, CRLF
 * line ends, and formula-injection escaping.
 */

export type CsvCell = string | number | null;

/**
 * Quotes a value. Free text that starts with = + - @ (or a tab/CR) gets a leading apostrophe so a
 * spreadsheet does not run it as a formula; numbers are written as they are (non-finite: empty).
 */
export function csvValue(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and data rows → CSV text (CRLF after every row). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvValue).join(',')).join('\r\n') + '\r\n';
}
