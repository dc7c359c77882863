/**
 * Errors in keys a backend inherits from `[backend_defaults]` name that section: the
 * operator must fix the key where it is written, not look for it in the backend's own
 * section.
 */
import { AshlarError, hasErrorCode } from '../../core/errors/ashlar-error.js';

/** The section `[backend_defaults]` (duplicated here to keep this module free of service-config). */
const DEFAULTS = 'backend_defaults';

/**
 * Re-attributes a CONFIG_INVALID about one of `inherited` (keys the backend `section` took
 * from `[backend_defaults]` and did not override) to `[backend_defaults]`; anything else is
 * returned unchanged.
 */
export function attributeInherited(err: unknown, section: string, inherited: readonly string[]): unknown {
  if (!hasErrorCode(err, 'CONFIG_INVALID')) return err;
  const details = (err.details ?? {}) as { reason?: string; key?: string };
  const reason = details.reason ?? '';
  const key = details.key ?? inherited.find((k) => reason.includes(`[${section}] ${k}`) || reason.includes(`"${k}"`));
  if (key === undefined || !inherited.includes(key)) return err;
  return new AshlarError('CONFIG_INVALID', {
    details: { ...details, reason: reason.replaceAll(`[${section}]`, `[${DEFAULTS}] (inherited by [${section}])`), section: DEFAULTS, key },
    suggestions: [...((err as { suggestions?: readonly string[] }).suggestions ?? [])],
    cause: err,
  });
}
