/**
 * Pure state of the slide-session screen: events in, next state out (no DOM, no storage). The
 * controller (./session-controller.ts) does the I/O and feeds the results in as events; Lit views
 * render `SessionState` and the selectors below and send intents to the controller. Same pattern as
 * src/pwa/update-state.ts + pwa-controller.ts.
 *
 * Invariants (unit-tested in session-state.test.ts):
 *  - the state holds the stored records as the store returned them: totals, queue and result are
 *    always derived from the stored cells (selectors), never kept beside them;
 *  - the cursor always points at a queued cell of the open session, or is null when the queue is
 *    empty;
 *  - undo entries refer only to the open session and are dropped when another session opens.
 */
import type { FieldRecord, SessionRecord } from '../records/schema.js';
import { buildQueue, nextPending, sameCell, type CellRef, type QueueItem } from './review.js';
import { type CellReview } from '@malaria/contract';
import { slideResult, type SlideResult } from '@malaria/contract';

export interface UndoEntry {
  ref: CellRef;
  /** The review before the change (null: none). */
  previous: CellReview | null;
}

export interface SessionState {
  store: 'opening' | 'ready' | 'unavailable';
  storeError: string | null;
  /** Unfinished sessions saved on the device, newest first (any of them can be continued). */
  openSessions: SessionRecord[];
  session: SessionRecord | null;
  /** The open session's images, in session order. */
  fields: FieldRecord[];
  /** The queued cell shown large; null when the queue is empty. */
  cursor: CellRef | null;
  /**
   * The user put the cursor where it is (picked, moved, decided, undid) since the session opened or
   * the last batch of images started. While false, each image saved moves the cursor to the most
   * suspicious undecided cell (the queue's order): a later photo of a batch may hold a more suspicious
   * cell than the first. While true it stays, so a cell never jumps away while being looked at.
   */
  cursorChosen: boolean;
  undo: UndoEntry[];
  /** What is running now ("Analysing x.jpg (2 of 5)…"); null when idle. */
  working: string | null;
  /** Per-file messages of the last batch (not saved, skipped) — nothing else is lost. */
  errors: string[];
  /** A write that failed (storage full, session deleted elsewhere); earlier data is intact. */
  storageError: string | null;
}

export type SessionEvent =
  | { type: 'store-ready'; openSessions: SessionRecord[] }
  | { type: 'store-failed'; message: string }
  | { type: 'open-sessions'; sessions: SessionRecord[] }
  | { type: 'session-opened'; session: SessionRecord; fields: FieldRecord[] }
  | { type: 'session-closed' }
  | { type: 'session-saved'; session: SessionRecord }
  | { type: 'field-saved'; session: SessionRecord; field: FieldRecord }
  /** A review was stored. `undo` is pushed when the user made the change (not for an undo itself). */
  | {
      type: 'cell-reviewed';
      session: SessionRecord;
      field: FieldRecord;
      ref: CellRef;
      undo: UndoEntry | null;
      advance: boolean;
    }
  | { type: 'undo-applied'; session: SessionRecord; field: FieldRecord; ref: CellRef }
  | { type: 'cursor'; to: CellRef }
  | { type: 'move'; delta: number }
  | { type: 'working'; text: string | null }
  | { type: 'file-error'; message: string }
  | { type: 'storage-error'; message: string }
  | { type: 'batch-started' };

/** Undo keeps this many decisions (a queue of a few hundred cells is reviewed in one sitting). */
export const UNDO_DEPTH = 200;

export function initialSessionState(): SessionState {
  return {
    store: 'opening',
    storeError: null,
    openSessions: [],
    session: null,
    fields: [],
    cursor: null,
    cursorChosen: false,
    undo: [],
    working: null,
    errors: [],
    storageError: null,
  };
}

/** The open session's review queue, most suspicious first. */
export function queueOf(state: { fields: readonly FieldRecord[] }): QueueItem[] {
  return buildQueue(state.fields.map((f) => ({ id: f.id, index: f.index, name: f.name, cells: f.cells })));
}

/** Position of the cursor in the queue (-1 when none). */
export function cursorIndex(queue: readonly QueueItem[], cursor: CellRef | null): number {
  return cursor ? queue.findIndex((q) => sameCell(q, cursor)) : -1;
}

/** The slide result from what was confirmed (`queueRecall` from the model's metadata). */
export function resultOf(
  state: { fields: readonly FieldRecord[]; session: SessionRecord | null },
  queueRecall: number | null,
): SlideResult | null {
  if (!state.session) return null;
  return slideResult(state.fields, state.session.targetRedCells, queueRecall);
}

function replaceField(fields: readonly FieldRecord[], field: FieldRecord): FieldRecord[] {
  const i = fields.findIndex((f) => f.id === field.id);
  if (i < 0) return [...fields, field].sort((a, b) => a.index - b.index);
  const out = [...fields];
  out[i] = field;
  return out;
}

/**
 * Keeps the cursor on a queued cell: the same one if still queued, else the first pending (the most
 * suspicious undecided cell, the queue being most suspicious first), else the first.
 */
function settleCursor(fields: readonly FieldRecord[], cursor: CellRef | null): CellRef | null {
  const queue = queueOf({ fields });
  if (queue.length === 0) return null;
  if (cursor && cursorIndex(queue, cursor) >= 0) return cursor;
  const first = queue.findIndex((q) => q.decision === 'pending');
  const item = queue[first >= 0 ? first : 0]!;
  return { fieldId: item.fieldId, cell: item.cell };
}

function refOf(item: QueueItem | undefined): CellRef | null {
  return item ? { fieldId: item.fieldId, cell: item.cell } : null;
}

export function reduceSession(state: SessionState, event: SessionEvent): SessionState {
  const ownSession = (s: SessionRecord) => state.session !== null && s.id === state.session.id;
  switch (event.type) {
    case 'store-ready':
      return { ...state, store: 'ready', storeError: null, openSessions: event.openSessions };
    case 'store-failed':
      return { ...state, store: 'unavailable', storeError: event.message };
    case 'open-sessions':
      return { ...state, openSessions: event.sessions };
    case 'session-opened': {
      const fields = [...event.fields].sort((a, b) => a.index - b.index);
      const same = ownSession(event.session);
      return {
        ...state,
        session: event.session,
        fields,
        cursor: settleCursor(fields, same ? state.cursor : null),
        cursorChosen: same && state.cursorChosen,
        undo: same ? state.undo : [],
        errors: same ? state.errors : [],
        // A re-read of the same session (another view changed the records) keeps the last message.
        storageError: same ? state.storageError : null,
      };
    }
    case 'session-closed':
      return {
        ...state,
        session: null,
        fields: [],
        cursor: null,
        cursorChosen: false,
        undo: [],
        errors: [],
        storageError: null,
        working: null,
      };
    case 'session-saved':
      return ownSession(event.session) ? { ...state, session: event.session, storageError: null } : state;
    case 'field-saved': {
      if (!ownSession(event.session)) return state;
      const fields = replaceField(state.fields, event.field);
      return {
        ...state,
        session: event.session,
        fields,
        cursor: settleCursor(fields, state.cursorChosen ? state.cursor : null),
        storageError: null,
      };
    }
    case 'cell-reviewed':
    case 'undo-applied': {
      if (!ownSession(event.session)) return state;
      const fields = replaceField(state.fields, event.field);
      let undo = state.undo;
      if (event.type === 'cell-reviewed' && event.undo) undo = [...undo, event.undo].slice(-UNDO_DEPTH);
      if (event.type === 'undo-applied') undo = undo.slice(0, -1);
      let cursor: CellRef | null = event.ref;
      if (event.type === 'cell-reviewed' && event.advance) {
        const queue = queueOf({ fields });
        cursor = refOf(queue[nextPending(queue, Math.max(0, cursorIndex(queue, event.ref)))]);
      }
      return {
        ...state,
        session: event.session,
        fields,
        undo,
        cursor: settleCursor(fields, cursor),
        cursorChosen: true,
        storageError: null,
      };
    }
    case 'cursor': {
      const queue = queueOf(state);
      return cursorIndex(queue, event.to) >= 0 ? { ...state, cursor: event.to, cursorChosen: true } : state;
    }
    case 'move': {
      const queue = queueOf(state);
      if (queue.length === 0) return state;
      const i = Math.max(0, cursorIndex(queue, state.cursor));
      const j = Math.min(queue.length - 1, Math.max(0, i + Math.trunc(event.delta)));
      return { ...state, cursor: refOf(queue[j]), cursorChosen: true };
    }
    case 'working':
      return { ...state, working: event.text };
    case 'batch-started':
      return { ...state, errors: [], storageError: null, cursorChosen: false };
    case 'file-error':
      return { ...state, errors: [...state.errors, event.message] };
    case 'storage-error':
      return { ...state, storageError: event.message };
  }
}
