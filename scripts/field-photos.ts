/**
 * The annotated whole-field photos (`<dir>/<patient>/<field>.jpg` with `<field>.txt` point
 * annotations, as in ../shared/data/smear-fields): one listing for the evaluation, the crop
 * comparison and both field benchmarks. Sorted by patient, then file name.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface FieldPhoto {
  /** The patient folder, e.g. 234C92P53ThinF. */
  patient: string;
  jpg: string;
  /** Its point annotations. */
  txt: string;
}

/** Every field photo under `fieldsDir`; empty when the folder does not exist. */
export function listFieldPhotos(fieldsDir: string): FieldPhoto[] {
  if (!existsSync(fieldsDir)) return [];
  return readdirSync(fieldsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) =>
      readdirSync(path.join(fieldsDir, d.name))
        .filter((f) => /\.jpe?g$/i.test(f))
        .sort()
        .map((f) => ({
          patient: d.name,
          jpg: path.join(fieldsDir, d.name, f),
          txt: path.join(fieldsDir, d.name, f.replace(/\.jpe?g$/i, '.txt')),
        })),
    );
}
