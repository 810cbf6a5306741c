/**
 * A review crop for a cell the user added to the queue after its field was saved: cut from the
 * stored copy of the field (≤ 1,024 px, so coarser than the crops cut at analysis time from the
 * full-resolution photo, which is not kept). No "where" map: the model's masked input for the cell
 * is not stored.
 */
import type { CellEvidence, FieldRecord } from '../../core/records/schema.js';
import { cropForStorage } from '../records/stored-image.js';
import { STORED_REVIEW_CROP_MAX_SIDE } from '../../core/records/image-sizes.js';
import { reviewRegion } from '../../core/review/review-region.js';

export async function evidenceFromStoredField(field: FieldRecord, cellIndex: number): Promise<CellEvidence | null> {
  const cell = field.cells[cellIndex];
  const stored = field.image;
  if (!cell || !stored || field.kind !== 'field') return null;
  const bitmap = await createImageBitmap(new Blob([stored.bytes], { type: stored.type }));
  try {
    const region = reviewRegion(cell, field.width, field.height);
    const image = await cropForStorage(bitmap, bitmap.width / field.width, region, STORED_REVIEW_CROP_MAX_SIDE);
    return { cell: cellIndex, image, region, where: null };
  } finally {
    bitmap.close();
  }
}
