/**
 * Keyset pagination in SQL, for every list the API serves.
 *
 * A page after a marker is `WHERE <rows sorting after the marker row> ORDER BY <keys>
 * LIMIT n+1`: its cost depends on the page size, not on how many rows precede it, so
 * walking a project of a million volumes costs the same per page as walking one of a
 * thousand (OFFSET or slicing in JavaScript would make the walk quadratic).
 *
 * How a repository adopts it (backups, groups and transfers as they land):
 *
 * ```ts
 * const q = db.selectFrom('backups').selectAll().where('project_id', '=', projectId); // filters only
 * const page = await keysetPage(db, q, { sort, limit, marker }, BACKUP_COLUMNS);
 * if (page === undefined) throw markerNotFound;   // the marker is not among the matching rows
 * const count = withCount ? await countRows(q) : undefined;
 * ```
 *
 * with `BACKUP_COLUMNS = { nullable: new Set(['name', 'updated_at']) }` naming the sort
 * keys that may hold NULL, and an index per served order (`project_id`, the sort keys,
 * `id`) in a migration.
 */
import type { Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import { kysely } from '../kysely-runtime.js';

const { sql } = kysely;

/** One sort key and its direction. */
export interface KeysetSort {
  /** A column of the listed table. */
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

/** What one page asks for. */
export interface KeysetRequest {
  /**
   * The order. The tie-breaker `id` (in the direction of the last key) is appended when
   * absent, so the order is total and a marker names one position.
   */
  readonly sort: readonly KeysetSort[];
  /** At most this many rows (0 is allowed: an empty page). */
  readonly limit: number;
  /** Id of the last row of the previous page; the page starts after it. */
  readonly marker?: string | undefined;
}

/** What the helper must know about the listed table's columns. */
export interface KeysetColumns {
  /** Sort keys that may hold NULL. NULL sorts before every value, on every database. */
  readonly nullable: ReadonlySet<string>;
  /** The unique tie-breaker column. @defaultValue "id" */
  readonly id?: string;
}

/** One page of rows and whether more follow it. */
export interface KeysetPage<R> {
  readonly rows: R[];
  readonly more: boolean;
}

// The builders are handled untyped inside: the columns are checked by the callers' tables.
type AnyQuery = SelectQueryBuilder<any, any, any>;
type Value = unknown;

/** The sort with the tie-breaker appended, as the helper runs it. */
export function totalOrder(sort: readonly KeysetSort[], id = 'id'): KeysetSort[] {
  const out = [...sort];
  if (!out.some((s) => s.key === id)) out.push({ key: id, dir: out.at(-1)?.dir ?? 'asc' });
  return out;
}

/** Rows whose `key` comes strictly after `v` in direction `dir`, NULL being the smallest value. */
function after(key: string, dir: 'asc' | 'desc', v: Value, nullable: boolean): RawBuilder<SqlBool> {
  const c = sql.ref(key);
  if (dir === 'asc') return v === null ? sql<SqlBool>`${c} is not null` : sql<SqlBool>`${c} > ${v}`;
  if (v === null) return sql<SqlBool>`1 = 0`;
  return nullable ? sql<SqlBool>`(${c} < ${v} or ${c} is null)` : sql<SqlBool>`${c} < ${v}`;
}

/** Rows whose `key` comes at or after `v` (the leading bound an index range scan can use). */
function atOrAfter(key: string, dir: 'asc' | 'desc', v: Value, nullable: boolean): RawBuilder<SqlBool> | undefined {
  const c = sql.ref(key);
  if (v === null) return dir === 'asc' ? undefined : sql<SqlBool>`${c} is null`;
  if (dir === 'asc') return sql<SqlBool>`${c} >= ${v}`;
  return nullable ? sql<SqlBool>`(${c} <= ${v} or ${c} is null)` : sql<SqlBool>`${c} <= ${v}`;
}

function same(key: string, v: Value): RawBuilder<SqlBool> {
  return v === null ? sql<SqlBool>`${sql.ref(key)} is null` : sql<SqlBool>`${sql.ref(key)} = ${v}`;
}

/**
 * The rows after `marker` in `order`: `k1 after m1 OR (k1 = m1 AND k2 after m2) OR ...`,
 * with the first key's bound repeated outside the OR so the database can start an index
 * range scan there.
 */
export function afterMarker(order: readonly KeysetSort[], marker: Readonly<Record<string, Value>>, columns: KeysetColumns): RawBuilder<SqlBool> {
  const branches: RawBuilder<SqlBool>[] = [];
  for (let i = 0; i < order.length; i++) {
    const parts = order.slice(0, i).map((s) => same(s.key, marker[s.key] ?? null));
    const s = order[i]!;
    parts.push(after(s.key, s.dir, marker[s.key] ?? null, columns.nullable.has(s.key)));
    branches.push(parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` and `)})`);
  }
  const first = order[0]!;
  const lead = atOrAfter(first.key, first.dir, marker[first.key] ?? null, columns.nullable.has(first.key));
  const or = sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
  return lead ? sql<SqlBool>`(${lead} and ${or})` : or;
}

/** True when the database sorts NULL last in ascending order (PostgreSQL) and must be told otherwise. */
function nullsSortHigh(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof kysely.PostgresAdapter;
}

/** Adds ORDER BY for `order`, NULL first in ascending order on every database (as SQLite, MariaDB and Cinder on MySQL sort). */
export function orderedBy(db: Kysely<any>, query: AnyQuery, order: readonly KeysetSort[], columns: KeysetColumns): AnyQuery {
  const explicitNulls = nullsSortHigh(db);
  let q = query;
  for (const s of order) {
    if (explicitNulls && columns.nullable.has(s.key)) {
      q = q.orderBy(sql`${sql.ref(s.key)} ${sql.raw(s.dir === 'asc' ? 'asc nulls first' : 'desc nulls last')}`);
    } else {
      q = q.orderBy(sql.ref(s.key), s.dir);
    }
  }
  return q;
}

/**
 * One page of `query` (a `selectFrom(table).selectAll()` with the list's filters as WHERE
 * clauses, and no ORDER BY or LIMIT) in the requested order, starting after the marker.
 * Two indexed queries at most: the marker row (through the same filters, so a marker the
 * caller cannot list is not found) and the page itself, `limit + 1` rows to tell whether
 * more follow.
 *
 * @returns the page, or undefined when the marker is not among the rows `query` matches.
 */
export async function keysetPage<R>(db: Kysely<any>, query: SelectQueryBuilder<any, any, R>, page: KeysetRequest, columns: KeysetColumns): Promise<KeysetPage<R> | undefined> {
  const id = columns.id ?? 'id';
  const order = totalOrder(page.sort, id);
  let q: AnyQuery = query;
  if (page.marker !== undefined) {
    const markerRow = (await (query as AnyQuery).where(sql.ref(id), '=', page.marker).executeTakeFirst()) as Record<string, Value> | undefined;
    if (markerRow === undefined) return undefined;
    q = q.where(afterMarker(order, markerRow, columns));
  }
  if (page.limit === 0) return { rows: [], more: false };
  const rows = (await orderedBy(db, q, order, columns).limit(page.limit + 1).execute()) as R[];
  const more = rows.length > page.limit;
  if (more) rows.length = page.limit;
  return { rows, more };
}

/** How many rows `query` (a filtered `selectFrom`, no ORDER BY or LIMIT) matches: one COUNT query. */
export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  const r = (await (query as AnyQuery).clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirst()) as { n: number | string | bigint } | undefined;
  return Number(r?.n ?? 0);
}
