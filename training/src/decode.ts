/** Decodes a cell image file (PNG, WebP, JPEG; any bit depth, grey or RGBA) to 8-bit RGB with sharp. */
import sharp from 'sharp';

export interface RgbImage {
  data: Uint8Array; // h*w*3, row-major RGB
  width: number;
  height: number;
}

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot decode image ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export async function decodeRgb(
  file: string | Buffer,
  label = typeof file === 'string' ? file : '<buffer>',
): Promise<RgbImage> {
  try {
    // rotate() applies EXIF orientation like browsers do; removeAlpha drops alpha without blending,
    // matching tf.browser.fromPixels(..., 3) on an opaque image.
    const { data, info } = await sharp(file, { failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (err) {
    throw new DecodeError(label, err);
  }
}
