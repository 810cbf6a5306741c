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
