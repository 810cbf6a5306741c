import { describe, expect, it } from 'vitest';
import { Coalescer, type Clock } from './coalesce.js';

function fakeClock() {
  let t = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((x) => x.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    t += ms;
    for (;;) {
      const due = timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers.splice(timers.indexOf(due), 1);
      due.fn();
    }
  };
  return { clock, advance, timers };
}

describe('Coalescer', () => {
  it('delivers the first push at once, then at most once per interval, in order', () => {
    const { clock, advance } = fakeClock();
    const got: number[][] = [];
    const c = new Coalescer<number>(200, (xs) => got.push(xs), clock);
    c.push([1, 2]);
    expect(got).toEqual([[1, 2]]);
    advance(50);
    c.push([3]);
    advance(50);
    c.push([4]);
    expect(got).toHaveLength(1);
    advance(100); // 200 ms after the first delivery: the timer delivers what is pending
    expect(got).toEqual([
      [1, 2],
      [3, 4],
    ]);
    advance(250);
    c.push([5]); // interval already over: at once
    expect(got.at(-1)).toEqual([5]);
  });

  it('flush delivers pending items immediately and cancels the timer', () => {
    const { clock, advance, timers } = fakeClock();
    const got: string[][] = [];
    const c = new Coalescer<string>(1000, (xs) => got.push(xs), clock);
    c.push(['a']);
    advance(10);
    c.push(['b']);
    c.push(['c']);
    expect(timers).toHaveLength(1);
    c.flush();
    expect(got).toEqual([['a'], ['b', 'c']]);
    expect(timers).toHaveLength(0);
    c.flush();
    c.push([]);
    expect(got).toHaveLength(2);
  });
});
