/**
 * Fixture cells for the label test. The model is imperfect, so the label test uses cells that the
 * shipped model classifies confidently and correctly (checked against training's Node path with
 * e2e/helpers/node-reference.ts); every other fixture is still checked for browser == Node parity.
 * Re-check this list whenever public/model/ is replaced (see docs/app.md).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_CELLS } from './paths.js';

export const CONFIDENT_PARASITIZED = [
  'C138P99ThinF_IMG_20151005_170905_cell_165.webp',
  'C143P104ThinF_IMG_20151005_230100_cell_160.webp',
  'C143P104ThinF_IMG_20151005_230100_cell_161.webp',
  'C167P128ReThinF_IMG_20151201_105707_cell_228.webp',
  'C91P52ThinF_IMG_20150821_123116_cell_181.webp',
  'C185P146ThinF_IMG_20151203_110344_cell_265.webp',
];

export const CONFIDENT_UNINFECTED = [
  'C226ThinF_IMG_20151112_131408_cell_91.webp',
  'C230ThinF_IMG_20151112_150621_cell_226.webp',
  'C152P113ThinF_IMG_20151115_124032_cell_153.webp',
  'C230ThinF_IMG_20151112_150647_cell_67.webp',
  'C185P146ThinF_IMG_20151203_110448_cell_191.webp',
  'C134P95ThinF_IMG_20151005_121425_cell_118.webp',
];

export const cellPath = (cls: 'Parasitized' | 'Uninfected', name: string) => join(FIXTURE_CELLS, cls, name);

export function allFixtureCells(): { cls: 'Parasitized' | 'Uninfected'; name: string; path: string }[] {
  return (['Parasitized', 'Uninfected'] as const).flatMap((cls) =>
    readdirSync(join(FIXTURE_CELLS, cls))
      .filter((n) => n.endsWith('.webp'))
      .sort()
      .map((name) => ({ cls, name, path: cellPath(cls, name) })),
  );
}
