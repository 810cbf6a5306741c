/** Errors the records layer reports to the UI with a message a clinician can act on. */

export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(what: string) {
    super(
      `Storage on this device is full: ${what} was not saved. Everything saved before is safe. ` +
        'Export your records (JSON archive) and delete old sessions to free space, then try again.',
    );
  }
}

export class RecordsUnavailableError extends Error {
  override name = 'RecordsUnavailableError';
}

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** True for the quota errors browsers raise from IndexedDB writes (Chromium, Firefox, Safari). */
export function isQuotaError(err: unknown): boolean {
  if (!(err instanceof Error) && !(typeof err === 'object' && err !== null)) return false;
  const name = (err as { name?: unknown }).name;
  const message = String((err as { message?: unknown }).message ?? '');
  return (
    name === 'QuotaExceededError' ||
    name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    /quota/i.test(message)
  );
}
