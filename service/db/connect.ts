import type { Kysely, MigrationResultSet } from 'kysely';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { DatabaseConfig, DatabaseKind } from './database-config.js';
import type { DataGeneration } from './generation.js';
import { kysely } from './kysely-runtime.js';
import { migrationsFor } from './migrations/index.js';
import { openMariadb } from './open-mariadb.js';
import { openPostgresql } from './open-postgresql.js';
import { openSqlite } from './open-sqlite.js';
import { scrubSecret } from './scrub-secret.js';
import type { Database } from './tables.js';

export type { DatabaseConfig, DatabaseKind } from './database-config.js';

/** An open database and how to close it. */
export interface ServiceDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /**
   * Changes whenever the data may have changed (SQLite only: other processes' commits are
   * seen through `PRAGMA data_version`). Absent for the server databases, whose other
   * connections' commits this process cannot observe cheaply, so nothing is cached there.
   */
  readonly generation: DataGeneration | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database and brings its schema to the newest migration. An error never
 * carries the configured password (see {@link scrubSecret}).
 *
 * @throws CONFIG_INVALID naming the migration that failed.
 */
export async function openDatabase(config: DatabaseConfig): Promise<ServiceDatabase> {
  const secret = passwordOf(config);
  let db: Kysely<Database>;
  let generation: DataGeneration | undefined;
  if (config.kind === 'sqlite') ({ db, generation } = await openSqlite(config));
  else db = config.kind === 'postgresql' ? await openPostgresql(config) : await openMariadb(config);
  try {
    await migrate(db, config.kind, secret);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw scrubSecret(err, secret);
  }
  return { db, kind: config.kind, generation, close: () => db.destroy() };
}

/**
 * Applies pending migrations.
 *
 * @param secret - The connection's password, masked in the error if a message repeats it.
 * @throws CONFIG_INVALID naming the failed migration, or saying the database cannot be reached.
 */
export async function migrate(db: Kysely<Database>, kind: DatabaseKind, secret?: string): Promise<MigrationResultSet> {
  const migrations = migrationsFor(kind);
  const migrator = new kysely.Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: 'ashlar_migrations',
    migrationLockTableName: 'ashlar_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const cause = scrubSecret(result.error, secret);
    const message = String((cause as Error).message ?? cause);
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    // No failed migration: the connection itself (or the migration lock) failed.
    const reason = failed === undefined ? `[database] cannot open the ${kind} database: ${message}` : `[database] migration ${failed} failed: ${message}`;
    throw new AshlarError('CONFIG_INVALID', { details: { reason }, cause });
  }
  return result;
}

function passwordOf(config: DatabaseConfig): string | undefined {
  if (config.kind === 'mariadb') return config.password;
  if (config.kind === 'postgresql') {
    try {
      return decodeURIComponent(new URL(config.url).password) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
