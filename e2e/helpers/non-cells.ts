/**
 * Images that are not single red cells, generated at test time (issue 13, item 1): each must be
 * rejected by the plausibility gate, never counted as a cell.
 */
import sharp from 'sharp';
import { greyPhoto, solidImage, type Rgba } from '../../scripts/fixtures/synthetic-images.js';
import type { FilePayload } from './app-test.js';
import { textPageJpeg } from '../../scripts/fixtures/text-page.js';

async function encode(img: Rgba, format: 'png' | 'jpeg' | 'gif'): Promise<Buffer> {
  const s = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  });
  return format === 'png'
    ? s.png().toBuffer()
    : format === 'jpeg'
      ? s.jpeg({ quality: 85 }).toBuffer()
      : s.gif().toBuffer();
}

/** A photo of a page of text: dark sans-serif text on paper, slightly blurred, JPEG. */
export function textPhotoJpeg(width = 320, height = 200): Promise<Buffer> {
  return textPageJpeg(width, height, 20, 40);
}

export interface NonCell {
  file: FilePayload;
  /** Text the rejection must contain. */
  reason: RegExp;
}

export async function nonCells(): Promise<NonCell[]> {
  return [
    {
      file: { name: 'grey-photo.jpg', mimeType: 'image/jpeg', buffer: await encode(greyPhoto(320, 240), 'jpeg') },
      reason: /no dark background/,
    },
    {
      file: {
        name: 'white.png',
        mimeType: 'image/png',
        buffer: await encode(solidImage(200, 150, [255, 255, 255]), 'png'),
      },
      reason: /no dark background/,
    },
    {
      file: {
        name: 'one-pixel.png',
        mimeType: 'image/png',
        buffer: await encode(solidImage(1, 1, [212, 158, 154]), 'png'),
      },
      reason: /too small \(1×1/,
    },
    {
      file: { name: 'text-photo.jpg', mimeType: 'image/jpeg', buffer: await textPhotoJpeg() },
      reason: /no dark background|holes/,
    },
    {
      file: {
        name: 'solid-colour.gif',
        mimeType: 'image/gif',
        buffer: await encode(solidImage(120, 120, [90, 160, 210]), 'gif'),
      },
      reason: /no dark background/,
    },
  ];
}
