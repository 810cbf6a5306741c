/**
 * Change notifications of the records store, within a tab and across tabs.
 *
 * Every committed write dispatches a `change` event (a RecordsChangeEvent) on the store that made it,
 * and is announced on a BroadcastChannel named after the database ('malaria-screen-records'); the
 * store of every other tab (or window, or worker) of the origin receives the announcement and
 * dispatches the same event with `origin: 'other-tab'`. Listeners re-read what they show, so every
 * open tab shows the stored truth within moments of a write anywhere.
 */

export type RecordsChangeKind =
  | 'session-created'
  | 'image-added'
  | 'review'
  | 'evidence'
  | 'settings'
  | 'session-ended'
  | 'session-deleted'
  | 'all-deleted'
  | 'import'
  | 'repair';

const KINDS: readonly RecordsChangeKind[] = [
  'session-created',
  'image-added',
  'review',
  'evidence',
  'settings',
  'session-ended',
  'session-deleted',
  'all-deleted',
  'import',
  'repair',
];

export interface RecordsChange {
  /** The session written; null when several (import, delete all). */
  sessionId: string | null;
  kind: RecordsChangeKind;
  /** 'this-tab': this store made the write; 'other-tab': another tab's store did. */
  origin: 'this-tab' | 'other-tab';
}

export class RecordsChangeEvent extends Event {
  constructor(readonly change: RecordsChange) {
    super('change');
  }
}

/** True for a change event announcing a write made by another tab's store. */
export function isRemoteChange(event: Event): boolean {
  return event instanceof RecordsChangeEvent && event.change.origin === 'other-tab';
}

/** The message posted on the channel (checked on receipt: any page of the origin may post). */
export function toChangeMessage(change: Omit<RecordsChange, 'origin'>): {
  sessionId: string | null;
  kind: RecordsChangeKind;
} {
  return { sessionId: change.sessionId, kind: change.kind };
}

export function fromChangeMessage(data: unknown): Omit<RecordsChange, 'origin'> | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const sessionId = d.sessionId;
  const kind = d.kind;
  if (sessionId !== null && (typeof sessionId !== 'string' || sessionId.length > 200)) return null;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) return null;
  return { sessionId, kind: kind as RecordsChangeKind };
}
