import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { KeysetPage } from '../db/keyset/keyset-page.js';

/** Sort keys and directions parsed from `sort=k1:asc,k2` or `sort_key`/`sort_dir`. */
export interface SortSpec {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

/** Paging parameters of a list request. */
export interface PageParams {
  readonly sort: readonly SortSpec[];
  readonly limit: number;
  readonly marker: string | undefined;
}

function first(q: Readonly<Record<string, string | string[]>>, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Reads `sort` (or the older `sort_key`/`sort_dir`), `limit` and `marker`. Sort keys must
 * be in `allowed`; the default order is newest first with the id as a tiebreaker, as in
 * Cinder.
 *
 * @throws BAD_REQUEST for an unknown sort key, a bad direction or a bad limit.
 */
export function pageParams(q: Readonly<Record<string, string | string[]>>, allowed: readonly string[], maxLimit: number): PageParams {
  const sort: SortSpec[] = [];
  const sortParam = first(q, 'sort');
  const legacyKeys = first(q, 'sort_key');
  if (sortParam !== undefined && legacyKeys !== undefined) throw new AshlarError('BAD_REQUEST', { details: { reason: "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter." } });
  const pairs: [string, string | undefined][] =
    sortParam !== undefined
      ? sortParam.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.split(':', 2) as [string, string | undefined])
      : legacyKeys !== undefined
        ? legacyKeys.split(',').map((k, i) => [k.trim(), (first(q, 'sort_dir') ?? '').split(',')[i]?.trim() || first(q, 'sort_dir')])
        : [];
  for (const [key, dir] of pairs) {
    const k = key === 'name' || key === 'display_name' ? 'name' : key;
    if (!allowed.includes(k)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid sort key ${key}; use one of ${allowed.join(', ')}.` } });
    const d = (dir ?? 'desc').toLowerCase();
    if (d !== 'asc' && d !== 'desc') throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid sort direction ${dir}.` } });
    sort.push({ key: k, dir: d });
  }
  if (sort.length === 0) sort.push({ key: 'created_at', dir: 'desc' });
  if (!sort.some((s) => s.key === 'id')) sort.push({ key: 'id', dir: sort[sort.length - 1]!.dir });
  const limitText = first(q, 'limit');
  let limit = maxLimit;
  if (limitText !== undefined) {
    const n = Number(limitText);
    if (!Number.isInteger(n) || n < 0) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid limit ${limitText}: must be a non-negative integer.` } });
    limit = Math.min(n, maxLimit);
  }
  return { sort, limit, marker: first(q, 'marker') };
}

/**
 * The page a keyset query found, or Cinder's 404 for a marker that is not among the rows
 * the caller may list.
 *
 * @throws NOT_FOUND when the repository found no such marker (it answered undefined).
 */
export function foundPage<T>(page: KeysetPage<T> | undefined, params: PageParams, resource: string): KeysetPage<T> {
  if (page === undefined) throw new AshlarError('NOT_FOUND', { details: { resource: `Marker ${resource}`, id: params.marker } });
  return page;
}

/**
 * Pages rows already loaded in memory (the marker is the id after which the page starts).
 * For the small admin and per-project collections (QoS specs, group types, groups, group
 * snapshots, transfers) that have not moved to SQL keyset paging (service/db/keyset) yet; every
 * volume-sized list pages in SQL.
 *
 * @throws NOT_FOUND when the marker is not among the rows.
 */
export function paginate<T extends { id: string }>(rows: readonly T[], page: PageParams, resource: string): { items: T[]; more: boolean } {
  let start = 0;
  if (page.marker !== undefined) {
    const i = rows.findIndex((r) => r.id === page.marker);
    if (i < 0) throw new AshlarError('NOT_FOUND', { details: { resource: `Marker ${resource}`, id: page.marker } });
    start = i + 1;
  }
  const items = rows.slice(start, start + page.limit);
  return { items, more: start + page.limit < rows.length };
}

/** The `<collection>_links` next link, when a page is full. */
export function nextLink(baseUrl: string, path: string, query: Readonly<Record<string, string | string[]>>, lastId: string | undefined, more: boolean): { href: string; rel: string }[] | undefined {
  if (!more || lastId === undefined) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'marker') params.set(k, Array.isArray(v) ? v[0]! : v);
  params.set('marker', lastId);
  return [{ href: `${baseUrl}${path}?${params.toString()}`, rel: 'next' }];
}

/** Cinder's largest offset and its database's largest integer (`DB_MAX_INT`). */
export const DB_MAX_INT = 2147483647;

/**
 * `offset` as Cinder reads it (`validate_integer(offset, 'offset', 0, DB_MAX_INT)`); the
 * query schema has already refused what is not a whole number.
 *
 * @throws BAD_REQUEST "offset must be <= 2147483647" above that.
 */
export function offsetParam(q: Readonly<Record<string, string | string[]>>): number {
  const text = first(q, 'offset');
  const offset = text === undefined ? 0 : Number(text);
  if (!Number.isInteger(offset) || offset < 0) throw new AshlarError('BAD_REQUEST', { details: { reason: 'offset must be an integer' } });
  if (offset > DB_MAX_INT) throw new AshlarError('BAD_REQUEST', { details: { reason: `offset must be <= ${DB_MAX_INT}` } });
  return offset;
}

/** Query value as a single string. */
export function queryValue(q: Readonly<Record<string, string | string[]>>, key: string): string | undefined {
  return first(q, key);
}

/**
 * Parses a metadata filter as clients send it: JSON, or the repr of a Python dict
 * (cinderclient sends `{'k': 'v'}`, which Cinder reads with `ast.literal_eval`). Only
 * flat string maps are accepted.
 *
 * @throws BAD_REQUEST when the text is not such a map.
 */
export function parseMetadataFilter(text: string): Record<string, string> {
  const fail = (): never => {
    throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid metadata filter ${text}: expected a map like {"key": "value"}.` } });
  };
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== '"' && q !== "'") return fail();
    let out = '';
    for (i++; i < text.length && text[i] !== q; i++) {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i];
    }
    if (text[i] !== q) fail();
    i++;
    return out;
  };
  const out: Record<string, string> = {};
  ws();
  if (text[i++] !== '{') fail();
  ws();
  if (text[i] === '}') i++;
  else {
    for (;;) {
      const k = str();
      ws();
      if (text[i++] !== ':') fail();
      out[k] = str();
      ws();
      const c = text[i++];
      if (c === '}') break;
      if (c !== ',') fail();
    }
  }
  ws();
  if (i !== text.length) fail();
  return out;
}

/** A time filter of Cinder 3.60: `gt:`, `gte:`, `lt:`, `lte:`, `eq:` or `neq:` and an ISO time (a bare time means eq). */
export function parseTimeFilter(text: string, key: string): { op: '>' | '>=' | '<' | '<=' | '=' | '!='; value: string } {
  const m = /^(?:(gt|gte|lt|lte|eq|neq):)?(.+)$/.exec(text);
  const t = m ? Date.parse(m[2]!.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(m[2]!) ? m[2]! : `${m[2]}Z`) : NaN;
  if (!m || Number.isNaN(t)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid ${key} filter ${text}: expected [gt|gte|lt|lte|eq|neq:]<ISO 8601 time>.` } });
  const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '!=' } as const;
  // Times are stored as Cinder prints them (no zone, microseconds), which sort as text.
  return { op: ops[(m[1] ?? 'eq') as keyof typeof ops], value: new Date(t).toISOString().replace('Z', '000') };
}
