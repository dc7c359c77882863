import { badRequest, CODES } from './errors.js';

/** A REST record as JSON. */
export type Rec = Record<string, unknown>;

/** Query parameters that steer the request instead of filtering records. */
const CONTROL_KEYS = new Set(['fields', 'return_records', 'max_records', 'return_timeout', 'order_by', 'allow_delete_while_mapped', 'start.index']);

/**
 * Turns ONTAP's dotted body keys (`{"space.size": 1}`, as Cinder's REST client sends)
 * into nested objects, merged with any nested keys given alongside.
 */
export function expandDotted(body: Rec): Rec {
  const out: Rec = {};
  for (const [key, value] of Object.entries(body)) {
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) {
      const next = at[p];
      at = (typeof next === 'object' && next !== null ? next : (at[p] = {})) as Rec;
    }
    const last = parts.at(-1)!;
    const v = typeof value === 'object' && value !== null && !Array.isArray(value) ? expandDotted(value as Rec) : value;
    at[last] = typeof at[last] === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(at[last] as Rec), ...(v as Rec) } : v;
  }
  return out;
}

/** The values at a dotted path; arrays fan out (so `initiators.name` matches any initiator). */
export function valuesAt(rec: unknown, dotted: string): unknown[] {
  let current: unknown[] = [rec];
  for (const part of dotted.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      const items = Array.isArray(c) ? c : [c];
      for (const item of items) {
        if (typeof item === 'object' && item !== null && part in item) next.push((item as Rec)[part]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** ONTAP query syntax subset: `a|b` alternatives, `*` wildcards, `!value` negation. */
export function matchesQuery(rec: Rec, query: URLSearchParams): boolean {
  for (const [key, raw] of query) {
    if (CONTROL_KEYS.has(key)) continue;
    const values = valuesAt(rec, key).map(String);
    const negate = raw.startsWith('!');
    const alternatives = (negate ? raw.slice(1) : raw).split('|');
    const hit = alternatives.some((alt) => values.some((v) => wildcard(alt).test(v)));
    if (hit === negate) return false;
  }
  return true;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * Keeps the fields a collection GET asked for: the record's keys plus `fields=a,b.c`
 * (`*` or `**`: everything), as ONTAP returns only key fields unless asked.
 */
export function project(rec: Rec, keys: readonly string[], fields: string | null): Rec {
  if (fields !== null && fields.split(',').some((f) => f === '*' || f === '**')) return rec;
  const wanted = [...keys, ...(fields === null ? [] : fields.split(',').filter((f) => f !== ''))];
  const out: Rec = {};
  for (const f of wanted) copyPath(rec, out, f.split('.'));
  return out;
}

function copyPath(from: Rec, to: Rec, parts: readonly string[]): void {
  const [head, ...rest] = parts;
  if (head === undefined || !(head in from)) return;
  const v = from[head];
  if (rest.length === 0 || typeof v !== 'object' || v === null || Array.isArray(v)) {
    to[head] = v;
    return;
  }
  const sub = (typeof to[head] === 'object' && to[head] !== null ? to[head] : (to[head] = {})) as Rec;
  copyPath(v as Rec, sub, rest);
}

/** A collection response with `max_records` paging and an opaque `next` link. */
export function collection(records: readonly Rec[], query: URLSearchParams, basePath: string): Rec {
  const max = query.get('max_records');
  const limit = max === null ? Infinity : Number(max);
  if (!(limit >= 1)) throw badRequest(CODES.invalidField, `invalid value for max_records: ${max}`, 'max_records');
  const start = Number(query.get('start.index') ?? '0');
  const page = records.slice(start, start + limit);
  const links: Rec = { self: { href: `${basePath}?${query.toString()}` } };
  if (start + page.length < records.length) {
    const next = new URLSearchParams(query);
    next.set('start.index', String(start + page.length));
    links.next = { href: `${basePath}?${next.toString()}` };
  }
  return { records: page, num_records: page.length, _links: links };
}

/** Reads a required string field. */
export function requireString(body: Rec, dotted: string): string {
  const [v] = valuesAt(body, dotted);
  if (typeof v !== 'string' || v === '') throw badRequest(CODES.missingField, `Missing value for field "${dotted}"`, dotted);
  return v;
}

/** Reads a byte size (number or numeric string, as Cinder's client sends strings). */
export function readSize(value: unknown, field: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw badRequest(CODES.invalidField, `invalid value for ${field}`, field);
  return n;
}
