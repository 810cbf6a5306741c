/**
 * How large the images a record keeps may be. A 16-megapixel field would fill a tablet's storage in
 * a few hundred sessions; 1024 px on the long side is enough to review the outlines. The browser
 * side that draws and encodes them is src/services/records/stored-image.ts; the archive import
 * checks the same limits (bounds.ts, evidence.ts).
 */
export const STORED_FIELD_MAX_SIDE = 1024;
export const STORED_CELL_MAX_SIDE = 160;
/** Review crops (a flagged cell and its neighbours): ≥ 192 CSS px on a tablet, 256 px stored. */
export const STORED_REVIEW_CROP_MAX_SIDE = 256;

/** Size that fits within maxSide × maxSide keeping the aspect ratio (never upscales). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
