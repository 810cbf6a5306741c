/**
 * Locale-aware formatting and parsing of the numbers a clinician reads or types (issue 14).
 * One percent format for the whole app: `formatPercent` (Intl, the locale's own sign, spacing and
 * decimal separator: "12.5%" in en-US, "12,5 %" in fr-FR, "12,5%" in pt-BR). Every function takes
 * the Intl locale as its last argument; it defaults to the app's current one (`setFormatLocale`,
 * called by src/i18n when the language changes), so pure code and tests can pass one explicitly.
 */

let current = 'en-US';

/** Sets the Intl locale used when a formatter is called without one (src/i18n/locale.ts). */
export function setFormatLocale(locale: string): void {
  current = locale;
}

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** Decimals for a percentage when none are asked for: 2 below 1 %, else 1 ("0.35 %", "12.5 %"). */
export function percentDigits(percent: number): number {
  return Math.abs(percent) < 1 && percent !== 0 ? 2 : 1;
}

/**
 * A percentage (0–100, not a fraction) as text, e.g. formatPercent(12.5) → "12.5%" (en-US),
 * "12,5 %" (fr-FR). `digits` fixes the decimals (default: percentDigits). null/NaN → "—".
 */
export function formatPercent(percent: number | null, digits?: number, locale = current): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  const d = digits ?? percentDigits(percent);
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(
    percent / 100,
  );
}

/**
 * A probability (0–1) as a percentage: formatProbability(0.997) → "99.7%". A model's probability
 * strictly between 0 and 1 is never shown as certain: it would round to "100.0%" or "0.0%", so it
 * reads "> 99.9%" or "< 0.1%" instead.
 */
export function formatProbability(p: number | null, digits?: number, locale = current): string {
  if (p === null || !Number.isFinite(p)) return formatPercent(null, digits, locale);
  const percent = p * 100;
  const d = digits ?? percentDigits(percent);
  const step = 10 ** -d;
  if (p > 0 && p < 1) {
    if (percent < step / 2) return `< ${formatPercent(step, d, locale)}`;
    if (percent >= 100 - step / 2) return `> ${formatPercent(100 - step, d, locale)}`;
  }
  return formatPercent(percent, d, locale);
}

/** A number with the locale's grouping and decimal separator (integers by default): "4,500,000", "4 500 000". */
export function formatNumber(n: number | null, digits = 0, locale = current): string {
  if (n === null || !Number.isFinite(n)) return '—';
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A number with up to `maxDigits` decimals (no trailing zeros): 38.5 → "38,5" in fr. */
export function formatDecimal(n: number | null, maxDigits = 2, locale = current): string {
  if (n === null || !Number.isFinite(n)) return '—';
  return numberFormat(locale, { maximumFractionDigits: maxDigits }).format(n);
}

/** A byte count in KB/MB/GB with the locale's decimal separator. */
export function formatBytes(n: number, locale = current): string {
  if (n < 1024) return `${formatNumber(n, 0, locale)} B`;
  if (n < 1024 * 1024) return `${formatNumber(n / 1024, 1, locale)} KB`;
  if (n < 1024 ** 3) return `${formatNumber(n / 1024 / 1024, 1, locale)} MB`;
  return `${formatNumber(n / 1024 ** 3, 2, locale)} GB`;
}

/**
 * A time as the locale writes it: 'date' → date only, 'datetime' (default) → date and time (no
 * seconds). Invalid or missing times give `unknown` (the caller's words, already translated).
 */
export function formatDate(
  time: number | string | Date | null | undefined,
  what: 'date' | 'datetime' = 'datetime',
  locale = current,
  unknown = '—',
): string {
  if (time === null || time === undefined) return unknown;
  const d = time instanceof Date ? time : new Date(time);
  if (!Number.isFinite(d.getTime())) return unknown;
  const options: Intl.DateTimeFormatOptions =
    what === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, options).format(d);
}

/** The locale's decimal separator ("." or ","). */
export function decimalSeparator(locale = current): string {
  return (
    numberFormat(locale, { minimumFractionDigits: 1 })
      .formatToParts(1.5)
      .find((p) => p.type === 'decimal')?.value ?? '.'
  );
}

/**
 * Reads a number as a person types it, whatever their keyboard: "38,5" and "38.5" are both 38.5;
 * grouping with spaces, apostrophes, or repeated separators is accepted ("4 500 000", "4,500,000",
 * "4.500.000"). With both "," and "." the last one is the decimal separator ("4.500,5", "4,500.5").
 * A single "," followed by exactly three digits is grouping only in a locale whose decimal
 * separator is "." ("4,500" = 4500 in en, 4.5 in fr). Anything else → NaN.
 */
export function parseDecimal(text: string, locale = current): number {
  let t = text.trim().replace(/[\s\u00a0\u202f'’]/g, '');
  if (!t) return NaN;
  const commas = (t.match(/,/g) ?? []).length;
  const points = (t.match(/\./g) ?? []).length;
  if (commas && points) {
    const decimal = t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    if ((t.match(new RegExp(`\\${decimal}`, 'g')) ?? []).length > 1) return NaN;
    t = t.split(group).join('').replace(decimal, '.');
  } else if (commas > 1 || points > 1) {
    const sep = commas > 1 ? ',' : '.';
    if (!new RegExp(`^[+-]?\\d{1,3}(\\${sep}\\d{3})+$`).test(t)) return NaN;
    t = t.split(sep).join('');
  } else if (commas === 1) {
    const grouping = decimalSeparator(locale) === '.' && /^[+-]?\d{1,3},\d{3}$/.test(t);
    t = grouping ? t.replace(',', '') : t.replace(',', '.');
  }
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

/**
 * Reads a count (red cells, a whole number) as a person types it, in any locale: ".", ",", spaces
 * and apostrophes are all thousands grouping, never a decimal mark, because a count has no fraction
 * and "1.500" means fifteen hundred to a pt-BR or fr user while "1,500" does to an en user. So
 * "1.500", "1,500", "1 500" and "1'500" are 1500 everywhere. Grouping must be well formed (groups of
 * three digits after the first: "1.5" or "2,5" is not a count and is refused, never rounded).
 * Returns null for anything that is not a whole number within [min, max].
 */
export function parseCount(text: string, min: number, max: number): number | null {
  const t = text.trim().replace(/[\u00a0\u202f]/g, ' ');
  // One grouping mark throughout ("1.000.000"; "1,000.000" is a typo, not a count). A grouped count
  // starts with a non-zero digit: "0,500" is a decimal typed with trailing zeros, not five hundred.
  if (!/^\d+$/.test(t) && !/^[1-9]\d{0,2}([.,' ’])\d{3}(\1\d{3})*$/.test(t)) return null;
  const value = Number(t.replace(/\D/g, ''));
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : null;
}
