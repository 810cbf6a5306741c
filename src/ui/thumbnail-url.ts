/**
 * Object URL for a row's thumbnail that exists only while the row is on screen. Rows use
 * `content-visibility: auto`; the browser fires `contentvisibilityautostatechange` when a row starts
 * or stops being skipped (off screen), so a 1,000-row list creates URLs only for the rows the user
 * actually sees. Without that event (older engines) the URL is made as soon as the row is connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface VisibilityEvent extends Event {
  readonly skipped: boolean;
}

export const VISIBILITY_EVENT = 'contentvisibilityautostatechange';

export function visibilityEventSupported(): boolean {
  return typeof HTMLElement !== 'undefined' && `on${VISIBILITY_EVENT}` in HTMLElement.prototype;
}

export class ThumbnailUrlController implements ReactiveController {
  private blob: Blob | null = null;
  private current: string | null = null;
  private visible = !visibilityEventSupported();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The URL to show now, or null (off screen, or no image). */
  get url(): string | null {
    return this.current;
  }

  /** Sets the image to show; the URL follows visibility. */
  set source(blob: Blob | null) {
    if (blob === this.blob) return;
    this.revoke();
    this.blob = blob;
    this.sync();
  }

  hostConnected(): void {
    this.host.addEventListener(VISIBILITY_EVENT, this.onVisibility);
    this.sync();
  }

  hostDisconnected(): void {
    this.host.removeEventListener(VISIBILITY_EVENT, this.onVisibility);
    this.revoke();
  }

  private readonly onVisibility = (e: Event): void => {
    this.visible = !(e as VisibilityEvent).skipped;
    // Keep an existing URL when the row scrolls away: the <img> stays decoded and cheap to re-show.
    this.sync();
  };

  private sync(): void {
    if (this.current || !this.blob || !this.visible || !this.host.isConnected) return;
    this.current = URL.createObjectURL(this.blob);
    this.host.requestUpdate();
  }

  private revoke(): void {
    if (this.current) URL.revokeObjectURL(this.current);
    this.current = null;
  }
}
