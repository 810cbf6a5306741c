/**
 * The one place a 2D canvas is made: an OffscreenCanvas where the platform has one (workers, modern
 * browsers), otherwise a DOM canvas.
 */

export type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
export type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

export function makeCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** A new canvas's 2D context, or null where the platform gives none. */
export function canvas2d(width: number, height: number, settings?: CanvasRenderingContext2DSettings): Canvas2D | null {
  return makeCanvas(width, height).getContext('2d', settings) as Canvas2D | null;
}
