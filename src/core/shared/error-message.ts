/** The message of anything thrown (an Error's message, else its string form), for user-facing text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Everything known about anything thrown (an Error's stack, else its message or string form), for logs. */
export function errorDetail(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
