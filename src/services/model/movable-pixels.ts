/**
 * Pixel buffers the page owns whole and may hand to the classifier worker even though the pixels'
 * view covers only part of them: the decode worker's pooled buffers (core/decode/buffer-pool.ts,
 * size classes of powers of two, so a cell's Float32Array is shorter than its buffer). Without
 * this mark `wholeBuffer` (classifier-protocol.ts) refused them and every decoded cell was cloned
 * into the classifier worker with its whole pooled buffer: in a trace of 1,000 PNG cells through the
 * Cells view, 1.64 s of serialisation on the page's main thread and 0.66 s of deserialisation in the
 * classifier worker (docs/performance.md, step 9). Only the code that received a buffer from its
 * own worker marks it: a caller's buffer that holds several images must stay a clone.
 */
const movable = new WeakSet<ArrayBuffer>();

/** `buffer` is the page's alone (no other view reads it): it may be transferred whole. */
export function markMovable(buffer: ArrayBuffer): void {
  movable.add(buffer);
}

export function isMovable(buffer: ArrayBufferLike): boolean {
  return buffer instanceof ArrayBuffer && movable.has(buffer);
}
