/**
 * The one user-facing error type: an error whose message is written for the person using the app
 * (shown as is), with a `kind` saying what went wrong. Code that decides what to do with an error
 * checks `isUserFacingError(err, kind…)`, never a class or an `err.name` string.
 *
 * The named subclasses (ImageRejectedError, NoCellsFoundError, StorageFullError, …) only build a
 * UserFacingError of their kind with its fixed or given message; they add nothing else.
 */
export type UserFacingErrorKind =
  /** An image file refused before or while decoding (format, size, damaged). */
  | 'image-rejected'
  /** A field photo in which detection found no red cell. */
  | 'no-cells'
  /** The device storage is full: nothing more can be saved. */
  | 'storage-full'
  /** The records database cannot be used (closed, or upgraded by another tab). */
  | 'records-unavailable'
  /** A records archive that cannot be imported. */
  | 'archive'
  /** Stored evidence (review crop, where map) that is malformed. */
  | 'evidence'
  /** A review decision that cannot be applied. */
  | 'review'
  /** A blood count (RBC, haematocrit) out of range. */
  | 'blood-count'
  /** A field result (import, old record) that is malformed. */
  | 'field-result'
  /** A model file the app cannot run (a layer or setting it does not implement, weights that do not fit). */
  | 'model';

export class UserFacingError extends Error {
  override name = 'UserFacingError';
  readonly kind: UserFacingErrorKind;
  constructor(kind: UserFacingErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** True for a UserFacingError (of one of `kinds`, when given). */
export function isUserFacingError(err: unknown, ...kinds: readonly UserFacingErrorKind[]): err is UserFacingError {
  return err instanceof UserFacingError && (kinds.length === 0 || kinds.includes(err.kind));
}
