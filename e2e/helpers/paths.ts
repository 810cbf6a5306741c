/** Paths shared by the app e2e specs and their global setup. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const FIXTURE_CELLS = join(REPO_ROOT, 'fixtures', 'cells');
/** The shared, uncommitted data (../shared/data next to the checkout; SHARED_DATA_DIR overrides). */
export const SHARED_DATA = process.env.SHARED_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data');
export const SMEAR_FIELDS = join(SHARED_DATA, 'smear-fields');
/** Generated at test time by global-setup.ts (Chromium needs the camera file before it launches). */
export const GENERATED_DIR = join(tmpdir(), 'malaria-e2e');
export const CAMERA_Y4M = join(GENERATED_DIR, 'camera-cell.y4m');
/** The fixture cell the fake camera shows. */
export const CAMERA_CELL = join(FIXTURE_CELLS, 'Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_161.webp');
