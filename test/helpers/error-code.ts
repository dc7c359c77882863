import { isAshlarError } from '../../core/errors/index.js';

/**
 * Awaits `p` and returns the error code it rejected with, `undefined` when it resolved, or
 * `uncoded: ...` for a rejection that is not an Ashlar error — so assertions compare codes.
 */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return isAshlarError(err) ? err.code : `uncoded: ${String(err)}`;
  }
}
