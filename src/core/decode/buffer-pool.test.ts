import { describe, expect, it } from 'vitest';
import { BufferPool, MAX_POOLED_BYTES, MIN_POOLED_BYTES, pooledSize } from './buffer-pool.js';

describe('pooledSize', () => {
  it('rounds up to a power of two, at least MIN_POOLED_BYTES', () => {
    expect(pooledSize(1)).toBe(MIN_POOLED_BYTES);
    expect(pooledSize(MIN_POOLED_BYTES)).toBe(MIN_POOLED_BYTES);
    expect(pooledSize(MIN_POOLED_BYTES + 1)).toBe(2 * MIN_POOLED_BYTES);
    expect(pooledSize(130 * 130 * 12)).toBe(256 * 1024);
  });
});

describe('BufferPool', () => {
  it('allocates a size-class buffer when nothing fits', () => {
    const pool = new BufferPool(4);
    expect(pool.take(130 * 130 * 12).byteLength).toBe(256 * 1024);
  });

  it('hands back the smallest kept buffer that fits, once', () => {
    const pool = new BufferPool(4);
    const small = new ArrayBuffer(64 * 1024);
    const mid = new ArrayBuffer(256 * 1024);
    const big = new ArrayBuffer(1024 * 1024);
    pool.put([big, small, mid]);
    expect(pool.take(100 * 1024)).toBe(mid);
    expect(pool.take(100 * 1024)).toBe(big);
    expect(pool.size).toBe(1);
    expect(pool.take(100 * 1024)).not.toBe(small);
    expect(pool.take(10)).toBe(small);
    expect(pool.size).toBe(0);
  });

  it('keeps at most maxBuffers and drops detached or oversized buffers', () => {
    const pool = new BufferPool(2);
    pool.put([new ArrayBuffer(0), new ArrayBuffer(MAX_POOLED_BYTES + 1)]);
    expect(pool.size).toBe(0);
    pool.put([new ArrayBuffer(8), new ArrayBuffer(8), new ArrayBuffer(8)]);
    expect(pool.size).toBe(2);
  });

  it('gives a buffer of exactly the asked size above the largest class', () => {
    expect(new BufferPool(1).take(MAX_POOLED_BYTES + 4).byteLength).toBe(MAX_POOLED_BYTES + 4);
  });
});
