import { AshlarError } from '../errors/ashlar-error.js';

/** The pattern every id the core passes to a driver matches (common.schema.json ResourceId). */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** True when `id` is a safe resource id: no separators, no shell metacharacters, no NUL, ≤ 64 chars. */
export function isValidResourceId(id: unknown): id is string {
  return typeof id === 'string' && RESOURCE_ID_PATTERN.test(id);
}

/**
 * Throws INVALID_ARGUMENT unless `id` is a safe resource id. Drivers call it on every id
 * before it reaches a backend, even though the runtime wrapper checks too: a driver may be
 * driven without the wrapper (conformance does so on purpose).
 *
 * @throws INVALID_ARGUMENT for anything but a safe id.
 */
export function assertValidResourceId(id: unknown, what = 'id'): asserts id is string {
  if (!isValidResourceId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id) : typeof id;
    throw new AshlarError('INVALID_ARGUMENT', {
      details: { reason: `${what} ${shown} is not a valid resource id (1-64 of A-Z a-z 0-9 _ . -, starting alphanumeric)`, field: what },
    });
  }
}

/** Throws INVALID_ARGUMENT unless `size` is a whole number of GiB ≥ 1. */
export function assertValidSize(size: unknown, what = 'sizeGiB'): asserts size is number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 1048576) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `${what} must be a whole number of GiB from 1 to 1048576, got ${String(size)}`, field: what } });
  }
}
