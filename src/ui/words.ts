/**
 * Words shared by several views, in the current language (issue 14): the model's labels in plain
 * words ("WhiteBloodCell" → "White blood cell"), review reasons, and the "needs review" band.
 * Functions, not constants: msg() must run at render time, after the language is chosen.
 */
import { msg, str } from '@lit/localize';
import { formatProbability } from '../core/format/format.js';
import type { RejectReason, ReviewDecision } from '@malaria/contract';

/** A cell label (model or result) as a clinician reads it. */
export function labelText(label: string): string {
  switch (label) {
    case 'Parasitized':
      return msg('Infected');
    case 'Uninfected':
      return msg('Not infected');
    case 'Inconclusive':
      return msg('Needs review');
    case 'WhiteBloodCell':
      return msg('White blood cell');
    case 'Artefact':
      return msg('Not a red cell (artefact)');
    case 'Error':
      return msg('Not classified');
    default:
      return label;
  }
}

/** A reviewer's decision on a queued cell (the review queue, the field maps' spoken status). */
export function decisionText(d: ReviewDecision): string {
  switch (d) {
    case 'pending':
      return msg('Not reviewed');
    case 'confirmed':
      return msg('Parasite');
    case 'rejected':
      return msg('Not a parasite');
    case 'unsure':
      return msg('Unsure');
  }
}

export function rejectReasonText(r: RejectReason): string {
  switch (r) {
    case 'stain-debris':
      return msg('Stain debris');
    case 'platelet':
      return msg('Platelet');
    case 'overlapping-cell':
      return msg('Overlapping cell');
    case 'white-cell':
      return msg('White blood cell');
    case 'out-of-focus':
      return msg('Out of focus');
  }
}

/** The band explained where the "Needs review" label is used: "likelihood between 6.5% and 82.5%". */
export function bandText(band: { low: number; high: number } | null | undefined): string {
  if (!band) return msg('the model is not sure');
  return msg(
    str`infection likelihood between ${formatProbability(band.low, 1)} and ${formatProbability(band.high, 1)}: check by microscopy`,
  );
}

/** The screening-aid statement shown on every view and on page 1 of the report. */
export function screeningAidTitle(): string {
  return msg('Screening aid, not a diagnosis.');
}
export function screeningAidText(): string {
  return msg('Every result must be confirmed by a trained microscopist before any treatment decision.');
}
