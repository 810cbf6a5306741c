import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import {
  checkImageSize,
  ImageRejectedError,
  pngLooksTruncated,
  sniffImage,
  validateImageBytes,
} from './image-format.js';

const rgb = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 100, b: 50 } } });
const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const validate = (b: Uint8Array) =>
  validateImageBytes(b.length, b.subarray(0, 65536), b.subarray(Math.max(0, b.length - 64)));

describe('sniffImage', () => {
  it('reads format and size of PNG, JPEG, WebP (lossy, lossless, alpha), GIF', async () => {
    expect(sniffImage(bytes(await rgb(131, 97).png().toBuffer()))).toEqual({ format: 'png', width: 131, height: 97 });
    expect(sniffImage(bytes(await rgb(131, 97).jpeg().toBuffer()))).toEqual({ format: 'jpeg', width: 131, height: 97 });
    expect(sniffImage(bytes(await rgb(131, 97).webp().toBuffer()))).toEqual({ format: 'webp', width: 131, height: 97 });
    expect(sniffImage(bytes(await rgb(131, 97).webp({ lossless: true }).toBuffer()))).toEqual({
      format: 'webp',
      width: 131,
      height: 97,
    });
    expect(sniffImage(bytes(await rgb(131, 97).ensureAlpha(0.5).webp({ quality: 80 }).toBuffer()))).toEqual({
      format: 'webp',
      width: 131,
      height: 97,
    });
    expect(sniffImage(bytes(await rgb(40, 30).gif().toBuffer()))).toEqual({ format: 'gif', width: 40, height: 30 });
  });
  it('reads the NIH fixture cells (lossless WebP)', async () => {
    const b = bytes(await readFile('fixtures/cells/Parasitized/C134P95ThinF_IMG_20151005_121048_cell_113.webp'));
    const meta = await sharp(b).metadata();
    expect(sniffImage(b)).toEqual({ format: 'webp', width: meta.width, height: meta.height });
  });
  it('recognises SVG, HEIC, AVIF brands and unknown data', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffImage(enc('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')).format).toBe('svg');
    expect(sniffImage(enc('  <svg width="10" height="10"></svg>')).format).toBe('svg');
    const ftyp = (major: string, ...compat: string[]) => {
      const body = enc(`ftyp${major}\0\0\0\0${compat.join('')}`);
      const out = new Uint8Array(body.length + 4);
      new DataView(out.buffer).setUint32(0, body.length + 4);
      out.set(body, 4);
      return out;
    };
    expect(sniffImage(ftyp('heic', 'mif1', 'heic')).format).toBe('heic');
    expect(sniffImage(ftyp('mif1', 'mif1', 'avif')).format).toBe('avif');
    expect(sniffImage(enc('hello, this is a text file')).format).toBe('unknown');
  });
});

describe('validateImageBytes', () => {
  const rejects = (b: Uint8Array, re: RegExp) => {
    expect(() => validate(b)).toThrow(ImageRejectedError);
    expect(() => validate(b)).toThrow(re);
  };
  it('accepts ordinary images, grayscale and 16-bit PNG', async () => {
    expect(validate(bytes(await rgb(50, 50).png().toBuffer())).format).toBe('png');
    expect(validate(bytes(await rgb(50, 50).grayscale().png().toBuffer())).format).toBe('png');
    expect(validate(bytes(await rgb(50, 50).png().toColourspace('rgb16').toBuffer())).format).toBe('png');
  });
  it('rejects empty files, text, SVG and HEIC with clear reasons', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    rejects(new Uint8Array(0), /empty/);
    rejects(enc('not an image at all'), /Not an image/);
    rejects(enc('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), /SVG/);
    rejects(new Uint8Array([0, 0, 0, 24, ...enc('ftypheic\0\0\0\0mif1heic')]), /not supported by this browser/);
  });
  it('rejects a truncated PNG', async () => {
    const png = bytes(await rgb(64, 64).png().toBuffer());
    expect(pngLooksTruncated(png.subarray(png.length - 64))).toBe(false);
    rejects(png.subarray(0, Math.floor(png.length / 2)), /truncated/);
  });
  it('rejects a 10,000 × 10,000 image from its header', async () => {
    const png = bytes(Buffer.from(await rgb(10, 10).png().toBuffer()));
    new DataView(png.buffer, png.byteOffset).setUint32(16, 10_000);
    new DataView(png.buffer, png.byteOffset).setUint32(20, 10_000);
    rejects(png, /too large: 10000 × 10000 px \(100 MP\)/);
  });
  it('checkImageSize enforces pixel count and side length', () => {
    expect(() => checkImageSize(4000, 3000)).not.toThrow();
    expect(() => checkImageSize(13_000, 100)).toThrow(/too large/);
    expect(() => checkImageSize(0, 100)).toThrow(/no pixels/);
  });
});

describe('HEIC hint', () => {
  it('treats an unparseable file named .heic as HEIC', () => {
    const junk = new TextEncoder().encode('garbage garbage garbage');
    expect(() => validateImageBytes(junk.length, junk, junk, undefined, { name: 'photo.HEIC' })).toThrow(
      /HEIC.*not supported by this browser/,
    );
    expect(() => validateImageBytes(junk.length, junk, junk, undefined, { type: 'image/heif' })).toThrow(
      /not supported by this browser/,
    );
  });
});
