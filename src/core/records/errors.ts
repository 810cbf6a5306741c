/** Errors the records layer reports to the UI with a message a clinician can act on. */
import { UserFacingError } from '../shared/user-facing-error.js';

export class StorageFullError extends UserFacingError {
  override name = 'StorageFullError';
  constructor(what: string) {
    super(
      'storage-full',
      `Storage on this device is full: ${what} was not saved. Everything saved before is safe. ` +
        'Export your records (JSON archive) and delete old sessions to free space, then try again.',
    );
  }
}

export class RecordsUnavailableError extends UserFacingError {
  override name = 'RecordsUnavailableError';
  constructor(message: string) {
    super('records-unavailable', message);
  }
}

/**
 * This tab's connection to the records database was closed because a newer version of the app,
 * open in another tab, upgraded it (IndexedDB `versionchange`), and reopening it failed. Nothing was
 * written by the failed call.
 */
export class RecordsUpgradedError extends RecordsUnavailableError {
  override name = 'RecordsUpgradedError';
  constructor(what: string | null) {
    const cause =
      'this tab lost its connection to the records because a newer version of the app, open in another tab, upgraded them';
    super(
      what
        ? `${what.charAt(0).toUpperCase()}${what.slice(1)} was NOT saved: ${cause}. Reload this page to continue; everything saved before is safe.`
        : `The records cannot be read: ${cause}. Reload this page to continue; everything saved before is safe.`,
    );
  }
}

export class ArchiveError extends UserFacingError {
  override name = 'ArchiveError';
  constructor(message: string) {
    super('archive', message);
  }
}

/** True for the quota errors browsers raise from IndexedDB writes (Chromium, Firefox, Safari). */
export function isQuotaError(err: unknown): boolean {
  if (!(err instanceof Error) && !(typeof err === 'object' && err !== null)) return false;
  const name = (err as { name?: unknown }).name;
  const message = String((err as { message?: unknown }).message ?? '');
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(message);
}

/** True for the error of using a connection that is closing or closed ("The database connection is closing"). */
export function isClosedConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  const message = String((err as { message?: unknown }).message ?? '');
  return name === 'InvalidStateError' && /clos/i.test(message);
}

/** True when opening failed because the database is already at a newer version. */
export function isVersionError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'VersionError';
}
