/**
 * A free list of pixel buffers for the decode worker, so a batch reuses a few dozen buffers instead
 * of allocating one per cell. Every RGB float32 buffer the worker sends to the page (≈ 200 kB for a
 * NIH cell) is counted in the page's JS heap until a garbage collection frees it: 1,000 cells made
 * ≈ 200 MB of such garbage and the peak heap over 3,000 cells reached 149 MB (bench, issue 15).
 * The page hands buffers back once their cells are classified (pixel-decoder.ts); the worker takes
 * the smallest one that fits (`take`) or allocates a new one in a size class, so that buffers fit
 * later cells of other sizes too.
 */

/** Smallest buffer allocated (bytes): a 73 × 73 RGB float32 cell; smaller cells share it. */
export const MIN_POOLED_BYTES = 64 * 1024;
/** Buffers larger than this are not kept (a rare huge "cell" would otherwise pin its memory). */
export const MAX_POOLED_BYTES = 4 * 1024 * 1024;

/** The size class for `bytes`: the next power of two from MIN_POOLED_BYTES up. */
export function pooledSize(bytes: number): number {
  let size = MIN_POOLED_BYTES;
  while (size < bytes) size *= 2;
  return size;
}

export class BufferPool {
  private free: ArrayBuffer[] = [];

  /** `maxBuffers`: buffers kept at most (the ones handed back beyond that are dropped). */
  constructor(private readonly maxBuffers: number) {}

  get size(): number {
    return this.free.length;
  }

  /** Keeps buffers for reuse (detached, oversized or surplus ones are dropped). */
  put(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) {
      if (this.free.length >= this.maxBuffers) return;
      if (b.byteLength > 0 && b.byteLength <= MAX_POOLED_BYTES) this.free.push(b);
    }
  }

  /** The smallest kept buffer of at least `bytes`, removed from the pool; else a new one of its size class. */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const len = (this.free[i] as ArrayBuffer).byteLength;
      if (len >= bytes && (best < 0 || len < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    }
    if (best < 0) return new ArrayBuffer(bytes > MAX_POOLED_BYTES ? bytes : pooledSize(bytes));
    const [buffer] = this.free.splice(best, 1);
    return buffer as ArrayBuffer;
  }
}
