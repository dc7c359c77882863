import type { Kysely, MigrationResultSet } from 'kysely';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { DataGeneration } from './generation.js';
import { kysely } from './kysely-runtime.js';
import { MIGRATIONS } from './migrations/index.js';
import { cachingStatements } from './statement-cache.js';
import type { Database } from './tables.js';

/** Where the service keeps its state. */
export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly busyTimeoutMs?: number }
  | { readonly kind: 'postgresql'; readonly url: string; readonly poolSize?: number };

/** An open database and how to close it. */
export interface ServiceDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseConfig['kind'];
  /**
   * Changes whenever the data may have changed (SQLite only: other processes' commits are
   * seen through `PRAGMA data_version`). Absent for PostgreSQL, whose other connections'
   * commits this process cannot observe cheaply, so nothing is cached there.
   */
  readonly generation: DataGeneration | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database and brings its schema to the newest migration. SQLite runs in WAL
 * mode with a busy timeout, so readers never block the writer and a second process
 * (an API-only and a volume-only role on one state dir) waits instead of failing with
 * "database is locked".
 */
export async function openDatabase(config: DatabaseConfig): Promise<ServiceDatabase> {
  let db: Kysely<Database>;
  let generation: DataGeneration | undefined;
  if (config.kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const sqlite = new SQLite(config.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${config.busyTimeoutMs ?? 10_000}`);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
    generation = new DataGeneration(() => dataVersion.get() as number);
    db = new kysely.Kysely<Database>({ dialect: new kysely.SqliteDialect({ database: cachingStatements(sqlite) }), plugins: [generation] });
  } else {
    const pg = await import('pg');
    const Pool = (pg.default ?? pg).Pool;
    db = new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool: new Pool({ connectionString: config.url, max: config.poolSize ?? 10 }) }) });
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, kind: config.kind, generation, close: () => db.destroy() };
}

/** Applies pending migrations. @throws CONFIG_INVALID naming the failed migration. */
export async function migrate(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new kysely.Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: 'ashlar_migrations',
    migrationLockTableName: 'ashlar_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AshlarError('CONFIG_INVALID', { details: { reason: `[database] migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}` }, cause: result.error });
  }
  return result;
}
