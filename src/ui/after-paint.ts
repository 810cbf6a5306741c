/**
 * Resolves once what is in the DOM now has been painted: after the next frame (`frames` = 1), or
 * after the frame after it (2: the first frame has then surely been presented, not just begun).
 */
export function afterNextPaint(frames = 1): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') {
      setTimeout(resolve, 0);
      return;
    }
    const step = (left: number) => requestAnimationFrame(() => (left > 1 ? step(left - 1) : setTimeout(resolve, 0)));
    step(frames);
  });
}

/**
 * Resolves once Chrome has reported the page's first largest-contentful-paint candidate, i.e. once
 * what was painted (index.html's static shell) has been presented on screen and recorded; at the
 * latest after `timeoutMs`. Where the browser has no LCP entries: after two frames.
 *
 * Why (docs/performance.md, step 7): Chrome records a text paint as an LCP candidate only when the
 * frame's presentation time comes back from the compositor; a text node whose layout object is
 * destroyed before that is forgotten. <malaria-app> removes the shell when it first renders; on a
 * busy device (Lighthouse mobile on this machine) the presentation took long enough that the
 * shell's paragraph was dropped in some runs, and the app's own copy — painted after the app chunk,
 * ≈ 1.7 s later in Lighthouse's simulation — became the only LCP candidate: mobile scores 86–94
 * instead of 98–100. Waiting for the shell's entry keeps it; the app's copy, no larger, is then no
 * new candidate.
 */
export function afterFirstContentfulPaintRecorded(timeoutMs: number): Promise<void> {
  const lcpSupported =
    typeof PerformanceObserver === 'function' &&
    (PerformanceObserver.supportedEntryTypes ?? []).includes('largest-contentful-paint');
  if (!lcpSupported || typeof document === 'undefined' || document.visibilityState === 'hidden') {
    return afterNextPaint(2);
  }
  return new Promise((resolve) => {
    let observer: PerformanceObserver | null = null;
    const done = () => {
      clearTimeout(timer);
      observer?.disconnect();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    try {
      observer = new PerformanceObserver((list) => {
        if (list.getEntries().length > 0) done();
      });
      observer.observe({ type: 'largest-contentful-paint', buffered: true });
    } catch {
      // A browser that lists the entry type but refuses this form of observe(): the app must still
      // start, after the frames the other browsers without LCP entries wait for.
      clearTimeout(timer);
      observer = null;
      void afterNextPaint(2).then(resolve);
    }
  });
}
