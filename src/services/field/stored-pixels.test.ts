/**
 * readStoredPixels with a stand-in VideoFrame (stored bytes, a pixel format) and a stand-in canvas
 * (draws patches of the upright image): when it takes the stored pixels, which orientation it picks,
 * and every case where it must fall back to the canvas readback (null).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RgbaImage } from '../../core/field/field-types.js';
import type { ChannelOrder } from '../../core/field/pixel-view.js';
import { storedAs, viewToRgba } from '../../core/field/stored-image-test-kit.js';
import { SpareBuffer } from '../../core/shared/spare-buffer.js';

interface FakeBitmap {
  width: number;
  height: number;
  upright: RgbaImage;
  frame: { format: string | null; data: Uint8Array; width: number; height: number };
}

vi.mock('../canvas.js', () => ({
  canvas2d: (width: number, height: number) => {
    let drawn = new Uint8ClampedArray(width * height * 4);
    return {
      imageSmoothingEnabled: true,
      clearRect: () => {
        drawn = new Uint8ClampedArray(width * height * 4);
      },
      drawImage: (b: FakeBitmap, sx: number, sy: number, sw: number, sh: number) => {
        for (let y = 0; y < sh; y++)
          for (let x = 0; x < sw; x++)
            for (let c = 0; c < 4; c++)
              drawn[(y * width + x) * 4 + c] = b.upright.data[((sy + y) * b.upright.width + sx + x) * 4 + c]!;
      },
      getImageData: () => ({ data: drawn }),
    };
  },
}));

class FakeVideoFrame {
  readonly format: string | null;
  readonly visibleRect: { x: number; y: number; width: number; height: number };
  private readonly data: Uint8Array;
  closed = false;
  static made: FakeVideoFrame[] = [];
  constructor(bitmap: FakeBitmap) {
    this.format = bitmap.frame.format;
    this.data = bitmap.frame.data;
    this.visibleRect = { x: 0, y: 0, width: bitmap.frame.width, height: bitmap.frame.height };
    FakeVideoFrame.made.push(this);
  }
  async copyTo(dest: Uint8Array, options: { layout: { offset: number; stride: number }[] }) {
    expect(options.layout[0]!.stride).toBe(this.visibleRect.width * 4);
    dest.set(this.data.subarray(0, dest.length));
    return [];
  }
  close() {
    this.closed = true;
  }
}

/** A textured upright image (no two patches alike under any turn). */
function texture(width: number, height: number, seed = 1): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (i & 3) === 3 ? 255 : s >>> 24;
  }
  return { width, height, data };
}

function bitmapOf(upright: RgbaImage, orientation: number, format: string | null, fourthByte = 255): FakeBitmap {
  const order: ChannelOrder = format?.startsWith('B') ? 'bgra' : 'rgba';
  const { data, size } = storedAs(upright, orientation, order, fourthByte);
  return { width: upright.width, height: upright.height, upright, frame: { format, data, ...size } };
}

async function read(b: FakeBitmap, buffers = new SpareBuffer(60_000, 1 << 24)) {
  const { readStoredPixels } = await import('./stored-pixels.js');
  return readStoredPixels(b as unknown as ImageBitmap, buffers);
}

describe('readStoredPixels', () => {
  beforeEach(async () => {
    vi.stubGlobal('VideoFrame', FakeVideoFrame);
    FakeVideoFrame.made = [];
    (await import('./stored-pixels.js')).resetStoredPixelsForTesting();
  });
  afterEach(() => vi.unstubAllGlobals());

  for (let orientation = 1; orientation <= 8; orientation++) {
    for (const format of ['BGRX', 'RGBA'] as const) {
      it(`orientation ${orientation}, ${format}: the stored pixels, read upright, are the image`, async () => {
        const upright = texture(37, 23, orientation);
        const view = await read(bitmapOf(upright, orientation, format));
        expect(view).not.toBeNull();
        expect(Array.from(viewToRgba(view!).data)).toEqual(Array.from(upright.data));
        expect(FakeVideoFrame.made.every((f) => f.closed)).toBe(true);
      });
    }
  }

  it('null, with the buffer given back, for a transparent pixel in an RGBA frame', async () => {
    const b = bitmapOf(texture(37, 23), 6, 'RGBA');
    b.frame.data[4 * 100 + 3] = 254;
    const buffers = new SpareBuffer(60_000, 1 << 24);
    expect(await read(b, buffers)).toBeNull();
    expect(buffers.holding).toBe(true);
  });

  it('null for a YUV frame, a frame without a format, and without VideoFrame', async () => {
    expect(await read(bitmapOf(texture(37, 23), 1, 'I420'))).toBeNull();
    expect(await read(bitmapOf(texture(37, 23), 1, null))).toBeNull();
    vi.stubGlobal('VideoFrame', undefined);
    expect(await read(bitmapOf(texture(37, 23), 1, 'BGRX'))).toBeNull();
  });

  it('null for a featureless image (every turn matches), and it keeps trying on the next', async () => {
    const flat: RgbaImage = { width: 30, height: 30, data: new Uint8ClampedArray(30 * 30 * 4).fill(200) };
    expect(await read(bitmapOf(flat, 6, 'BGRX'))).toBeNull();
    expect(await read(bitmapOf(texture(30, 30), 6, 'BGRX'))).not.toBeNull();
  });

  it('stops trying once a frame matched no turn (the platform does not give stored pixels)', async () => {
    const wrong = bitmapOf(texture(37, 23), 8, 'BGRX');
    wrong.frame.data.reverse();
    expect(await read(wrong)).toBeNull();
    const made = FakeVideoFrame.made.length;
    expect(await read(bitmapOf(texture(37, 23), 8, 'BGRX'))).toBeNull();
    expect(FakeVideoFrame.made.length).toBe(made);
  });
});
