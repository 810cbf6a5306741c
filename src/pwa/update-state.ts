/**
 * Pure state machine for the offline/update/install status shown by <pwa-status>. No DOM, no
 * service-worker API: the controller (src/pwa/pwa-controller.ts) feeds it events and carries out the
 * effects it returns. The safety rules live here, where they are unit-tested:
 *   - a new version only activates after the user accepted it ("skip-waiting" is never automatic);
 *   - "skip-waiting" and "reload" are never emitted while a batch is running (busy);
 *   - "reload" is only emitted after the user accepted and the new worker controls the page.
 */

import { msg, str } from '@lit/localize';

export type UpdatePhase =
  /** No service worker (dev server, unsupported browser): the app works, but not offline. */
  | 'unsupported'
  /** Registering / installing the first version. */
  | 'starting'
  /** First install finished: everything is cached; "Ready to work offline". */
  | 'offline-ready'
  /** Running the current version; nothing to show. */
  | 'current'
  /** A new version is waiting (or already active elsewhere): "A new version is available". */
  | 'update-available'
  /** The user accepted while a batch runs: "Will reload when the batch finishes". */
  | 'waiting-for-idle'
  /** Skip-waiting sent; the page reloads as soon as the new worker takes control. */
  | 'activating'
  /** Reload requested; nothing else happens on this page. */
  | 'reloading'
  /** Registration failed; the app still works online. */
  | 'error';

export interface PwaState {
  phase: UpdatePhase;
  online: boolean;
  busy: boolean;
  /** The new worker already controls this page (activated by us or by another tab). */
  newVersionActive: boolean;
  /** The browser offered an install prompt that has not been used yet. */
  installAvailable: boolean;
  installed: boolean;
  error: string | null;
}

export type PwaEvent =
  | { type: 'unsupported' }
  | { type: 'registered'; controlled: boolean }
  | { type: 'first-install-ready' }
  | { type: 'update-waiting' }
  | { type: 'accept-update' }
  | { type: 'dismiss-offline-ready' }
  | { type: 'busy-changed'; busy: boolean }
  /** A new worker took control of the page. `isUpdate` is false for the very first install. */
  | { type: 'controlling'; isUpdate: boolean }
  | { type: 'online-changed'; online: boolean }
  | { type: 'install-available' }
  | { type: 'install-used' }
  | { type: 'installed' }
  | { type: 'error'; message: string };

export type PwaEffect = 'skip-waiting' | 'reload';

export interface Transition {
  state: PwaState;
  effects: PwaEffect[];
}

export function initialPwaState(online: boolean, busy: boolean): PwaState {
  return {
    phase: 'starting',
    online,
    busy,
    newVersionActive: false,
    installAvailable: false,
    installed: false,
    error: null,
  };
}

/** Phases in which the user already said yes to the update. */
const UPDATE_ACCEPTED: readonly UpdatePhase[] = ['waiting-for-idle', 'activating', 'reloading'];

/** What to do once the user has accepted and nothing is busy. */
function proceedWithUpdate(state: PwaState): Transition {
  if (state.newVersionActive) return { state: { ...state, phase: 'reloading' }, effects: ['reload'] };
  return { state: { ...state, phase: 'activating' }, effects: ['skip-waiting'] };
}

export function transition(state: PwaState, event: PwaEvent): Transition {
  const stay = (next: PwaState = state): Transition => ({ state: next, effects: [] });
  if (state.phase === 'reloading') {
    // The page is going away; only keep the indicators truthful.
    if (event.type === 'online-changed') return stay({ ...state, online: event.online });
    if (event.type === 'busy-changed') return stay({ ...state, busy: event.busy });
    return stay();
  }
  switch (event.type) {
    case 'unsupported':
      return stay({ ...state, phase: 'unsupported' });
    case 'registered':
      if (state.phase === 'starting' && event.controlled) return stay({ ...state, phase: 'current' });
      return stay();
    case 'first-install-ready':
      if (state.phase === 'starting' || state.phase === 'current') return stay({ ...state, phase: 'offline-ready' });
      return stay();
    case 'dismiss-offline-ready':
      return state.phase === 'offline-ready' ? stay({ ...state, phase: 'current' }) : stay();
    case 'update-waiting':
      if (UPDATE_ACCEPTED.includes(state.phase)) return stay();
      return stay({ ...state, phase: 'update-available', error: null });
    case 'accept-update':
      if (state.phase !== 'update-available') return stay();
      if (state.busy) return stay({ ...state, phase: 'waiting-for-idle' });
      return proceedWithUpdate(state);
    case 'busy-changed': {
      const next = { ...state, busy: event.busy };
      if (!event.busy && state.phase === 'waiting-for-idle') return proceedWithUpdate(next);
      return stay(next);
    }
    case 'controlling': {
      const accepted = state.phase === 'activating' || state.phase === 'waiting-for-idle';
      if (!event.isUpdate && !accepted) {
        return stay(state.phase === 'starting' ? { ...state, phase: 'offline-ready' } : state);
      }
      const next = { ...state, newVersionActive: true };
      if (state.phase === 'activating') {
        // A batch may have started between "skip-waiting" and "controlling": wait for it.
        if (state.busy) return stay({ ...next, phase: 'waiting-for-idle' });
        return { state: { ...next, phase: 'reloading' }, effects: ['reload'] };
      }
      if (state.phase === 'waiting-for-idle') return stay(next);
      // Activated by another tab: this page runs the old code; offer the reload, never force it.
      return stay({ ...next, phase: 'update-available' });
    }
    case 'online-changed':
      return stay({ ...state, online: event.online });
    case 'install-available':
      return stay({ ...state, installAvailable: !state.installed });
    case 'install-used':
      return stay({ ...state, installAvailable: false });
    case 'installed':
      return stay({ ...state, installAvailable: false, installed: true });
    case 'error':
      if (UPDATE_ACCEPTED.includes(state.phase) || state.phase === 'update-available') {
        return stay({ ...state, error: event.message });
      }
      return stay({ ...state, phase: 'error', error: event.message });
  }
}

/** The one-line status text for the current state (also used as the accessible live region). */
export function statusMessage(state: PwaState): string | null {
  switch (state.phase) {
    case 'offline-ready':
      return msg('Ready to work offline');
    case 'update-available':
      return msg('A new version is available');
    case 'waiting-for-idle':
      return msg('A new version is available — will reload when the batch finishes');
    case 'activating':
    case 'reloading':
      return msg('Updating to the new version…');
    case 'error':
      return msg(str`Offline mode unavailable: ${state.error ?? msg('unknown error')}`);
    default:
      return null;
  }
}

export interface ConnectionIndicator {
  /** Short pill text. */
  text: string;
  /** Longer explanation (tooltip / screen-reader description). */
  detail: string;
  tone: 'ok' | 'warn';
}

/**
 * What the header pill promises. `navigator.onLine === true` only means "some network interface is
 * up" (it says so on a clinic Wi-Fi with no internet, and browsers emulate it differently across a
 * reload), so the pill never claims "Online". What a user needs to know is whether the app works
 * without the network: that depends on the service worker (phase), not on the connection. Only
 * `online === false` is reliable, and then the pill says so — the app keeps working either way.
 */
export function connectionIndicator(state: Pick<PwaState, 'phase' | 'online'>): ConnectionIndicator {
  const works = state.phase !== 'unsupported' && state.phase !== 'starting' && state.phase !== 'error';
  if (!state.online) {
    return works
      ? {
          text: msg('Offline · works offline'),
          detail: msg('No network. Everything runs on this device; nothing is lost.'),
          tone: 'ok',
        }
      : {
          text: msg('Offline'),
          detail: msg('No network, and offline use is not set up yet: reload once with a network.'),
          tone: 'warn',
        };
  }
  if (works)
    return {
      text: msg('Works offline'),
      detail: msg('The app and the model are stored on this device; no network needed.'),
      tone: 'ok',
    };
  if (state.phase === 'starting') {
    return {
      text: msg('Setting up offline use…'),
      detail: msg('Keep the network until the app says it is ready to work offline.'),
      tone: 'warn',
    };
  }
  return {
    text: msg('Needs network'),
    detail: msg('Offline use is unavailable in this browser or build.'),
    tone: 'warn',
  };
}
