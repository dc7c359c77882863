import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of a better-sqlite3 `Database` the cache needs. */
interface PreparingDatabase {
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/**
 * Wraps a better-sqlite3 database so kysely reuses prepared statements. Kysely's SQLite
 * driver prepares every statement anew; preparing costs about as much as running a small
 * query, and the service sends the same few dozen statements over and over. Reuse is safe
 * because better-sqlite3 runs a statement to completion synchronously (`all`/`run`), and
 * the service never streams. The cache is bounded: statements whose text varies (an `in`
 * list of a given length) cannot grow it without limit.
 */
export function cachingStatements(db: PreparingDatabase, maxEntries = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}
