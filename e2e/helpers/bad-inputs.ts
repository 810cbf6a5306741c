/** Problem files generated at test time (sharp / raw bytes), each with the error it must produce. */
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import type { FilePayload } from './app-test.js';
import { cellPath } from './fixtures.js';

export interface BadInput {
  file: FilePayload;
  /** Expected data-label: 'Error' for rejected files; classified odd-but-valid images get a real label. */
  expectError: boolean;
  /** Text the error message must contain (errors only). */
  message?: RegExp;
}

const PARASITIZED_CELL = cellPath('Parasitized', 'C143P104ThinF_IMG_20151005_230100_cell_161.webp');

/** A 10,000 × 10,000 PNG: built with sharp from a solid colour (compresses to a few hundred KB). */
export async function hugePng(): Promise<Buffer> {
  return sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: { r: 230, g: 200, b: 210 } } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

export async function badInputs(): Promise<BadInput[]> {
  const cell = sharp(await readFile(PARASITIZED_CELL));
  const png = await cell.clone().png().toBuffer();
  const heicHeader = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic'),
    Buffer.alloc(2048, 7),
  ]);
  return [
    {
      file: { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
      expectError: true,
      message: /empty/,
    },
    {
      file: { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Patient notes: not an image.\n') },
      expectError: true,
      message: /Not an image/,
    },
    {
      file: { name: 'truncated.png', mimeType: 'image/png', buffer: png.subarray(0, Math.floor(png.length / 2)) },
      expectError: true,
      message: /damaged or truncated/,
    },
    {
      file: {
        name: 'drawing.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="red"/></svg>',
        ),
      },
      expectError: true,
      message: /SVG/,
    },
    {
      file: { name: 'huge-10000x10000.png', mimeType: 'image/png', buffer: await hugePng() },
      expectError: true,
      message: /too large: 10000 × 10000/,
    },
    {
      file: { name: 'photo.heic', mimeType: 'image/heic', buffer: heicHeader },
      expectError: true,
      message: /not supported by this browser/,
    },
    {
      file: { name: 'grayscale.png', mimeType: 'image/png', buffer: await cell.clone().grayscale().png().toBuffer() },
      expectError: false,
    },
    {
      file: {
        name: 'sixteen-bit.png',
        mimeType: 'image/png',
        buffer: await cell.clone().toColourspace('rgb16').png().toBuffer(),
      },
      expectError: false,
    },
    {
      file: { name: 'rgba.png', mimeType: 'image/png', buffer: await cell.clone().ensureAlpha(1).png().toBuffer() },
      expectError: false,
    },
  ];
}
