import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Microversion } from './route-doc.js';

/** Oldest microversion served. */
export const MIN_VERSION: Microversion = '3.0';
/** Newest microversion served (what cinderclient 9.1 speaks). */
export const MAX_VERSION: Microversion = '3.70';

/** A parsed microversion; compare with {@link cmp}. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
  readonly text: Microversion;
}

/** Parses `X.Y`. @throws BAD_REQUEST when malformed. */
export function parseVersion(text: string): ApiVersion {
  const m = /^(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid microversion "${text}": expected X.Y or latest.` } });
  return { major: Number(m[1]), minor: Number(m[2]), text: `${Number(m[1])}.${Number(m[2])}` as Microversion };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function cmp(a: ApiVersion, b: ApiVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

const MIN = parseVersion(MIN_VERSION);
const MAX = parseVersion(MAX_VERSION);
const parsedCache = new Map<string, ApiVersion>();

/** `v >= text` for a literal microversion. */
export function atLeast(v: ApiVersion, text: Microversion): boolean {
  let p = parsedCache.get(text);
  if (!p) {
    p = parseVersion(text);
    parsedCache.set(text, p);
  }
  return cmp(v, p) >= 0;
}

/** True when `v` lies in `[min, max]` (either bound may be absent). */
export function inRange(v: ApiVersion, min: Microversion | undefined, max: Microversion | undefined): boolean {
  return (min === undefined || atLeast(v, min)) && (max === undefined || !atLeast(v, nextAfter(max)));
}

function nextAfter(text: Microversion): Microversion {
  const p = parseVersion(text);
  return `${p.major}.${p.minor + 1}` as Microversion;
}

/**
 * The microversion a request asks for: `OpenStack-API-Version: volume X.Y` (other services
 * in the same header are ignored), else the legacy `X-OpenStack-Volume-API-Version`, else
 * the minimum. `latest` means the maximum.
 *
 * @throws VERSION_NOT_ACCEPTABLE (406) outside 3.0–3.70; BAD_REQUEST when malformed.
 */
export function negotiateVersion(headers: Readonly<Record<string, string | string[] | undefined>>): ApiVersion {
  let requested: string | undefined;
  const modern = headers['openstack-api-version'];
  for (const part of (Array.isArray(modern) ? modern.join(',') : modern ?? '').split(',')) {
    const m = /^\s*volume\s+(\S+)\s*$/i.exec(part);
    if (m) requested = m[1];
  }
  if (requested === undefined) {
    const legacy = headers['x-openstack-volume-api-version'];
    requested = Array.isArray(legacy) ? legacy[0] : legacy;
  }
  if (requested === undefined || requested === '') return MIN;
  if (requested.toLowerCase() === 'latest') return MAX;
  const v = parseVersion(requested);
  if (cmp(v, MIN) < 0 || cmp(v, MAX) > 0) {
    throw new AshlarError('VERSION_NOT_ACCEPTABLE', { details: { version: v.text, min: MIN_VERSION, max: MAX_VERSION } });
  }
  return v;
}

/** The lowest served version, for requests that failed before negotiation. */
export const MIN_API_VERSION = MIN;
