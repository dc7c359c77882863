import type { Kysely } from 'kysely';
import { DataGeneration } from './generation.js';
import { kysely } from './kysely-runtime.js';
import { cachingStatements } from './statement-cache.js';
import { immediateSqliteDialect } from './sqlite-immediate.js';
import type { SqliteConfig } from './database-config.js';
import type { Database } from './tables.js';

/**
 * Opens an SQLite file in WAL mode with a busy timeout, so readers never block the writer
 * and a second process (an API-only and a volume-only role on one state dir) waits
 * instead of failing with "database is locked"; transactions take the write lock when they
 * begin (see immediateSqliteDialect), so a stale snapshot never fails them. Its data generation also follows other
 * processes' commits through `PRAGMA data_version`.
 */
export async function openSqlite(config: SqliteConfig): Promise<{ db: Kysely<Database>; generation: DataGeneration }> {
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(config.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${config.busyTimeoutMs ?? 10_000}`);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const generation = new DataGeneration(() => dataVersion.get() as number);
  const db = new kysely.Kysely<Database>({ dialect: immediateSqliteDialect({ database: cachingStatements(sqlite) }), plugins: [generation] });
  return { db, generation };
}
