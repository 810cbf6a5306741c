import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpareBuffer } from './spare-buffer.js';

describe('SpareBuffer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands back the given buffer when it is big enough, once', () => {
    const pool = new SpareBuffer(1000, 1 << 20);
    const a = pool.take(100);
    pool.give(a);
    const b = pool.take(80);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(80);
    expect(pool.holding).toBe(false);
    expect(pool.take(80).buffer).not.toBe(a.buffer);
  });

  it('allocates anew when the spare is too small, and lets the small one go (never two held)', () => {
    const pool = new SpareBuffer(1000, 1 << 20);
    const small = pool.take(10);
    pool.give(small);
    const big = pool.take(100);
    expect(big.buffer).not.toBe(small.buffer);
    expect(big.length).toBe(100);
    expect(pool.holding).toBe(false);
  });

  it('does not serve a much smaller request from a large spare (more than twice its size)', () => {
    const pool = new SpareBuffer(1000, 1 << 20);
    const big = pool.take(100);
    pool.give(big);
    expect(pool.take(49).buffer).not.toBe(big.buffer);
    pool.give(big);
    expect(pool.take(50).buffer).toBe(big.buffer);
  });

  it('drops the spare after the idle time, not before', () => {
    const pool = new SpareBuffer(1000, 1 << 20);
    const a = pool.take(100);
    pool.give(a);
    vi.advanceTimersByTime(999);
    expect(pool.holding).toBe(true);
    vi.advanceTimersByTime(1);
    expect(pool.holding).toBe(false);
    expect(pool.take(100).buffer).not.toBe(a.buffer);
  });

  it('restarts the idle time on every give', () => {
    const pool = new SpareBuffer(1000, 1 << 20);
    pool.give(pool.take(100));
    vi.advanceTimersByTime(800);
    pool.give(pool.take(100));
    vi.advanceTimersByTime(800);
    expect(pool.holding).toBe(true);
  });

  it('does not keep buffers over the size limit', () => {
    const pool = new SpareBuffer(1000, 64);
    pool.give(new Uint8Array(65));
    expect(pool.holding).toBe(false);
  });
});
