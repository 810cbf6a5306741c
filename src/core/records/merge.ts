/**
 * Importing a session that may already be on this device: never replaces local data silently.
 *
 * Per incoming session (pure; the store reads and writes, records-store.ts `merge`):
 *  - not here → added with its images (unless one of its image ids belongs to another slide here:
 *    then it is imported as a copy, below);
 *  - here, and the same slide (same identifier, start time and model) whose shared images are the
 *    same images (same cells) → merged, cell by cell:
 *      · images: the union by id (none is ever removed); new images are numbered after the ones here,
 *        in the order they were added;
 *      · reviews, per cell: the newer review by its time (`at`) wins; a review is never replaced by
 *        "no review", and on equal times the one here stays;
 *      · review evidence: the union per cell (the entry here stays for a cell that has one);
 *      · settings (target, blood count, reviewer): from the copy changed last (`updatedAt`);
 *      · the slide result: kept from a copy whose review counts and target equal the merged ones
 *        (the copy changed last first); when neither matches, the slide is re-opened (no result);
 *      · then every derived value is recomputed from the merged cells (integrity.ts);
 *  - here, but a different slide with the same id, or a shared image with different cells → imported
 *    as a separate copy: new ids (derived from the incoming ids, so importing the same file again
 *    finds the copy instead of adding another) and the identifier suffixed “(imported copy)”.
 */
import type { CellReview } from '@malaria/contract';
import { byTimeAdded, deriveSession } from './integrity.js';
import type { CellEvidence, FieldRecord, SessionRecord, StoredCell } from './schema.js';
import { identifierKey } from './schema.js';
import { sameReviewCounts } from './session-review.js';

export interface SessionBundle {
  session: SessionRecord;
  fields: FieldRecord[];
}

/** What importing one session does. `write` lists the images to put (new or changed). */
export type MergeOutcome =
  | { kind: 'new'; session: SessionRecord; write: FieldRecord[]; repairs: string[] }
  | { kind: 'unchanged' }
  | {
      kind: 'merged';
      session: SessionRecord;
      write: FieldRecord[];
      imagesAdded: number;
      /** Images here whose reviews, evidence, stored picture or number changed. */
      imagesUpdated: number;
      reviewsUpdated: number;
      settingsTaken: boolean;
      reopened: boolean;
      repairs: string[];
    }
  | { kind: 'conflict'; reason: string };

/** Sum of what an import did, and one line per session that needs saying. */
export interface MergeReport {
  /** Sessions new to this device (copies included). */
  added: number;
  /** Sessions here that took images, reviews or settings from the file (copies included). */
  updated: number;
  /** Sessions here that the file had nothing new for. */
  unchanged: number;
  /** Of the sessions added or updated, those imported as a separate copy. */
  copies: number;
  fieldsAdded: number;
  fieldsUpdated: number;
  reviewsUpdated: number;
  /** Sessions here re-opened because the merged reviews no longer give their stored result. */
  reopened: number;
  details: string[];
}

export function emptyMergeReport(): MergeReport {
  return {
    added: 0,
    updated: 0,
    unchanged: 0,
    copies: 0,
    fieldsAdded: 0,
    fieldsUpdated: 0,
    reviewsUpdated: 0,
    reopened: 0,
    details: [],
  };
}

/** Why the two records are not the same slide, or null when they are. */
function identityConflict(here: SessionRecord, file: SessionRecord): string | null {
  if (here.identifier !== file.identifier) {
    return `a different slide with the same id is here (“${here.identifier}” here, “${file.identifier}” in the file)`;
  }
  if (here.createdAt !== file.createdAt) return 'the slide here with the same id was started at a different time';
  if (here.confidentProbability !== file.confidentProbability || here.modelName !== file.modelName) {
    return 'the slide here with the same id was counted with a different model';
  }
  return null;
}

function sameCellGeometry(a: StoredCell, b: StoredCell): boolean {
  return (
    a.x === b.x &&
    a.y === b.y &&
    a.label === b.label &&
    a.probability === b.probability &&
    a.box.x === b.box.x &&
    a.box.y === b.box.y &&
    a.box.width === b.box.width &&
    a.box.height === b.box.height
  );
}

/** Same picture and same cells (reviews aside): the same image on two devices. */
function sameImage(a: FieldRecord, b: FieldRecord): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.width === b.width &&
    a.height === b.height &&
    a.cells.length === b.cells.length &&
    a.cells.every((c, i) => sameCellGeometry(c, b.cells[i]!))
  );
}

function sameReview(a: CellReview | null, b: CellReview | null): boolean {
  if (a === null || b === null) return a === b;
  return a.decision === b.decision && a.reason === b.reason && a.at === b.at;
}

/** The review to keep: the newer by time; never none over one; on a tie the one here. */
export function newerReview(here: CellReview | null, file: CellReview | null): CellReview | null {
  if (file === null) return here;
  if (here === null) return file;
  return file.at > here.at ? file : here;
}

function mergeField(here: FieldRecord, file: FieldRecord): { field: FieldRecord; reviews: number; changed: boolean } {
  let reviews = 0;
  const cells = here.cells.map((c, i) => {
    const pick = newerReview(c.review, file.cells[i]!.review);
    if (sameReview(pick, c.review)) return c;
    reviews++;
    return { ...c, review: pick };
  });
  const byCell = new Map<number, CellEvidence>(here.evidence.map((e) => [e.cell, e]));
  let evidenceAdded = 0;
  for (const e of file.evidence) {
    if (byCell.has(e.cell)) continue;
    byCell.set(e.cell, e);
    evidenceAdded++;
  }
  const image = here.image ?? file.image;
  const changed = reviews > 0 || evidenceAdded > 0 || image !== here.image;
  if (!changed) return { field: here, reviews, changed };
  return {
    field: {
      ...here,
      cells,
      image,
      evidence: evidenceAdded ? [...byCell.values()].sort((a, b) => a.cell - b.cell) : here.evidence,
    },
    reviews,
    changed,
  };
}

/** JSON text with object keys sorted at every level (sessions hold no bytes). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sameSession(a: SessionRecord, b: SessionRecord): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Imports one session against the copy here (null when none). `ownerOf(fieldId)` gives the
 * session id of an image here with that id (undefined when none) — asked only for images that
 * are not already the local session's.
 */
export function mergeSession(
  local: SessionBundle | null,
  incoming: SessionBundle,
  ownerOf: (fieldId: string) => string | undefined,
): MergeOutcome {
  const file = deriveSession(incoming.session, incoming.fields);
  const foreign = (f: FieldRecord) => {
    const owner = ownerOf(f.id);
    return owner !== undefined && owner !== incoming.session.id;
  };
  if (!local) {
    const clash = file.fields.find(foreign);
    if (clash)
      return { kind: 'conflict', reason: `its image “${clash.name}” has the id of an image of another slide here` };
    return { kind: 'new', session: file.session, write: file.fields, repairs: file.repairs };
  }
  const here = deriveSession(local.session, local.fields);
  const conflict = identityConflict(here.session, file.session);
  if (conflict) return { kind: 'conflict', reason: conflict };

  const hereById = new Map(here.fields.map((f) => [f.id, f]));
  const rawIndex = new Map(local.fields.map((f) => [f.id, f.index]));
  const merged = new Map(here.fields.map((f) => [f.id, f]));
  const changed = new Set<string>(here.renumbered.map((f) => f.id));
  const added: FieldRecord[] = [];
  let reviewsUpdated = 0;
  for (const f of file.fields) {
    const mine = hereById.get(f.id);
    if (!mine) {
      if (foreign(f))
        return { kind: 'conflict', reason: `its image “${f.name}” has the id of an image of another slide here` };
      added.push(f);
      continue;
    }
    if (!sameImage(mine, f)) {
      return {
        kind: 'conflict',
        reason: `its image “${f.name}” has the same id as image ${mine.index} here but different cells`,
      };
    }
    const m = mergeField(mine, f);
    if (m.changed) {
      merged.set(f.id, m.field);
      changed.add(f.id);
      reviewsUpdated += m.reviews;
    }
  }
  // New images are numbered after the ones here, in the order they were added.
  added.sort(byTimeAdded).forEach((f, i) => {
    const numbered = f.index === here.fields.length + i + 1 ? f : { ...f, index: here.fields.length + i + 1 };
    merged.set(f.id, numbered);
  });

  const fileNewer = file.session.updatedAt > here.session.updatedAt;
  const [newer, older] = fileNewer ? [file.session, here.session] : [here.session, file.session];
  const settingsTaken =
    fileNewer &&
    (newer.targetRedCells !== here.session.targetRedCells ||
      JSON.stringify(newer.bloodCount) !== JSON.stringify(here.session.bloodCount) ||
      newer.reviewer !== here.session.reviewer);
  const all = [...merged.values()];
  const candidate: SessionRecord = {
    ...here.session,
    targetRedCells: newer.targetRedCells,
    bloodCount: newer.bloodCount,
    reviewer: newer.reviewer,
    updatedAt: Math.max(here.session.updatedAt, file.session.updatedAt),
    legacyModelVerdict: here.session.legacyModelVerdict ?? file.session.legacyModelVerdict,
  };
  // Recount first, then keep a result only from a copy whose counts and target are the merged ones.
  const counted = deriveSession({ ...candidate, endedAt: null, verdict: null }, all);
  const keepFrom = [newer, older].find(
    (s) => sameReviewCounts(s.review, counted.session.review) && s.targetRedCells === candidate.targetRedCells,
  );
  const result = deriveSession(
    { ...counted.session, endedAt: keepFrom ? keepFrom.endedAt : null, verdict: keepFrom ? keepFrom.verdict : null },
    counted.fields,
  );
  const reopened = here.session.endedAt !== null && result.session.endedAt === null;
  for (const f of result.fields)
    if (rawIndex.get(f.id) !== f.index && !added.some((a) => a.id === f.id)) changed.add(f.id);
  const write = result.fields.filter((f) => changed.has(f.id) || added.some((a) => a.id === f.id));
  if (write.length === 0 && sameSession(result.session, local.session)) return { kind: 'unchanged' };
  return {
    kind: 'merged',
    session: result.session,
    write,
    imagesAdded: added.length,
    imagesUpdated: write.length - added.length,
    reviewsUpdated,
    settingsTaken,
    reopened,
    repairs: [...here.repairs.map((r) => `the copy here: ${r}`), ...file.repairs.map((r) => `the file's copy: ${r}`)],
  };
}

// ---- copies ------------------------------------------------------------------------------------

/** 64-bit FNV-1a as two 32-bit lanes → 16 hex digits. Not cryptographic: stable ids only. */
export function stableHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export const COPY_SUFFIX = ' (imported copy)';
const IDENTIFIER_MAX = 200;

/** The identifier of an imported copy (attempt 1: “… (imported copy)”, then “… (imported copy 2)”…). */
export function copyIdentifier(identifier: string, attempt: number): string {
  const suffix = attempt <= 1 ? COPY_SUFFIX : ` (imported copy ${attempt})`;
  return identifier.slice(0, IDENTIFIER_MAX - suffix.length) + suffix;
}

/**
 * The incoming session as a separate copy: ids derived from its own ids (so a second import of the
 * same file meets the same copy), identifier suffixed.
 */
export function asCopy(incoming: SessionBundle, attempt: number): SessionBundle {
  const s = incoming.session;
  const id = `copy-${stableHash(`${s.id}|${s.createdAt}|${s.identifier}|${attempt}`)}`;
  const identifier = copyIdentifier(s.identifier, attempt);
  return {
    session: { ...s, id, identifier, identifierKey: identifierKey(identifier) },
    fields: incoming.fields.map((f) => ({ ...f, id: `${id}-${stableHash(`${id}|${f.id}`)}`, sessionId: id })),
  };
}

/**
 * One sentence for the import message ("1 new sessions, 2 updated, 3 already here; 4 images added,
 * 5 reviews updated."); `details` says per session what happened.
 */
export function describeMergeReport(r: MergeReport): string {
  const copies = r.copies ? `, ${r.copies} imported as separate copies` : '';
  const reopened = r.reopened ? `, ${r.reopened} re-opened` : '';
  return (
    `${r.added} new sessions, ${r.updated} updated, ${r.unchanged} already here${copies}${reopened}; ` +
    `${r.fieldsAdded} images added, ${r.reviewsUpdated} reviews updated.`
  );
}
