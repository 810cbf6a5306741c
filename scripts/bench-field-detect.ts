/**
 * Detection and crops of the whole fields in Node, timed and digested: for speed work on the
 * detector that must not change its output (docs/performance.md, step 10).
 *
 *   npx tsx scripts/bench-field-detect.ts [--reps 2] [--field N] [--digests out.json]
 *
 * For every photo of ../shared/data/smear-fields (FIELDS_DIR overrides; decoded upright with
 * sharp, as eval:fields does) it runs detectCells and cuts every red cell's crop, and prints the
 * wall time of each, the process CPU time, and a digest of everything the two produce (the
 * detection without its timing, the label map, every crop's box and pixels). `--digests` writes
 * the digests, to compare two checkouts. For a CPU profile: bundle it without esbuild's keepNames
 * (tsx wraps every closure in `__name`, which inflates closure-heavy code) and run it with
 * `node --cpu-prof`, e.g. `npx esbuild scripts/bench-field-detect.ts --bundle --platform=node
 * --format=esm --external:sharp --outfile=/tmp/detect.mjs`.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { detectCells } from '../src/core/field/detect-cells.js';
import { cropCell, cropGeometryFor } from '../src/core/field/crop-cell.js';
import type { RgbaImage } from '../src/core/field/field-types.js';
import { cliArg } from './bench-cli.js';
import { listFieldPhotos } from './field-photos.js';

const root = path.resolve(import.meta.dirname, '..');
const fieldsDir = process.env.FIELDS_DIR ?? path.resolve(root, '../shared/data/smear-fields');
const REPS = Number(cliArg('reps', '1'));
const ONLY = Number(cliArg('field', '-1'));
const DIGESTS = cliArg('digests', '');

async function main(): Promise<void> {
  const photos = listFieldPhotos(fieldsDir);
  const digests: Record<string, string> = {};
  for (const [i, photo] of photos.entries()) {
    if (ONLY >= 0 && i !== ONLY) continue;
    const { data, info } = await sharp(photo.jpg).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const img: RgbaImage = {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
    const name = path.basename(photo.jpg);
    for (let r = 0; r < REPS; r++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const { detection, labelMap } = detectCells(img, { now: () => performance.now() });
      const t1 = performance.now();
      const h = createHash('sha256');
      h.update(JSON.stringify({ ...detection, stats: { ...detection.stats, ms: 0 } }));
      h.update(new Uint8Array(labelMap.data.buffer, labelMap.data.byteOffset, labelMap.data.byteLength));
      const geometry = cropGeometryFor(detection.stats.medianRadius);
      let crops = 0;
      for (const cell of detection.cells) {
        if (cell.kind !== 'red') continue;
        const crop = cropCell(img, labelMap, cell.id, cell.box, [0, 0, 0], geometry);
        if (!crop) continue;
        crops++;
        h.update(JSON.stringify(crop.box));
        h.update(crop.image.data);
      }
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      digests[name] = h.digest('hex').slice(0, 16);
      console.log(
        `${name} rep ${r + 1}: detect ${(t1 - t0).toFixed(0)} ms, ${crops} crops ${(t2 - t1).toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, digest ${digests[name]}`,
      );
    }
  }
  if (DIGESTS) writeFileSync(DIGESTS, JSON.stringify(digests, null, 1) + '\n');
}

await main();
