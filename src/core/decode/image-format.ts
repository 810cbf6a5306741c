/**
 * Pure checks on the first bytes of an uploaded file, done before any decoding: what format it
 * really is (magic bytes, not the file name or MIME type) and, where the header says so, how big it
 * is. This lets the app reject empty files, non-images, SVG, HEIC and gigantic images with a clear
 * message instead of handing them to the browser's decoder.
 */
import { errorMessage } from '../shared/error-message.js';
import { isUserFacingError, UserFacingError } from '../shared/user-facing-error.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'avif' | 'heic' | 'svg' | 'tiff' | 'unknown';

export interface ImageHeaderInfo {
  format: ImageFormat;
  /** Dimensions read from the header, when the format and the bytes allow it. */
  width?: number;
  height?: number;
}

/** Bytes of the file the sniffer needs: enough for every header it reads (JPEG SOF may be later). */
export const SNIFF_BYTES = 64 * 1024;

/** Formats Chromium/Safari/Firefox decode natively and the app accepts. */
const DECODABLE: ReadonlySet<ImageFormat> = new Set(['png', 'jpeg', 'webp', 'gif', 'bmp', 'avif']);

export interface SizeLimits {
  /** Largest accepted width × height in pixels. */
  maxPixels: number;
  /** Largest accepted side in pixels. */
  maxSide: number;
}

/** Big enough for whole-field smear photos from phone cameras (≈ 48 MP sensors), small enough not to crash a tablet. */
export const DEFAULT_SIZE_LIMITS: SizeLimits = { maxPixels: 50_000_000, maxSide: 12_000 };

export class ImageRejectedError extends UserFacingError {
  override name = 'ImageRejectedError';
  constructor(message: string) {
    super('image-rejected', message);
  }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

function u16be(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
}
function u16le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
}
function u24le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16);
}
function u32be(b: Uint8Array, i: number): number {
  return (((b[i] ?? 0) << 24) >>> 0) + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0));
}
function i32le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function isobmffBrand(b: Uint8Array): 'heic' | 'avif' | null {
  if (ascii(b, 4, 4) !== 'ftyp') return null;
  const boxSize = Math.min(u32be(b, 0), b.length);
  const brands = [ascii(b, 8, 4)];
  for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(b, i, 4));
  // AVIF files also list mif1; the major/compatible "avif" brand wins.
  if (brands.some((x) => AVIF_BRANDS.has(x))) return 'avif';
  if (brands.some((x) => HEIC_BRANDS.has(x))) return 'heic';
  return null;
}

function looksLikeSvg(b: Uint8Array): boolean {
  const head = ascii(b, 0, Math.min(b.length, 1024))
    .replace(/^\uFEFF|^ï»¿/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg')) return true;
  return (
    (head.startsWith('<?xml') || head.startsWith('<!doctype svg') || head.startsWith('<!--')) && head.includes('<svg')
  );
}

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = u16be(b, i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + len;
  }
  return undefined;
}

function webpSize(b: Uint8Array): { width: number; height: number } | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  return undefined;
}

/** Identifies the image format from its leading bytes and reads its dimensions where possible. */
export function sniffImage(bytes: Uint8Array): ImageHeaderInfo {
  const b = bytes;
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a) {
    const info: ImageHeaderInfo = { format: 'png' };
    if (ascii(b, 12, 4) === 'IHDR') {
      info.width = u32be(b, 16);
      info.height = u32be(b, 20);
    }
    return info;
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { format: 'jpeg', ...jpegSize(b) };
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP')
    return { format: 'webp', ...webpSize(b) };
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  }
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    return { format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  }
  if (b.length >= 12) {
    const brand = isobmffBrand(b);
    if (brand) return { format: brand };
  }
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\u0000' || ascii(b, 0, 4) === 'MM\u0000*')) return { format: 'tiff' };
  if (looksLikeSvg(b)) return { format: 'svg' };
  return { format: 'unknown' };
}

/** A PNG whose last chunk is not IEND was cut short (interrupted copy or download). */
export function pngLooksTruncated(tail: Uint8Array): boolean {
  // IEND chunk: length 0 (4 bytes), "IEND", CRC (4 bytes) → the file ends with "IEND" + 4 bytes.
  return tail.length < 12 || ascii(tail, tail.length - 8, 4) !== 'IEND';
}

function megapixels(px: number): string {
  return `${(px / 1e6).toFixed(px >= 1e7 ? 0 : 1)} MP`;
}

/** Rejects images larger than the limits with a message a clinician can act on. */
export function checkImageSize(width: number, height: number, limits: SizeLimits = DEFAULT_SIZE_LIMITS): void {
  if (!(width > 0 && height > 0)) throw new ImageRejectedError(`The image has no pixels (${width} × ${height}).`);
  const px = width * height;
  if (px > limits.maxPixels || width > limits.maxSide || height > limits.maxSide) {
    throw new ImageRejectedError(
      `Image too large: ${width} × ${height} px (${megapixels(px)}). The limit is ${megapixels(limits.maxPixels)} ` +
        `and ${limits.maxSide} px per side; crop or downscale it first.`,
    );
  }
}

/**
 * Validates a file before decoding. `head` is its first SNIFF_BYTES (or all of it), `tail` its last
 * bytes (for the truncation check). Throws ImageRejectedError with a human-readable reason.
 */
export function validateImageBytes(
  size: number,
  head: Uint8Array,
  tail: Uint8Array,
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
  hint: { name?: string; type?: string } = {},
): ImageHeaderInfo {
  if (size === 0) throw new ImageRejectedError('The file is empty (0 bytes).');
  const info = sniffImage(head);
  // A HEIC photo whose header we could not parse is still best explained as "HEIC is not supported".
  if (
    info.format === 'unknown' &&
    (/\.(heic|heif)$/i.test(hint.name ?? '') || /^image\/hei[cf]/i.test(hint.type ?? ''))
  ) {
    info.format = 'heic';
  }
  switch (info.format) {
    case 'svg':
      throw new ImageRejectedError(
        'SVG is a vector drawing, not a microscope photo; it cannot be classified. Use PNG, JPEG or WebP.',
      );
    case 'heic':
      throw new ImageRejectedError(
        'HEIC/HEIF images are a format not supported by this browser. Export the photo as JPEG or PNG ' +
          '(on iPhone: Settings → Camera → Formats → Most Compatible).',
      );
    case 'tiff':
      throw new ImageRejectedError('TIFF images are a format not supported by this browser. Use PNG, JPEG or WebP.');
    case 'unknown':
      throw new ImageRejectedError('Not an image: the file is not PNG, JPEG, WebP, GIF, BMP or AVIF.');
    default:
      break;
  }
  if (!DECODABLE.has(info.format)) throw new ImageRejectedError(`Unsupported image format (${info.format}).`);
  if (info.format === 'png' && pngLooksTruncated(tail)) {
    throw new ImageRejectedError('The PNG file is damaged or truncated (it does not end with an IEND chunk).');
  }
  if (info.width !== undefined && info.height !== undefined) checkImageSize(info.width, info.height, limits);
  return info;
}

/**
 * The text a user sees for an image that could not be classified (a single cell) or analysed (a
 * whole field): a rejection says why itself.
 */
export function describeError(err: unknown, action: 'classify' | 'analyse' = 'classify'): string {
  if (isUserFacingError(err, 'image-rejected')) return err.message;
  return `Could not ${action} this image (${errorMessage(err)}).`;
}
