import { describe, expect, it } from 'vitest';
import { chunk, runInChunks } from './batch-runner.js';

describe('chunk', () => {
  it('splits into consecutive chunks', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 32)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('runInChunks', () => {
  it('processes every item in order, reports progress and yields between chunks', async () => {
    const seen: number[] = [];
    const progress: number[] = [];
    let yields = 0;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const out = await runInChunks(
      items,
      async (part, start) => {
        expect(part[0]).toBe(start);
        seen.push(...part);
      },
      {
        chunkSize: 32,
        onProgress: (p) => progress.push(p.done),
        yieldToUi: async () => {
          yields++;
        },
      },
    );
    expect(out).toEqual({ done: 1000, total: 1000, cancelled: false });
    expect(seen).toEqual(items);
    expect(yields).toBe(Math.ceil(1000 / 32));
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1000);
    expect(progress[1]).toBe(32);
  });
  it('stops before the next chunk when cancelled', async () => {
    const ctrl = new AbortController();
    let processed = 0;
    const out = await runInChunks(
      Array.from({ length: 100 }, (_, i) => i),
      async (part) => {
        processed += part.length;
        if (processed >= 20) ctrl.abort();
      },
      { chunkSize: 10, signal: ctrl.signal, yieldToUi: async () => {} },
    );
    expect(out).toEqual({ done: 20, total: 100, cancelled: true });
    expect(processed).toBe(20);
  });
  it('propagates a failing chunk', async () => {
    await expect(
      runInChunks(
        [1, 2, 3],
        async () => {
          throw new Error('boom');
        },
        { chunkSize: 2, yieldToUi: async () => {} },
      ),
    ).rejects.toThrow('boom');
  });
});
