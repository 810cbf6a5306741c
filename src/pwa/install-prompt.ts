/**
 * Chromium's `beforeinstallprompt`: the event is kept so an in-app "Install" button can show the
 * browser's install dialog later. Not standard (no lib.dom typing), hence the small interface.
 */
export interface BeforeInstallPromptEvent extends Event {
  readonly platforms: string[];
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
  prompt(): Promise<void>;
}

export function isBeforeInstallPromptEvent(e: Event): e is BeforeInstallPromptEvent {
  return typeof (e as Partial<BeforeInstallPromptEvent>).prompt === 'function';
}

/** True when the app already runs as an installed app (standalone window). */
export function runningStandalone(win: Window): boolean {
  return win.matchMedia?.('(display-mode: standalone)').matches === true;
}
