/** The cross-tab side of the records' change events (../../core/records/change-events.ts). */
/** A BroadcastChannel where the platform has one (every current browser, Node ≥ 18); else null. */
export function openChangeChannel(name: string): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  try {
    const channel = new BroadcastChannel(name);
    // Node keeps its event loop alive for an open channel; a browser has no unref.
    (channel as BroadcastChannel & { unref?: () => void }).unref?.();
    return channel;
  } catch {
    return null;
  }
}
