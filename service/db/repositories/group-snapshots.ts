/** Queries on group snapshots and their member snapshots. */
import type { Kysely } from 'kysely';
import type { GroupSnapshotsTable } from '../area-tables.js';
import type { Database, SnapshotsTable } from '../tables.js';

type Db = Kysely<Database>;

/** A group snapshot by id. */
export function findGroupSnapshot(db: Db, id: string): Promise<GroupSnapshotsTable | undefined> {
  return db.selectFrom('group_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which group snapshots a list returns. */
export interface GroupSnapshotFilter {
  /** Undefined: every project's (administrators with all_tenants). */
  readonly projectId?: string | undefined;
  readonly groupId?: string | undefined;
  readonly status?: string | undefined;
  readonly name?: string | undefined;
}

/** Group snapshots matching the filter, in the given order. */
export function findGroupSnapshots(db: Db, f: GroupSnapshotFilter, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<GroupSnapshotsTable[]> {
  let q = db.selectFrom('group_snapshots').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Records a group snapshot. */
export async function insertGroupSnapshot(db: Db, row: GroupSnapshotsTable): Promise<void> {
  await db.insertInto('group_snapshots').values(row).execute();
}

/** Removes a group snapshot row. */
export async function removeGroupSnapshotRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('group_snapshots').where('id', '=', id).execute();
}

/** The snapshots taken for a group snapshot. */
export function snapshotsOfGroupSnapshot(db: Db, groupSnapshotId: string): Promise<SnapshotsTable[]> {
  return db.selectFrom('snapshots').selectAll().where('group_snapshot_id', '=', groupSnapshotId).orderBy('created_at').execute();
}
