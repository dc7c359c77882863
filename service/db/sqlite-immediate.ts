import type { CompiledQuery as CompiledQueryType, DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import { kysely } from './kysely-runtime.js';

/**
 * kysely's SQLite dialect with every transaction started as `BEGIN IMMEDIATE`.
 *
 * kysely starts transactions with a plain (deferred) `BEGIN`: the transaction reads under a
 * snapshot and asks for the write lock only at its first write. When another process (a
 * second `ashlar serve` role on the same state directory) committed in between, SQLite
 * cannot upgrade the stale snapshot and fails at once with SQLITE_BUSY_SNAPSHOT — the busy
 * timeout does not apply, so the request answered 500. Taking the write lock at `BEGIN`
 * makes a concurrent writer wait for the busy timeout instead, and a transaction that
 * counts rows and then inserts (quotas) sees the rows every other process committed.
 * Plain statements outside transactions are unchanged.
 */
export function immediateSqliteDialect(config: SqliteDialectConfig): InstanceType<typeof kysely.SqliteDialect> {
  const begin: CompiledQueryType = kysely.CompiledQuery.raw('begin immediate');
  class ImmediateDriver extends kysely.SqliteDriver {
    override async beginTransaction(connection: DatabaseConnection): Promise<void> {
      await connection.executeQuery(begin);
    }
  }
  class ImmediateDialect extends kysely.SqliteDialect {
    override createDriver(): Driver {
      return new ImmediateDriver(config);
    }
  }
  return new ImmediateDialect(config);
}
