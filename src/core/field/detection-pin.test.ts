/**
 * Pins detection and crops of two synthetic fields byte for byte: every cell (id, kind, box,
 * outline, area, stain…), the label map and every red cell's crop pixels. Speed work on the
 * detector (docs/performance.md, step 10) must leave these digests unchanged; a deliberate change
 * of the detector's output updates them (and says so in docs/fields.md).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectCells } from './detect-cells.js';
import { downscaleRgb } from './image-ops.js';
import { cropCell, cropGeometryFor } from './crop-cell.js';
import type { RgbaImage } from './field-types.js';
import { orientedView, type FieldPixels } from './pixel-view.js';
import { storedAs } from './stored-image-test-kit.js';
import { artefactField } from '../../../scripts/fixtures/artefact-field.js';
import { syntheticField } from '../../../scripts/fixtures/synthetic-images.js';

function detectionDigest(img: FieldPixels, workingLongSide?: number): { digest: string; red: number } {
  const { detection, labelMap } = detectCells(img, workingLongSide ? { workingLongSide } : {});
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

  // A 1,801 × 1,399 field at a working long side of 600 is downscaled by 3 (1/9 is not exact in
  // binary, so the order of the sums shows) with a remainder on both axes (which stored side the
  // remainder falls on depends on the orientation).
  const f = syntheticField(1801, 1399, 40);
  const upright: RgbaImage = { width: f.width, height: f.height, data: f.data };
  const reference = detectionDigest(upright, 600);

  it('the reference for the orientation checks has red cells', () => {
    expect(reference.red).toBeGreaterThan(10);
  });

  for (let orientation = 1; orientation <= 8; orientation++) {
    for (const order of ['rgba', 'bgra'] as const) {
      it(`pixels stored under EXIF orientation ${orientation}, ${order.toUpperCase()}: the same bytes as upright RGBA`, () => {
        const { data, size } = storedAs(upright, orientation, order);
        const view = orientedView(data, size, orientation, order);
        expect([view.width, view.height]).toEqual([upright.width, upright.height]);
        expect(detectionDigest(view, 600)).toEqual(reference);
      });
      it(`… and its working image (area average by 3) is the same float for float, orientation ${orientation}, ${order.toUpperCase()}`, () => {
        const { data, size } = storedAs(upright, orientation, order);
        const a = downscaleRgb(orientedView(data, size, orientation, order), 3);
        const b = downscaleRgb(upright, 3);
        for (const c of ['r', 'g', 'b'] as const) {
          expect(a[c].width).toBe(b[c].width);
          expect(Buffer.from(a[c].data.buffer).equals(Buffer.from(b[c].data.buffer))).toBe(true);
        }
      });
    }
  }
});
