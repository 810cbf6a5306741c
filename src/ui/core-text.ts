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
  [
    /^This session was deleted on this device \(Records or another tab\)\.$/,
    () => msg('This session was deleted on this device (Records or another tab).'),
  ],
  [
    /^Records storage is not available on this device, so the session cannot be saved\.$/,
    () => msg('Records storage is not available on this device, so the session cannot be saved.'),
  ],
  [
    /^This session no longer exists \(it was deleted\)\.$/,
    () => msg('This session no longer exists (it was deleted).'),
  ],
  [
    /^The model could not be loaded, so images cannot be analysed\. Reload to try again\.$/,
    () => msg('The model could not be loaded, so images cannot be analysed. Reload to try again.'),
  ],
  [/^This cell is no longer in the session\.$/, () => msg('This cell is no longer in the session.')],
  [
    /^Waiting for the model to load before analysing (.+)…$/s,
    (what) => msg(str`Waiting for the model to load before analysing ${what}…`),
  ],
  [/^Analysing (.+) \((\d+) of (\d+)\)…$/s, (name, i, n) => msg(str`Analysing ${name} (${i} of ${n})…`)],
  [/^Waiting for the model to load…$/, () => msg('Waiting for the model to load…')],
  [
    /^Red-cell count must be between 100,000 and 10,000,000 per µL \(e\.g\. 4,500,000\)\.$/,
    () => msg('Red-cell count must be between 100,000 and 10,000,000 per µL (e.g. 4,500,000).'),
  ],
  [
    /^Haematocrit must be a percentage between 1 and 80 \(e\.g\. 38\)\.$/,
    () => msg('Haematocrit must be a percentage between 1 and 80 (e.g. 38).'),
  ],
  [
    /^Red cells to count must be a whole number from 1 to 1,000,000 \(e\.g\. 1000\)\.$/,
    () => msg('Red cells to count must be a whole number from 1 to 1,000,000 (e.g. 1000).'),
  ],
  // A photo refused as a duplicate (session-controller.ts); the file names stay as they are.
  [
    /^This photo is already in this slide \(image (\d+), “(.*)”\), so its cells would be counted twice\.$/s,
    (index, name) =>
      msg(str`This photo is already in this slide (image ${index}, “${name}”), so its cells would be counted twice.`),
  ],
  // Image intake (src/core/image-format.ts, decode-image.ts, field-analysis.ts, cells/cell-plausibility.ts,
  // services/session-intake.ts). The gate's own reason stays as it is (a measurement).
  [/^(.+) The image was not added\.$/s, (why) => `${coreText(why)} ${msg('The image was not added.')}`],
  [/^(.+) It was not counted\.$/s, (why) => `${coreText(why)} ${msg('It was not counted.')}`],
  [
    /^No cells found in this image\. Check that it is a thin blood smear photographed through the microscope\.$/,
    () => msg('No cells found in this image. Check that it is a thin blood smear photographed through the microscope.'),
  ],
  [
    /^Could not decode the image: the file is damaged or in a format this browser cannot read\.$/,
    () => msg('Could not decode the image: the file is damaged or in a format this browser cannot read.'),
  ],
  [/^The file is empty \(0 bytes\)\.$/, () => msg('The file is empty (0 bytes).')],
  [
    /^Not an image: the file is not PNG, JPEG, WebP, GIF, BMP or AVIF\.$/,
    () => msg('Not an image: the file is not PNG, JPEG, WebP, GIF, BMP or AVIF.'),
  ],
  [
    /^SVG is a vector drawing, not a microscope photo; it cannot be classified\. Use PNG, JPEG or WebP\.$/,
    () => msg('SVG is a vector drawing, not a microscope photo; it cannot be classified. Use PNG, JPEG or WebP.'),
  ],
  [
    /^TIFF images are a format not supported by this browser\. Use PNG, JPEG or WebP\.$/,
    () => msg('TIFF images are a format not supported by this browser. Use PNG, JPEG or WebP.'),
  ],
  [/^Could not classify this image \((.*)\)\.$/s, (why) => msg(str`Could not classify this image (${why}).`)],
  [/^Could not analyse this image \((.*)\)\.$/s, (why) => msg(str`Could not analyse this image (${why}).`)],
  [
    /^This looks like a whole field, not a single red-cell image: (.*)\. Analyse it in the Field tab\.$/s,
    (why) => msg(str`This looks like a whole field, not a single red-cell image: ${why}. Analyse it in the Field tab.`),
  ],
  [/^Not a single red-cell image: (.*)\.$/s, (why) => msg(str`Not a single red-cell image: ${why}.`)],
  [/^not saved \((.*)\)\.$/s, (why) => msg(str`not saved (${why}).`)],
  // Records import (src/core/records/archive.ts, ArchiveError).
  [
    /^This file is not valid JSON, so it is not a records archive\.$/,
    () => msg('This file is not valid JSON, so it is not a records archive.'),
  ],
  [
    /^This file is not a records archive from this app\.$/,
    () => msg('This file is not a records archive from this app.'),
  ],
  [
    /^Archive format version (.*) is not supported by this version of the app\.$/s,
    (v) => msg(str`Archive format version ${v} is not supported by this version of the app.`),
  ],
  [
    /^Archive schema version (.*) is not supported by this version of the app \(it reads versions (\d+) and (\d+)\)\.$/s,
    (v, a, b) =>
      msg(
        str`Archive schema version ${v} is not supported by this version of the app (it reads versions ${a} and ${b}).`,
      ),
  ],
  // The validation detail ("session 3: "createdAt" must be …") names archive fields and values, which
  // stay English in the archive itself (machine contract, docs/interface.md); only the lead sentence is
  // translated and the detail is kept as it came, so a support person can still find the bad value.
  [
    /^Not a valid records archive: (.*)$/s,
    (detail) => `${msg('Not a valid records archive. The file was not imported:')} ${detail}`,
  ],
];

/**
 * The message in the current language when it is one the app knows; else unchanged. A message
 * about a file ("name.jpg: …") keeps the name and translates the rest.
 */
export function coreText(text: string): string {
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) return make(...m.slice(1));
  }
  for (let i = text.indexOf(': '); i > 0; i = text.indexOf(': ', i + 1)) {
    const rest = text.slice(i + 2);
    const translated = coreTextExact(rest);
    if (translated !== null) return `${text.slice(0, i)}: ${translated}`;
  }
  return text;
}

function coreTextExact(text: string): string | null {
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) return make(...m.slice(1));
  }
  return null;
}

/** A stored record's time as the locale writes it, or "date unknown" (never "Invalid Date"). */
export function recordTime(t: unknown, style: 'date' | 'datetime' = 'datetime'): string {
  return isRecordTime(t) ? formatDate(t, style) : msg('date unknown');
}
