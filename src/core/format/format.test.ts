import { afterEach, describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDate,
  formatDecimal,
  formatNumber,
  formatPercent,
  formatProbability,
  parseCount,
  parseDecimal,
  setFormatLocale,
} from './format.js';

const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatPercent: one format, the locale’s own', () => {
  afterEach(() => setFormatLocale('en-US'));
  it('uses 2 decimals below 1 %, else 1', () => {
    expect(formatPercent(12.5, undefined, 'en-US')).toBe('12.5%');
    expect(formatPercent(1.59, undefined, 'en-US')).toBe('1.6%');
    expect(formatPercent(0.354, undefined, 'en-US')).toBe('0.35%');
    expect(formatPercent(0, undefined, 'en-US')).toBe('0.0%');
  });
  it('writes French and Portuguese percentages', () => {
    expect(nb(formatPercent(12.5, undefined, 'fr-FR'))).toBe('12,5 %');
    expect(formatPercent(12.5, undefined, 'pt-BR')).toBe('12,5%');
    expect(nb(formatPercent(12.5, undefined, 'pt-PT'))).toMatch(/^12,5 ?%$/);
  });
  it('follows the current locale', () => {
    setFormatLocale('fr-FR');
    expect(nb(formatProbability(0.997))).toBe('99,7 %');
    expect(nb(formatNumber(4500000))).toBe('4 500 000');
    expect(formatDecimal(38.5)).toBe('38,5');
  });
  it('gives a dash for nothing', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(NaN)).toBe('—');
    expect(formatNumber(null)).toBe('—');
  });
  it('formats bytes and dates', () => {
    expect(formatBytes(1536, 'fr-FR')).toBe('1,5 KB');
    expect(formatDate(Date.UTC(2026, 0, 5, 12), 'date', 'en-US')).toMatch(/Jan 5, 2026/);
    expect(formatDate(Date.UTC(2026, 0, 5, 12), 'date', 'fr-FR')).toMatch(/5 janv\. 2026/);
    expect(formatDate('nonsense', 'date', 'fr-FR', 'date inconnue')).toBe('date inconnue');
  });
});

describe('parseDecimal: decimal commas accepted wherever a number is typed', () => {
  it('reads a decimal comma and a decimal point', () => {
    for (const locale of ['en-US', 'fr-FR', 'pt-BR']) {
      expect(parseDecimal('38,5', locale)).toBe(38.5);
      expect(parseDecimal('38.5', locale)).toBe(38.5);
      expect(parseDecimal(' 40 ', locale)).toBe(40);
    }
  });
  it('reads grouping', () => {
    expect(parseDecimal('4 500 000', 'fr-FR')).toBe(4500000);
    expect(parseDecimal('4\u202f500\u202f000', 'fr-FR')).toBe(4500000);
    expect(parseDecimal('4,500,000', 'en-US')).toBe(4500000);
    expect(parseDecimal('4.500.000', 'pt-BR')).toBe(4500000);
    expect(parseDecimal('4.500,5', 'pt-BR')).toBe(4500.5);
    expect(parseDecimal('4,500.5', 'en-US')).toBe(4500.5);
    expect(parseDecimal('4,500', 'en-US')).toBe(4500);
    expect(parseDecimal('4,500', 'fr-FR')).toBe(4.5);
  });
  it('refuses what is not a number', () => {
    for (const t of ['', 'abc', '1,2,3', '38,5,1', '1.2.3', '3e5', '12%'])
      expect(parseDecimal(t, 'fr-FR'), t).toBeNaN();
  });
});

describe('formatProbability', () => {
  it('never shows a probability strictly between 0 and 1 as certain', () => {
    expect(formatProbability(0.5, 1, 'en-US')).toBe('50.0%');
    expect(formatProbability(0, 1, 'en-US')).toBe('0.0%');
    expect(formatProbability(1, 1, 'en-US')).toBe('100.0%');
    expect(formatProbability(0.00001, 1, 'en-US')).toBe('< 0.1%');
    expect(formatProbability(0.99999, 1, 'en-US')).toBe('> 99.9%');
    expect(formatProbability(0.99999, 1, 'fr-FR')).toBe(`> ${formatPercent(99.9, 1, 'fr-FR')}`);
    expect(formatProbability(0.99999, 1, 'fr-FR')).toMatch(/^> 99,9\s%$/u);
    expect(formatProbability(0.9994, 1, 'en-US')).toBe('99.9%');
  });
});

describe('parseCount: a count is a whole number, read the same in every locale', () => {
  const count = (t: string) => parseCount(t, 1, 1_000_000);
  it('reads ".", ",", spaces and apostrophes as thousands grouping (en, fr, pt keyboards)', () => {
    // en "1,500"; fr "1 500" (also U+00A0 / U+202F as formatNumber writes it); pt-BR "1.500"; pt-PT
    // "1 500"; de-CH "1'500": all fifteen hundred, never 1.5.
    for (const t of ['1500', '1,500', '1.500', '1 500', '1\u00a0500', '1\u202f500', "1'500", '1’500', ' 1500 '])
      expect(count(t), t).toBe(1500);
    expect(count('1.000.000')).toBe(1_000_000);
    expect(count('1,000,000')).toBe(1_000_000);
    expect(count('1 000 000')).toBe(1_000_000);
    expect(count('2.000')).toBe(2000);
    expect(count('1000')).toBe(1000);
    expect(count('1')).toBe(1);
    expect(count('007')).toBe(7);
  });
  it('refuses a fraction instead of rounding it (fr / pt "2,5", en "2.5")', () => {
    for (const t of ['2,5', '2.5', '1,5', '1.50', '1000.5', '1.000,5', '1,000.5', '0,9', '.5', '5.'])
      expect(count(t), t).toBeNull();
    // "0,500" is a half typed with trailing zeros, not five hundred; a tab or a line break is no grouping.
    for (const t of ['0,500', '0.500', '000.500', '0 500', '1\t500', '1\n500']) expect(count(t), t).toBeNull();
  });
  it('refuses badly grouped, signed, empty or non-numeric input', () => {
    for (const t of [
      '',
      ' ',
      'abc',
      '12a',
      '-5',
      '+5',
      '1e3',
      '1,00',
      '10,00,000',
      '1,000.000',
      '1.000,000',
      '1  500',
      'NaN',
      'Infinity',
    ])
      expect(count(t), t).toBeNull();
  });
  it('refuses what is out of range', () => {
    expect(count('0')).toBeNull();
    expect(count('1000001')).toBeNull();
    expect(count('1.000.001')).toBeNull();
    expect(count('99999999999999999999')).toBeNull();
    expect(parseCount('5', 10, 20)).toBeNull();
    expect(parseCount('10', 10, 20)).toBe(10);
    expect(parseCount('20', 10, 20)).toBe(20);
  });
  it('reads what formatNumber writes, in every locale', () => {
    for (const locale of ['en-US', 'fr-FR', 'pt-BR', 'pt-PT']) {
      for (const v of [1, 999, 1000, 1500, 12345, 1_000_000]) expect(count(formatNumber(v, 0, locale)), locale).toBe(v);
    }
  });
});
