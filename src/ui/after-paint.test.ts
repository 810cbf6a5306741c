import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterFirstContentfulPaintRecorded } from './after-paint.js';

/** A PerformanceObserver stand-in: `emit()` delivers entries to every observer of the LCP type. */
class FakeObserver {
  static supportedEntryTypes: readonly string[] = ['largest-contentful-paint', 'paint'];
  static live = new Set<FakeObserver>();
  observed: { type?: string; buffered?: boolean } | null = null;
  constructor(private readonly callback: (list: { getEntries: () => unknown[] }) => void) {}
  observe(options: { type?: string; buffered?: boolean }): void {
    this.observed = options;
    FakeObserver.live.add(this);
  }
  disconnect(): void {
    FakeObserver.live.delete(this);
  }
  static emit(entries: unknown[]): void {
    for (const o of [...FakeObserver.live]) {
      if (o.observed?.type === 'largest-contentful-paint') o.callback({ getEntries: () => entries });
    }
  }
}

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
};

const ALL_TYPES = FakeObserver.supportedEntryTypes;

describe('afterFirstContentfulPaintRecorded', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    FakeObserver.live.clear();
    FakeObserver.supportedEntryTypes = ALL_TYPES;
  });

  const stub = (types: readonly string[] = ALL_TYPES) => {
    vi.useFakeTimers();
    FakeObserver.supportedEntryTypes = types;
    vi.stubGlobal('PerformanceObserver', FakeObserver);
    vi.stubGlobal('document', { visibilityState: 'visible' });
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => setTimeout(cb, 16));
  };

  it('waits for the first LCP entry (buffered, so one already reported counts) and then stops observing', async () => {
    stub();
    const p = afterFirstContentfulPaintRecorded(1000);
    expect(await settled(p)).toBe(false);
    const [observer] = [...FakeObserver.live];
    expect(observer?.observed).toEqual({ type: 'largest-contentful-paint', buffered: true });
    await vi.advanceTimersByTimeAsync(500);
    expect(await settled(p)).toBe(false);
    FakeObserver.emit([]);
    expect(await settled(p)).toBe(false);
    FakeObserver.emit([{ size: 50160 }]);
    expect(await settled(p)).toBe(true);
    expect(FakeObserver.live.size).toBe(0);
  });

  it('gives up after the timeout', async () => {
    stub();
    const p = afterFirstContentfulPaintRecorded(1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(p)).toBe(true);
    expect(FakeObserver.live.size).toBe(0);
  });

  it('without LCP entries in the browser: two frames', async () => {
    stub(['paint']);
    const p = afterFirstContentfulPaintRecorded(1000);
    expect(FakeObserver.live.size).toBe(0);
    await vi.advanceTimersByTimeAsync(16);
    expect(await settled(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(await settled(p)).toBe(true);
  });

  it('an observer that refuses observe() does not stop the app: two frames, no timer left', async () => {
    stub();
    class RefusingObserver extends FakeObserver {
      override observe(): void {
        throw new TypeError('observe() options not supported');
      }
    }
    vi.stubGlobal('PerformanceObserver', RefusingObserver);
    const p = afterFirstContentfulPaintRecorded(1000);
    await vi.advanceTimersByTimeAsync(16);
    expect(await settled(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(await settled(p)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
