/**
 * Physical bounds of every number a record may hold. The archive import refuses anything outside
 * them (archive.ts), exports leave out a stored record outside them and say so (integrity.ts), and
 * the screens never show a time they cannot format ("Invalid Date").
 *
 *  - times (created, updated, ended, added, decided, reviewed): 1 Jan 2000 – now + 1 day (epoch ms);
 *  - counts: whole numbers 0 – 10,000,000;
 *  - target red cells: whole number 1 – 1,000,000 (what the session screen accepts);
 *  - probabilities: 0 – 1;
 *  - blood count: the plausible range of src/core/slide/parasitaemia.ts (RBC 10⁵–10⁷ /µL, Hct 1–80 %);
 *  - analysed (upright) image: 1 – 12,000 px a side, ≤ 50 MP (image-format.ts refuses larger files);
 *  - stored copy of the image: 1 – 1,024 px a side (stored-image.ts never stores larger);
 *  - cell centres within the image; boxes of positive size that overlap the image.
 */
import { DEFAULT_SIZE_LIMITS } from '../decode/image-format.js';
import { STORED_FIELD_MAX_SIDE } from './image-sizes.js';

/** 2000-01-01T00:00:00Z: nothing this app recorded can be older. */
export const EARLIEST_RECORD_TIME = Date.UTC(2000, 0, 1);
/** Clocks of two devices differ: a day of slack into the future. */
export const FUTURE_SLACK_MS = 86_400_000;
export const MAX_COUNT = 10_000_000;
export const MIN_TARGET_RED_CELLS = 1;
export const MAX_TARGET_RED_CELLS = 1_000_000;
export const MAX_IMAGE_SIDE = DEFAULT_SIZE_LIMITS.maxSide;
export const MAX_IMAGE_PIXELS = DEFAULT_SIZE_LIMITS.maxPixels;
export const MAX_STORED_IMAGE_SIDE = STORED_FIELD_MAX_SIDE;
/** Images per session and cells per image (a 50 MP field holds a few thousand cells). */
export const MAX_FIELDS_PER_SESSION = 100_000;
export const MAX_CELLS_PER_IMAGE = 100_000;

export function latestRecordTime(now: number): number {
  return now + FUTURE_SLACK_MS;
}

/** A time a record may hold: finite epoch ms between 2000 and now + 1 day. */
export function isRecordTime(t: unknown, now = Date.now()): t is number {
  return typeof t === 'number' && Number.isFinite(t) && t >= EARLIEST_RECORD_TIME && t <= latestRecordTime(now);
}

export function isCount(n: unknown, max = MAX_COUNT): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
}

export function isTarget(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_TARGET_RED_CELLS && n <= MAX_TARGET_RED_CELLS;
}

export function isProbability(p: unknown): p is number {
  return typeof p === 'number' && Number.isFinite(p) && p >= 0 && p <= 1;
}

/** The range in words, for messages. */
export function timeRangeText(now = Date.now()): string {
  return `between 2000-01-01 and ${new Date(latestRecordTime(now)).toISOString().slice(0, 10)}`;
}

/**
 * A stored time for the screen: the locale date and time, or "date unknown" for a value no clock
 * could have written (never "Invalid Date").
 */
export function formatRecordTime(t: unknown, style: 'date' | 'datetime' = 'datetime', now = Date.now()): string {
  if (!isRecordTime(t, now)) return 'date unknown';
  const d = new Date(t);
  return style === 'date' ? d.toLocaleDateString() : d.toLocaleString();
}

/** Why this device's clock cannot date a record, or null when it can. */
export function clockProblem(now: number): string | null {
  if (Number.isFinite(now) && now >= EARLIEST_RECORD_TIME) return null;
  const shown = Number.isFinite(now) ? new Date(now).toISOString().slice(0, 10) : String(now);
  return `This device's clock says ${shown}. Set the correct date and time, then try again (records need the right date).`;
}
