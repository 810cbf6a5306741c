/**
 * Decodes every cell once (sharp) and preprocesses it with the app's own `preprocessPixels`
 * (resize + scale from metadata), keeping the model-ready float32 pixels in one array.
 * Cached on disk per (file list, input spec) so a resumed run starts in seconds.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { preprocessPixels } from '@malaria/contract/preprocess';
import type { InputSpec } from '@malaria/contract';
import type { CellRecord } from './dataset.js';
import { decodeRgb } from './decode.js';

export interface CellTensors {
  cells: CellRecord[]; // cells that decoded; same order as `pixels`
  pixels: Float32Array; // cells.length × H × W × 3
  pixelsPerCell: number;
  skipped: { file: string; error: string }[];
}

export function rgbToTensor(data: Uint8Array, width: number, height: number): tf.Tensor3D {
  return tf.tensor3d(data, [height, width, 3], 'int32');
}

export async function preprocessFile(file: string, spec: InputSpec): Promise<Float32Array> {
  const img = await decodeRgb(file);
  return tf.tidy(() => preprocessPixels(rgbToTensor(img.data, img.width, img.height), spec).dataSync() as Float32Array);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function loadCellTensors(
  cells: CellRecord[],
  spec: InputSpec,
  opts: { cacheDir?: string; concurrency?: number; log?: (m: string) => void; warn?: (m: string) => void } = {},
): Promise<CellTensors> {
  const log = opts.log ?? (() => {});
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const per = spec.width * spec.height * 3;
  const key = createHash('sha256')
    .update(JSON.stringify({ spec, files: cells.map((c) => [c.file, c.label]) }))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = opts.cacheDir ? path.join(opts.cacheDir, `cells-${spec.width}-${key}`) : null;
  if (cacheFile && (await exists(`${cacheFile}.json`))) {
    const meta = JSON.parse(await readFile(`${cacheFile}.json`, 'utf8')) as {
      kept: number[];
      skipped: CellTensors['skipped'];
    };
    const buf = await readFile(`${cacheFile}.f32`);
    const pixels = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    log(`[data] loaded ${meta.kept.length} preprocessed cells from cache ${cacheFile}.f32`);
    for (const s of meta.skipped) warn(`[data] warning: skipped unreadable image ${s.file}: ${s.error}`);
    return { cells: meta.kept.map((i) => cells[i] as CellRecord), pixels, pixelsPerCell: per, skipped: meta.skipped };
  }
  const pixels = new Float32Array(cells.length * per);
  const ok = new Array<boolean>(cells.length).fill(false);
  const skipped: CellTensors['skipped'] = [];
  const concurrency = opts.concurrency ?? 8;
  let next = 0;
  let done = 0;
  const t0 = Date.now();
  async function worker(): Promise<void> {
    while (next < cells.length) {
      const i = next++;
      const cell = cells[i] as CellRecord;
      try {
        const img = await decodeRgb(cell.file);
        const out = tf.tidy(() => preprocessPixels(rgbToTensor(img.data, img.width, img.height), spec).dataSync());
        pixels.set(out, i * per);
        ok[i] = true;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        skipped.push({ file: cell.file, error: msg });
        warn(`[data] warning: skipped unreadable image ${cell.file}: ${msg}`);
      }
      done++;
      if (done % 2000 === 0) log(`[data] decoded ${done}/${cells.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const kept: number[] = [];
  ok.forEach((v, i) => {
    if (v) kept.push(i);
  });
  let packed = pixels;
  if (kept.length !== cells.length) {
    packed = new Float32Array(kept.length * per);
    kept.forEach((src, dst) => packed.set(pixels.subarray(src * per, (src + 1) * per), dst * per));
  }
  if (cacheFile) {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(`${cacheFile}.f32`, new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength));
    await writeFile(`${cacheFile}.json`, JSON.stringify({ kept, skipped }));
  }
  log(`[data] preprocessed ${kept.length} cells in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { cells: kept.map((i) => cells[i] as CellRecord), pixels: packed, pixelsPerCell: per, skipped };
}
