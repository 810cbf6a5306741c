/**
 * NIH "Point Set" annotations (`<field>.txt`): first line `count,width,height` (stored grid), then
 * `id,label,comment,Point,1,x,y` per object. Converted to upright coordinates for matching.
 */
import { storedToUpright } from '../../src/core/field/orientation.js';

export type TruthLabel = 'Parasitized' | 'Uninfected' | 'White_Blood_Cell';

export interface TruthPoint {
  label: TruthLabel;
  /** Upright pixel coordinates. */
  x: number;
  y: number;
}

export interface FieldTruth {
  storedWidth: number;
  storedHeight: number;
  points: TruthPoint[];
}

export function parseGroundTruth(text: string, orientation: number): FieldTruth {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const head = (lines[0] ?? '').split(',').map(Number);
  const [count, storedWidth, storedHeight] = head;
  if (head.length < 3 || !Number.isFinite(storedWidth) || !Number.isFinite(storedHeight)) {
    throw new Error('ground truth: first line must be count,width,height');
  }
  const stored = { width: storedWidth!, height: storedHeight! };
  const points: TruthPoint[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const label = f[1];
    if (label !== 'Parasitized' && label !== 'Uninfected' && label !== 'White_Blood_Cell') {
      throw new Error(`ground truth: unknown label "${label ?? ''}"`);
    }
    const sx = Number(f[5]);
    const sy = Number(f[6]);
    if (!Number.isFinite(sx) || !Number.isFinite(sy)) throw new Error(`ground truth: bad point in "${line}"`);
    points.push({ label, ...storedToUpright(sx, sy, stored, orientation) });
  }
  if (count !== undefined && Number.isFinite(count) && count !== points.length) {
    throw new Error(`ground truth: header says ${count} objects, found ${points.length}`);
  }
  return { storedWidth: stored.width, storedHeight: stored.height, points };
}
