/**
 * Returns `err` with every occurrence of `secret` in its message and stack replaced by
 * `***`. Database clients do not put passwords in their messages today, but a URL echoed
 * by a future client version or a wrapped cause must not put one in a log line or an API
 * fault either. Short secrets are left alone: masking a one-letter password would mangle
 * every message.
 */
export function scrubSecret<T>(err: T, secret: string | undefined): T {
  if (secret === undefined || secret.length < 4 || !(err instanceof Error)) return err;
  const masked = (s: string | undefined): string | undefined => s?.split(secret).join('***');
  err.message = masked(err.message)!;
  if (err.stack !== undefined) err.stack = masked(err.stack)!;
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== err) scrubSecret(cause, secret);
  return err;
}
