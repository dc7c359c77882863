/** Queries on snapshots. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, SnapshotsTable } from '../tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A snapshot by id, whoever owns it. */
export function findSnapshot(db: Db, id: string): Promise<SnapshotsTable | undefined> {
  return db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes a snapshot row (its data is gone). */
export async function removeSnapshotRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('snapshots').where('id', '=', id).execute();
}
