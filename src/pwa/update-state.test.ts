import { describe, expect, it } from 'vitest';
import {
  connectionIndicator,
  initialPwaState,
  statusMessage,
  transition,
  type PwaEffect,
  type PwaEvent,
  type PwaState,
  type UpdatePhase,
} from './update-state';

/** Runs events in order, collecting every effect with the state it was emitted in. */
function run(events: PwaEvent[], start: PwaState = initialPwaState(true, false)) {
  let state = start;
  const effects: Array<{ effect: PwaEffect; busy: boolean }> = [];
  for (const e of events) {
    const t = transition(state, e);
    state = t.state;
    for (const effect of t.effects) effects.push({ effect, busy: state.busy });
  }
  return { state, effects: effects.map((x) => x.effect), effectsWhileBusy: effects.filter((x) => x.busy) };
}

const waitingUpdate: PwaEvent[] = [{ type: 'registered', controlled: true }, { type: 'update-waiting' }];

describe('first install', () => {
  it('shows "Ready to work offline" once the first version is installed', () => {
    const { state, effects } = run([{ type: 'registered', controlled: false }, { type: 'first-install-ready' }]);
    expect(state.phase).toBe('offline-ready');
    expect(statusMessage(state)).toBe('Ready to work offline');
    expect(effects).toEqual([]);
  });

  it('taking control on first install neither prompts nor reloads', () => {
    const { state, effects } = run([
      { type: 'registered', controlled: false },
      { type: 'first-install-ready' },
      { type: 'controlling', isUpdate: false },
    ]);
    expect(state.phase).toBe('offline-ready');
    expect(effects).toEqual([]);
  });

  it('the notice can be dismissed', () => {
    const { state } = run([{ type: 'first-install-ready' }, { type: 'dismiss-offline-ready' }]);
    expect(state.phase).toBe('current');
    expect(statusMessage(state)).toBeNull();
  });

  it('an already controlled page is simply current', () => {
    expect(run([{ type: 'registered', controlled: true }]).state.phase).toBe('current');
  });
});

describe('update flow', () => {
  it('a waiting update only prompts; nothing happens by itself', () => {
    const { state, effects } = run(waitingUpdate);
    expect(state.phase).toBe('update-available');
    expect(statusMessage(state)).toBe('A new version is available');
    expect(effects).toEqual([]);
  });

  it('accepting while idle sends skip-waiting, then reloads when the new worker controls', () => {
    const afterAccept = run([...waitingUpdate, { type: 'accept-update' }]);
    expect(afterAccept.effects).toEqual(['skip-waiting']);
    expect(afterAccept.state.phase).toBe('activating');
    const done = run([{ type: 'controlling', isUpdate: true }], afterAccept.state);
    expect(done.effects).toEqual(['reload']);
    expect(done.state.phase).toBe('reloading');
  });

  it('accepting during a batch waits for idle, then activates and reloads', () => {
    const { state, effects, effectsWhileBusy } = run([
      ...waitingUpdate,
      { type: 'busy-changed', busy: true },
      { type: 'accept-update' },
    ]);
    expect(state.phase).toBe('waiting-for-idle');
    expect(statusMessage(state)).toMatch(/will reload when the batch finishes/);
    expect(effects).toEqual([]);
    expect(effectsWhileBusy).toEqual([]);
    const idle = run(
      [
        { type: 'busy-changed', busy: false },
        { type: 'controlling', isUpdate: true },
      ],
      state,
    );
    expect(idle.effects).toEqual(['skip-waiting', 'reload']);
  });

  it('after acceptance any change of controller counts as the update (first-install page, isUpdate false)', () => {
    const r = run([
      { type: 'registered', controlled: false },
      { type: 'first-install-ready' },
      { type: 'controlling', isUpdate: false },
      { type: 'update-waiting' },
      { type: 'accept-update' },
      { type: 'controlling', isUpdate: false },
    ]);
    expect(r.effects).toEqual(['skip-waiting', 'reload']);
  });

  it('a batch started between skip-waiting and controlling defers the reload until idle', () => {
    const r = run([
      ...waitingUpdate,
      { type: 'accept-update' },
      { type: 'busy-changed', busy: true },
      { type: 'controlling', isUpdate: true },
    ]);
    expect(r.effects).toEqual(['skip-waiting']);
    expect(r.state.phase).toBe('waiting-for-idle');
    const idle = run([{ type: 'busy-changed', busy: false }], r.state);
    expect(idle.effects).toEqual(['reload']);
  });

  it('a version activated by another tab is offered, never forced; accepting reloads without skip-waiting', () => {
    const r = run([
      { type: 'registered', controlled: true },
      { type: 'controlling', isUpdate: true },
    ]);
    expect(r.effects).toEqual([]);
    expect(r.state.phase).toBe('update-available');
    expect(run([{ type: 'accept-update' }], r.state).effects).toEqual(['reload']);
  });

  it('accept is ignored when there is no update', () => {
    expect(run([{ type: 'registered', controlled: true }, { type: 'accept-update' }]).effects).toEqual([]);
  });

  it('a second "waiting" after acceptance does not re-open the prompt', () => {
    const r = run([
      ...waitingUpdate,
      { type: 'busy-changed', busy: true },
      { type: 'accept-update' },
      { type: 'update-waiting' },
    ]);
    expect(r.state.phase).toBe('waiting-for-idle');
  });

  it('never emits an effect while busy, whatever the event order', () => {
    const events: PwaEvent[] = [
      { type: 'registered', controlled: true },
      { type: 'busy-changed', busy: true },
      { type: 'update-waiting' },
      { type: 'accept-update' },
      { type: 'controlling', isUpdate: true },
      { type: 'update-waiting' },
      { type: 'accept-update' },
      { type: 'online-changed', online: false },
    ];
    // Every permutation of these 8 events (40,320) keeps the invariant.
    const permute = (xs: PwaEvent[]): PwaEvent[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => permute([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    let checked = 0;
    for (const order of permute(events)) {
      const r = run(order);
      expect(r.effectsWhileBusy).toEqual([]);
      checked++;
    }
    expect(checked).toBe(40320);
  });

  it('reload is only ever emitted after an explicit accept', () => {
    const r = run([
      ...waitingUpdate,
      { type: 'controlling', isUpdate: true },
      { type: 'busy-changed', busy: true },
      { type: 'busy-changed', busy: false },
    ]);
    expect(r.effects).toEqual([]);
  });

  it('once reloading, later events change nothing', () => {
    const r = run([...waitingUpdate, { type: 'accept-update' }, { type: 'controlling', isUpdate: true }]);
    const after = run(
      [{ type: 'update-waiting' }, { type: 'accept-update' }, { type: 'error', message: 'x' }],
      r.state,
    );
    expect(after.state.phase).toBe('reloading');
    expect(after.effects).toEqual([]);
  });
});

describe('indicators', () => {
  it('the connection pill never claims "Online"; it promises offline use only once the worker is set up', () => {
    const phases: UpdatePhase[] = [
      'unsupported',
      'starting',
      'offline-ready',
      'current',
      'update-available',
      'waiting-for-idle',
      'activating',
      'reloading',
      'error',
    ];
    for (const phase of phases) {
      for (const online of [true, false]) {
        const c = connectionIndicator({ phase, online });
        expect(c.text).not.toMatch(/^Online/);
        const works = !['unsupported', 'starting', 'error'].includes(phase);
        expect(/works offline/i.test(c.text), `${phase} ${online}`).toBe(works);
        expect(c.tone).toBe(works ? 'ok' : 'warn');
        if (!online) expect(c.text).toMatch(/^Offline/);
      }
    }
  });

  it('tracks online/offline', () => {
    expect(run([{ type: 'online-changed', online: false }]).state.online).toBe(false);
    expect(
      run([
        { type: 'online-changed', online: false },
        { type: 'online-changed', online: true },
      ]).state.online,
    ).toBe(true);
  });

  it('install button appears on beforeinstallprompt and goes once used or installed', () => {
    const offered = run([{ type: 'install-available' }]).state;
    expect(offered.installAvailable).toBe(true);
    expect(run([{ type: 'install-used' }], offered).state.installAvailable).toBe(false);
    const installed = run([{ type: 'installed' }], offered).state;
    expect(installed.installAvailable).toBe(false);
    expect(run([{ type: 'install-available' }], installed).state.installAvailable).toBe(false);
  });

  it('a registration error is reported but an accepted update keeps its phase', () => {
    expect(run([{ type: 'error', message: 'boom' }]).state.phase).toBe('error');
    const r = run([...waitingUpdate, { type: 'error', message: 'boom' }]);
    expect(r.state.phase).toBe('update-available');
    expect(r.state.error).toBe('boom');
  });
});
