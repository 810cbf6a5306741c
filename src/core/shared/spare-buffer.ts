/**
 * One spare large buffer, kept between uses and dropped once unused for a while. For the field
 * worker's 16 MP pixel readback (64 MB): writing into fresh memory costs the page faults of 64 MB,
 * measured 67–94 ms per field against 13–15 ms into a reused buffer (docs/performance.md, step 11),
 * while an idle worker should not pin 64 MB for the rest of the session.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class SpareBuffer {
  private spare: ArrayBuffer | null = null;
  private timer: unknown = null;

  /**
   * `idleMs`: how long a given-back buffer is kept unused; `maxBytes`: larger buffers are not kept.
   */
  constructor(
    private readonly idleMs: number,
    private readonly maxBytes: number,
    private readonly timers: Timers = globalThis as unknown as Timers,
  ) {}

  /** Whether a buffer is being kept now. */
  get holding(): boolean {
    return this.spare !== null;
  }

  /**
   * `bytes` bytes: a view on the spare buffer when it fits (at least `bytes`, at most twice as many:
   * a spare from a much larger photo is not kept for small ones), else new. Either way the spare is
   * let go, so that two large buffers are not held at once.
   */
  take(bytes: number): Uint8Array {
    const spare = this.spare;
    this.drop();
    if (spare && spare.byteLength >= bytes && spare.byteLength <= 2 * bytes) return new Uint8Array(spare, 0, bytes);
    return new Uint8Array(bytes);
  }

  /** Keeps `view`'s buffer as the spare (replacing any other), for `idleMs`. */
  give(view: ArrayBufferView): void {
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || buffer.byteLength > this.maxBytes) return;
    this.drop();
    this.spare = buffer;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.spare = null;
    }, this.idleMs);
  }

  private drop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.spare = null;
  }
}
