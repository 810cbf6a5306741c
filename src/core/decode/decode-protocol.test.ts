import { describe, expect, it } from 'vitest';
import { isRgbPixels } from '../model/classifier-types.js';
import { describeError } from './image-format.js';
import { settleDecoded, transferablesOf, type DecodedPixels } from './decode-protocol.js';
import { cellGateMessage, NotACellError } from '../cells/cell-plausibility.js';

const ok = (w: number, h: number): DecodedPixels => ({
  ok: true,
  width: w,
  height: h,
  rgb: new Float32Array(w * h * 3).buffer,
});

describe('decode worker replies', () => {
  it('transfers exactly the pixel buffers of decoded files', () => {
    const results = [ok(2, 2), { ok: false, message: 'nope' } as const, ok(1, 3)];
    expect(transferablesOf(results)).toEqual([
      (results[0] as { rgb: ArrayBuffer }).rgb,
      (results[2] as { rgb: ArrayBuffer }).rgb,
    ]);
  });

  it("settles one outcome per file, in order: RGB pixels or the worker's message as is", () => {
    const settled = settleDecoded(3, [ok(2, 3), { ok: false, message: 'The file is empty (0 bytes).' }, ok(1, 1)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const first = settled[0];
    if (first?.status !== 'fulfilled') throw new Error('expected a decoded image');
    expect(first.value).toMatchObject({ width: 2, height: 3 });
    expect(isRgbPixels(first.value.source)).toBe(true);
    const second = settled[1];
    if (second?.status !== 'rejected') throw new Error('expected an error');
    expect(describeError(second.reason)).toBe('The file is empty (0 bytes).');
  });

  it("a plausibility-gate refusal from the worker comes back as the gate's NotACellError, same message", () => {
    const notACell = cellGateMessage({ ok: false, kind: 'not-a-cell', reason: 'too small (1×1 px)' });
    const field = cellGateMessage({ ok: false, kind: 'field', reason: 'many stained cells' });
    const settled = settleDecoded(3, [
      { ok: false, message: notACell },
      { ok: false, message: field },
      { ok: false, message: 'The file is empty (0 bytes).' },
    ]);
    const reasons = settled.map((s) => (s.status === 'rejected' ? (s.reason as Error) : null));
    expect(reasons[0]).toBeInstanceOf(NotACellError);
    expect((reasons[0] as NotACellError).result).toEqual({
      ok: false,
      kind: 'not-a-cell',
      reason: 'too small (1×1 px)',
    });
    expect(reasons[0]!.message).toBe(notACell);
    expect((reasons[1] as NotACellError).result.kind).toBe('field');
    expect(reasons[1]!.message).toBe(field);
    expect(reasons[2]).not.toBeInstanceOf(NotACellError);
    expect(describeError(reasons[2])).toBe('The file is empty (0 bytes).');
  });

  it('reads the pixels from the start of a larger (pooled) buffer and releases it once on close', () => {
    const rgb = new Float32Array(100).buffer;
    const released: ArrayBuffer[] = [];
    const [first] = settleDecoded(1, [{ ok: true, width: 2, height: 2, rgb }], (b) => released.push(b));
    if (first?.status !== 'fulfilled') throw new Error('expected a decoded image');
    const source = first.value.source;
    if (!isRgbPixels(source)) throw new Error('expected RGB pixels');
    expect(source.data.length).toBe(12);
    expect(source.data.buffer).toBe(rgb);
    first.value.close();
    first.value.close();
    expect(released).toEqual([rgb]);
  });

  it('turns a missing or inconsistent reply into an error for that file only', () => {
    const bad: DecodedPixels = { ok: true, width: 4, height: 4, rgb: new Float32Array(3).buffer };
    const settled = settleDecoded(3, [ok(1, 1), bad]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });
});
