/**
 * The region of a field shown around a flagged cell in the review: a square about one cell-width
 * of neighbourhood on each side, kept inside the image. Full-resolution upright pixels.
 */
import type { Box } from '../field/field-types.js';

/** Side of the review crop in cell diameters (the cell plus ~0.8 of a neighbour on each side). */
export const REVIEW_REGION_PER_CELL = 2.6;

export function reviewRegion(cell: { x: number; y: number; box: Box }, imageWidth: number, imageHeight: number): Box {
  const side = Math.min(REVIEW_REGION_PER_CELL * Math.max(cell.box.width, cell.box.height), imageWidth, imageHeight);
  const x0 = Math.min(Math.max(0, cell.x - side / 2), imageWidth - side);
  const y0 = Math.min(Math.max(0, cell.y - side / 2), imageHeight - side);
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(side), height: Math.round(side) };
}
