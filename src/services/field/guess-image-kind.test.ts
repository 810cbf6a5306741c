import { describe, expect, it } from 'vitest';
import { MIN_FIELD_FILE_BYTES, routeImages, type ImageKindGuesser } from './guess-image-kind.js';

const fileOf = (name: string, bytes: number) => new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' });

describe('routeImages', () => {
  it('passes small files through at once and only checks big ones', async () => {
    const small = [fileOf('a.webp', 9_000), fileOf('b.webp', MIN_FIELD_FILE_BYTES - 1)];
    const big = fileOf('big.jpg', MIN_FIELD_FILE_BYTES);
    const fields: File[] = [];
    const { now, later } = routeImages([small[0]!, big, small[1]!], (f) => fields.push(f));
    expect(now).toEqual(small);
    // Not a decodable image (zeros): it stays a cell, so the cell view reports it; nothing is lost.
    expect(await later).toEqual([big]);
    expect(fields).toEqual([]);
  });

  it('resolves to nothing when there is nothing to check', async () => {
    const { now, later } = routeImages([fileOf('a.webp', 100)], () => {});
    expect(now).toHaveLength(1);
    expect(await later).toEqual([]);
  });

  it('routes EVERY field photo to the Field tab, in order; none becomes a single cell', async () => {
    const a = fileOf('field-a.jpg', MIN_FIELD_FILE_BYTES + 10);
    const b = fileOf('field-b.jpg', MIN_FIELD_FILE_BYTES + 20);
    const bigCell = fileOf('big-crop.png', MIN_FIELD_FILE_BYTES + 30);
    const guess: ImageKindGuesser = async (f) => ({ isField: f !== bigCell, reason: 'test' });
    const fields: File[] = [];
    const { now, later } = routeImages([a, bigCell, b], (f) => fields.push(f), guess);
    expect(now).toEqual([]);
    expect(await later).toEqual([bigCell]);
    expect(fields).toEqual([a, b]);
  });
});
