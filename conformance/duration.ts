import { AshlarError } from '../core/errors/ashlar-error.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `500ms`, `30s`, `2m`, `1h`, `1m30s` or a bare number of seconds into milliseconds.
 *
 * @throws INVALID_ARGUMENT for anything else.
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `"${text}" is not a duration (examples: 45s, 2m, 1m30s, 500ms)` } });
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0);
}
