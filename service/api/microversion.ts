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

/**
 * Cinder's form of a version: `X.Y`, both decimal without leading zeros (`3.05`, `03.5`,
 * `3.5.1`, `3` and surrounding text are malformed).
 */
const VERSION_FORM = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** Parses `X.Y`. @throws BAD_REQUEST when malformed. */
export function parseVersion(text: string): ApiVersion {
  const m = VERSION_FORM.exec(text);
  if (!m) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid microversion ${JSON.stringify(text)}: expected X.Y or latest.` } });
  return { major: Number(m[1]), minor: Number(m[2]), text: `${Number(m[1])}.${Number(m[2])}` as Microversion };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function cmp(a: ApiVersion, b: ApiVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

const MIN = parseVersion(MIN_VERSION);
const MAX = parseVersion(MAX_VERSION);
// Parsed microversion literals: the keys are the constants written in route specs and
// views (a few dozen), the values never change, so unlike the response cache and the
// validators this memo holds no app's state and is safely shared by the process.
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
 * The version `OpenStack-API-Version` asks of the volume service: each comma-separated
 * entry is `<service type> <version>`; the last `volume` entry wins and other services'
 * entries are ignored, as microversion_parse reads it. An entry without a service type
 * (`3.5`) is rejected: Cinder silently serves 3.0 for it, which hides the client's mistake.
 *
 * @throws BAD_REQUEST for an entry that is not `<service type> <version>`.
 */
function requestedInStandardHeader(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  let requested: string | undefined;
  for (const entry of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const space = trimmed.search(/\s/);
    if (space < 0) {
      throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid OpenStack-API-Version entry ${JSON.stringify(trimmed)}: expected "volume X.Y" (service type, then version).` } });
    }
    if (trimmed.slice(0, space).toLowerCase() === 'volume') requested = trimmed.slice(space).trim();
  }
  return requested;
}

/**
 * The microversion a request asks for: `OpenStack-API-Version: volume X.Y`, else the
 * legacy `X-OpenStack-Volume-API-Version`, else the minimum. `latest` (lower case, as in
 * Cinder) means the maximum.
 *
 * @throws VERSION_NOT_ACCEPTABLE (406) outside 3.0–3.70; BAD_REQUEST when malformed.
 */
export function negotiateVersion(headers: Readonly<Record<string, string | string[] | undefined>>): ApiVersion {
  let requested = requestedInStandardHeader(headers['openstack-api-version']);
  if (requested === undefined) {
    const legacy = headers['x-openstack-volume-api-version'];
    requested = (Array.isArray(legacy) ? legacy.join(',') : legacy)?.split(',').at(-1)?.trim();
  }
  if (requested === undefined || requested === '') return MIN;
  if (requested === 'latest') return MAX;
  const v = parseVersion(requested);
  if (cmp(v, MIN) < 0 || cmp(v, MAX) > 0) {
    throw new AshlarError('VERSION_NOT_ACCEPTABLE', { details: { version: v.text, min: MIN_VERSION, max: MAX_VERSION } });
  }
  return v;
}

/** The lowest served version, for requests that failed before negotiation. */
export const MIN_API_VERSION = MIN;
