/**
 * Pins detection and crops of two synthetic fields byte for byte: every cell (id, kind, box,
 * outline, area, stain…), the label map and every red cell's crop pixels. Speed work on the
 * detector (docs/performance.md, step 10) must leave these digests unchanged; a deliberate change
 * of the detector's output updates them (and says so in docs/fields.md).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectCells } from './detect-cells.js';
import { cropCell, cropGeometryFor } from './crop-cell.js';
import type { RgbaImage } from './field-types.js';
import { artefactField } from '../../../scripts/fixtures/artefact-field.js';
import { syntheticField } from '../../../scripts/fixtures/synthetic-images.js';

function detectionDigest(img: RgbaImage): { digest: string; red: number } {
  const { detection, labelMap } = detectCells(img);
  const h = createHash('sha256');
  // Everything but the timing.
  h.update(JSON.stringify({ ...detection, stats: { ...detection.stats, ms: 0 } }));
  h.update(new Uint8Array(labelMap.data.buffer, labelMap.data.byteOffset, labelMap.data.byteLength));
  const geometry = cropGeometryFor(detection.stats.medianRadius);
  let red = 0;
  for (const cell of detection.cells) {
    if (cell.kind !== 'red') continue;
    const crop = cropCell(img, labelMap, cell.id, cell.box, [12, 34, 56], geometry);
    if (!crop) continue;
    red++;
    h.update(JSON.stringify(crop.box));
    h.update(crop.image.data);
  }
  return { digest: h.digest('hex'), red };
}

describe('detection and crops, pinned byte for byte', () => {
  it('artefact field (cells, platelets, debris, a platelet on a bridge)', () => {
    const { digest, red } = detectionDigest(artefactField().image);
    expect(red).toBeGreaterThan(10);
    expect(digest).toBe('a8c4b9b675bdf0fa5e323d0a72a5810fb6202294b2c6ab6b05ac2d76bdd9f374');
  });

  it('noisy synthetic field', () => {
    const f = syntheticField(1800, 1400, 40);
    const { digest, red } = detectionDigest({ width: f.width, height: f.height, data: f.data });
    expect(red).toBeGreaterThan(10);
    expect(digest).toBe('7a4dd440961c675c98b0a2f796b457a17be19019bb729618bfb89ad02e6115a4');
  });
});
