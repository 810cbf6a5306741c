/**
 * Coalesces a stream of results into fewer deliveries: the first push is delivered at once, later
 * ones at most every `intervalMs` (a timer delivers what is pending when the interval is up), and
 * `flush()` delivers the rest immediately (end of a batch, cancel).
 *
 * Why: every delivery is a Lit update and a new frame. In a 1,000-cell batch one frame per chunk of
 * 32 is ~30 frames; on machines that composite in software (headless Chromium's SwiftShader, old
 * GPUs) each frame costs tens of ms of CPU that the model would otherwise use. A few updates per
 * second keep the progress bar, totals and rows live.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Coalescer<T> {
  private pending: T[] = [];
  private lastDelivery = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (items: T[]) => void,
    private readonly clock: Clock = realClock,
  ) {}

  push(items: readonly T[]): void {
    if (!items.length) return;
    this.pending.push(...items);
    const wait = this.lastDelivery + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else
      this.timer ??= this.clock.setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
  }

  /** Delivers everything pending now (no-op when nothing is pending). */
  flush(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.pending.length) return;
    const items = this.pending;
    this.pending = [];
    this.lastDelivery = this.clock.now();
    this.deliver(items);
  }
}
