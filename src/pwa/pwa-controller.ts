/**
 * Connects the browser (service worker via workbox-window, online/offline, beforeinstallprompt,
 * the app's busy flag) to the pure state machine in ./update-state.ts and carries out its effects.
 * One instance per page (`pwa`); <pwa-status> renders its state.
 */
import { Workbox } from 'workbox-window';
import type { BusyState } from '../core/shared/busy-state.js';
import { busy as appBusy } from '../services/busy.js';
import { isBeforeInstallPromptEvent, runningStandalone, type BeforeInstallPromptEvent } from './install-prompt.js';
import { initialPwaState, transition, type PwaEvent, type PwaState } from './update-state.js';
import { errorMessage } from '../core/shared/error-message.js';

/** How often an open app asks the server for a new version while online (and on reconnect). */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export class PwaController extends EventTarget {
  private current: PwaState;
  private wb: Workbox | null = null;
  private installEvent: BeforeInstallPromptEvent | null = null;
  private lastUpdateCheck = 0;

  constructor(
    private readonly win: Window,
    private readonly busy: BusyState,
  ) {
    super();
    this.current = initialPwaState(win.navigator.onLine, busy.isBusy);
    win.addEventListener('online', () => {
      this.send({ type: 'online-changed', online: true });
      void this.checkForUpdate(false);
    });
    win.addEventListener('offline', () => this.send({ type: 'online-changed', online: false }));
    busy.addEventListener('change', () => this.send({ type: 'busy-changed', busy: busy.isBusy }));
    win.addEventListener('beforeinstallprompt', (e) => {
      if (!isBeforeInstallPromptEvent(e)) return;
      e.preventDefault(); // keep it for our own button instead of the mini-infobar
      this.installEvent = e;
      this.send({ type: 'install-available' });
    });
    win.addEventListener('appinstalled', () => {
      this.installEvent = null;
      this.send({ type: 'installed' });
    });
    if (runningStandalone(win)) this.send({ type: 'installed' });
  }

  get state(): PwaState {
    return this.current;
  }

  /** Registers `sw.js` (next to index.html). Call once at start-up in production builds. */
  register(scriptUrl: string): void {
    if (!('serviceWorker' in this.win.navigator)) {
      this.send({ type: 'unsupported' });
      return;
    }
    const wb = new Workbox(scriptUrl, { updateViaCache: 'none' });
    this.wb = wb;
    wb.addEventListener('installed', (e) => {
      if (!e.isUpdate) this.send({ type: 'first-install-ready' });
    });
    wb.addEventListener('waiting', () => this.send({ type: 'update-waiting' }));
    // workbox-window's isUpdate only says whether a worker controlled the page at load time; a page
    // that did the first install and later takes an update needs "was there a controller before?".
    let previousController = this.win.navigator.serviceWorker.controller;
    wb.addEventListener('controlling', () => {
      const isUpdate = previousController !== null;
      previousController = this.win.navigator.serviceWorker.controller;
      this.send({ type: 'controlling', isUpdate });
    });
    wb.register()
      .then((reg) => {
        this.send({ type: 'registered', controlled: this.win.navigator.serviceWorker.controller !== null });
        this.lastUpdateCheck = Date.now();
        if (reg) this.scheduleUpdateChecks();
      })
      .catch((err: unknown) => this.send({ type: 'error', message: errorMessage(err) }));
  }

  /** No service worker in this build (dev server): the indicator says offline use is unavailable. */
  markUnsupported(): void {
    this.send({ type: 'unsupported' });
  }

  /** The user pressed "Reload": activates the new version now, or as soon as no batch runs. */
  acceptUpdate(): void {
    this.send({ type: 'accept-update' });
  }

  dismissOfflineReady(): void {
    this.send({ type: 'dismiss-offline-ready' });
  }

  /** Shows the browser's install dialog (only while `state.installAvailable`). */
  async promptInstall(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
    const e = this.installEvent;
    if (!e) return 'unavailable';
    this.installEvent = null;
    this.send({ type: 'install-used' });
    await e.prompt();
    const choice = await e.userChoice;
    return choice.outcome;
  }

  /** Asks the server for a newer sw.js (only when online; throttled unless `force`). */
  async checkForUpdate(force: boolean): Promise<void> {
    if (!this.wb || !this.win.navigator.onLine) return;
    if (!force && Date.now() - this.lastUpdateCheck < UPDATE_CHECK_INTERVAL_MS) return;
    this.lastUpdateCheck = Date.now();
    try {
      await this.wb.update();
    } catch {
      // A failed check (server unreachable) is normal in the field; the next one will retry.
    }
  }

  private scheduleUpdateChecks(): void {
    this.win.setInterval(() => void this.checkForUpdate(false), UPDATE_CHECK_INTERVAL_MS);
    this.win.document.addEventListener('visibilitychange', () => {
      if (this.win.document.visibilityState === 'visible') void this.checkForUpdate(false);
    });
  }

  private send(event: PwaEvent): void {
    const { state, effects } = transition(this.current, event);
    this.current = state;
    for (const effect of effects) {
      if (effect === 'skip-waiting') this.wb?.messageSkipWaiting();
      else this.win.location.reload();
    }
    this.dispatchEvent(new Event('change'));
  }
}

export const pwa = new PwaController(window, appBusy);

/** Registers the service worker in production builds; the dev server has none. */
export function registerServiceWorker(): void {
  if (import.meta.env.PROD) pwa.register(`${import.meta.env.BASE_URL}sw.js`);
  else pwa.markUnsupported();
}
