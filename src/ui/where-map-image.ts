/**
 * Turns a stored "where" map (0–255 per model-input pixel) into a translucent heat image for the
 * review crop: transparent where the model did not look, yellow → magenta where it did. Yellow and
 * magenta stay distinct under deuteranopia and protanopia and both stand out on pink Giemsa cells.
 */
import type { WhereMapRecord } from '../core/records/schema.js';

/** A data: URL (allowed by the CSP's img-src) of the map as an RGBA image. */
export function whereMapUrl(map: WhereMapRecord): string | null {
  const values = new Uint8Array(map.values);
  if (map.width < 1 || map.height < 1 || values.length !== map.width * map.height) return null;
  const canvas = document.createElement('canvas');
  canvas.width = map.width;
  canvas.height = map.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(map.width, map.height);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! / 255;
    // Grad-CAM maps are mostly 0 with one blob (measured: ~1–4 % of pixels above half the peak):
    // fade in from 15 % of the peak so the blob reads as a region, full strength from 75 %.
    const a = Math.min(1, Math.max(0, (v - 0.15) / 0.6));
    img.data[i * 4] = 255;
    img.data[i * 4 + 1] = Math.round(230 * (1 - a));
    img.data[i * 4 + 2] = Math.round(255 * a);
    img.data[i * 4 + 3] = Math.round(230 * Math.sqrt(a));
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}
