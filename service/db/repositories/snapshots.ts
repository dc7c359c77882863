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

/** Which snapshots a list returns; every given field must match. */
export interface SnapshotFilter {
  /** Undefined: every project's. */
  readonly projectId?: string | undefined;
  readonly status?: string | undefined;
  readonly volumeId?: string | undefined;
  readonly name?: string | undefined;
}

/** Snapshots matching the filter, sorted. */
export function findSnapshots(db: Db, f: SnapshotFilter, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<SnapshotsTable[]> {
  let q = db.selectFrom('snapshots').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.volumeId !== undefined) q = q.where('volume_id', '=', f.volumeId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Writes columns of a snapshot that no state machine drives (name, description, metadata). */
export async function updateSnapshotFields(db: Db, id: string, set: Partial<Pick<SnapshotsTable, 'name' | 'description' | 'metadata' | 'updated_at'>>): Promise<void> {
  await db.updateTable('snapshots').set(set).where('id', '=', id).execute();
}
