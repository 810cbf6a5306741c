/**
 * Translates the English messages the core and services send to the screen (issue 14), without
 * touching the core (it is being reorganised, issue 18): each known message, or message pattern,
 * maps to a msg(). Unknown text (e.g. a browser's own error) is shown as it came.
 */
import { msg, str } from '@lit/localize';
import { formatDate } from '../core/format/format.js';
import { isRecordTime } from '../core/records/bounds.js';

type Rule = [RegExp, (...groups: string[]) => string];

const RULES: readonly Rule[] = [
  [/^Enter a patient or slide identifier\.$/, () => msg('Enter a patient or slide identifier.')],
  [/^This session was deleted on this device \(Records or another tab\)\.$/, () => msg('This session was deleted on this device (Records or another tab).')],
  [/^Records storage is not available on this device, so the session cannot be saved\.$/, () => msg('Records storage is not available on this device, so the session cannot be saved.')],
  [/^This session no longer exists \(it was deleted\)\.$/, () => msg('This session no longer exists (it was deleted).')],
  [/^The model could not be loaded, so images cannot be analysed\. Reload to try again\.$/, () => msg('The model could not be loaded, so images cannot be analysed. Reload to try again.')],
  [/^This cell is no longer in the session\.$/, () => msg('This cell is no longer in the session.')],
  [/^Waiting for the model to load before analysing (.+)…$/s, (what) => msg(str`Waiting for the model to load before analysing ${what}…`)],
  [/^Analysing (.+) \((\d+) of (\d+)\)…$/s, (name, i, n) => msg(str`Analysing ${name} (${i} of ${n})…`)],
  [/^Waiting for the model to load…$/, () => msg('Waiting for the model to load…')],
  [/^Red-cell count must be between 100,000 and 10,000,000 per µL \(e\.g\. 4,500,000\)\.$/, () => msg('Red-cell count must be between 100,000 and 10,000,000 per µL (e.g. 4,500,000).')],
  [/^Haematocrit must be a percentage between 1 and 80 \(e\.g\. 38\)\.$/, () => msg('Haematocrit must be a percentage between 1 and 80 (e.g. 38).')],
];

/** The message in the current language when it is one the app knows; else unchanged. */
export function coreText(text: string): string {
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) return make(...m.slice(1));
  }
  return text;
}

/** A stored record's time as the locale writes it, or "date unknown" (never "Invalid Date"). */
export function recordTime(t: unknown, style: 'date' | 'datetime' = 'datetime'): string {
  return isRecordTime(t) ? formatDate(t, style) : msg('date unknown');
}
