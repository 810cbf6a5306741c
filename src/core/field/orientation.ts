/**
 * EXIF orientation: maps a point from the STORED pixel grid (as the JPEG's pixels are laid out, and
 * as the NIH annotations are written) to the UPRIGHT grid the browser shows
 * (createImageBitmap with imageOrientation 'from-image', sharp().rotate()).
 * Orientation values per the EXIF spec (TIFF tag 274), 1–8.
 */

export interface Size {
  width: number;
  height: number;
}

/** Size of the upright image for a stored size and orientation. */
export function uprightSize(stored: Size, orientation: number): Size {
  return orientation >= 5 && orientation <= 8
    ? { width: stored.height, height: stored.width }
    : { width: stored.width, height: stored.height };
}

/**
 * Stored (x, y) → upright (x', y') for pixel-centre coordinates (0 … size−1).
 * Orientation 8 (the NIH phone photos): x' = y, y' = storedWidth − 1 − x.
 */
export function storedToUpright(x: number, y: number, stored: Size, orientation: number): { x: number; y: number } {
  const W = stored.width - 1;
  const H = stored.height - 1;
  switch (orientation) {
    case 2:
      return { x: W - x, y };
    case 3:
      return { x: W - x, y: H - y };
    case 4:
      return { x, y: H - y };
    case 5:
      return { x: y, y: x };
    case 6:
      return { x: H - y, y: x };
    case 7:
      return { x: H - y, y: W - x };
    case 8:
      return { x: y, y: W - x };
    default:
      return { x, y };
  }
}

/** Inverse of storedToUpright. */
export function uprightToStored(x: number, y: number, stored: Size, orientation: number): { x: number; y: number } {
  const W = stored.width - 1;
  const H = stored.height - 1;
  switch (orientation) {
    case 2:
      return { x: W - x, y };
    case 3:
      return { x: W - x, y: H - y };
    case 4:
      return { x, y: H - y };
    case 5:
      return { x: y, y: x };
    case 6:
      return { x: y, y: H - x };
    case 7:
      return { x: W - y, y: H - x };
    case 8:
      return { x: W - y, y: x };
    default:
      return { x, y };
  }
}
