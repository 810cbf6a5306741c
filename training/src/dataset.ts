/**
 * Finds the cell images of a dataset folder and groups them by patient.
 * Accepts `DIR/Parasitized` + `DIR/Uninfected` (also `DIR/cell_images/...`, the NIH zip layout).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type Label = 0 | 1; // 1 = Parasitized
export const CLASS_DIRS = { Parasitized: 1, Uninfected: 0 } as const;
export const IMAGE_EXTENSIONS = new Set(['.png', '.webp', '.jpg', '.jpeg']);

export interface CellRecord {
  file: string; // absolute path
  name: string; // file name
  label: Label;
  patient: string; // e.g. C33
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** `C33P1thinF_IMG_…` → `C33`, `C1_thinF_…` → `C1`, `C12NThinF_…` → `C12`. */
export function patientOf(fileName: string): string | null {
  const m = /^(C\d+)(?=[^0-9]|$)/.exec(fileName);
  return m ? (m[1] as string) : null;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function resolveDataRoot(dir: string): Promise<string> {
  if (!(await isDir(dir))) throw new DatasetError(`data folder not found: ${dir}`);
  if ((await isDir(path.join(dir, 'Parasitized'))) || (await isDir(path.join(dir, 'Uninfected')))) return dir;
  const nested = path.join(dir, 'cell_images');
  if (await isDir(nested)) return resolveDataRoot(nested);
  throw new DatasetError(`no Parasitized/ or Uninfected/ folder in ${dir}`);
}

export interface ScanResult {
  root: string;
  cells: CellRecord[];
  warnings: string[];
}

export async function scanDataset(dir: string): Promise<ScanResult> {
  const root = await resolveDataRoot(dir);
  const cells: CellRecord[] = [];
  const warnings: string[] = [];
  for (const [cls, label] of Object.entries(CLASS_DIRS) as [string, Label][]) {
    const classDir = path.join(root, cls);
    if (!(await isDir(classDir))) throw new DatasetError(`missing class folder: ${classDir}`);
    const names = (await readdir(classDir)).sort();
    let count = 0;
    for (const name of names) {
      const ext = path.extname(name).toLowerCase();
      if (!IMAGE_EXTENSIONS.has(ext)) {
        if (name !== 'Thumbs.db' && !name.startsWith('.'))
          warnings.push(`skipped non-image file: ${path.join(classDir, name)}`);
        continue;
      }
      const patient = patientOf(name);
      if (!patient) {
        warnings.push(`skipped (no C<n> patient prefix): ${path.join(classDir, name)}`);
        continue;
      }
      cells.push({ file: path.join(classDir, name), name, label, patient });
      count++;
    }
    if (count === 0) throw new DatasetError(`class folder has no images: ${classDir}`);
  }
  return { root, cells, warnings };
}
