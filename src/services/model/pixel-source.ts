import type { PlatformImage } from '../../core/model/classifier-types.js';

/** Anything tf.browser.fromPixels accepts: the browser's side of core's `PlatformImage`. */
export type PixelSource =
  ImageBitmap | ImageData | HTMLCanvasElement | HTMLImageElement | HTMLVideoElement | OffscreenCanvas;

// Compile-time check that every browser source is a PlatformImage core code can carry.
export type PixelSourceIsPlatformImage = PixelSource extends PlatformImage ? true : never;
const sourcesFit: PixelSourceIsPlatformImage = true;
void sourcesFit;
