import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from './database-config.js';
import { kysely } from './kysely-runtime.js';
import type { Database } from './tables.js';

/**
 * Takes the lock `name` for the rest of the transaction `trx`: a concurrent transaction
 * asking for the same name waits until this one commits or rolls back. Used where a
 * transaction counts rows and then inserts one (quotas), which READ COMMITTED alone would
 * let two transactions pass together.
 *
 * - PostgreSQL: an advisory transaction lock on the name's hash.
 * - MariaDB: its `GET_LOCK` lasts as long as the connection, not the transaction, so the
 *   lock is a row of `transaction_locks` written with `ON DUPLICATE KEY UPDATE`: the write
 *   holds the row's exclusive lock until the transaction ends, whether it inserted the
 *   row or found it there.
 * - SQLite: nothing to do; its write transactions already run one at a time.
 *
 * Must be called inside a transaction; outside one the lock would end with the statement.
 */
export async function lockUntilCommit(trx: Kysely<Database>, kind: DatabaseKind, name: string): Promise<void> {
  if (kind === 'postgresql') {
    await kysely.sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  } else if (kind === 'mariadb') {
    await trx
      .insertInto('transaction_locks')
      .values({ name: lockRowName(name) })
      .onDuplicateKeyUpdate({ name: lockRowName(name) })
      .execute();
  }
}

/** The name as a key of `transaction_locks` (255 characters at most; longer ones hashed). */
function lockRowName(name: string): string {
  return name.length <= 255 ? name : `sha256:${createHash('sha256').update(name).digest('hex')}`;
}
