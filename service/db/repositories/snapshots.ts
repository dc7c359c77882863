/** Queries on snapshots. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, SnapshotsTable } from '../tables.js';
import { countRows, keysetPage, type KeysetColumns, type KeysetPage, type KeysetRequest } from '../keyset/keyset-page.js';
import { metadataMatches } from '../keyset/metadata-filter.js';

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
  /** User metadata that must match, key by key. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** The snapshot sort keys that may be NULL. */
export const SNAPSHOT_COLUMNS: KeysetColumns = { nullable: new Set(['name', 'updated_at']) };

function matching(db: Kysely<Database>, f: SnapshotFilter) {
  let q = db.selectFrom('snapshots').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.volumeId !== undefined) q = q.where('volume_id', '=', f.volumeId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  const meta = f.metadata ? metadataMatches(db, 'metadata', f.metadata) : undefined;
  return meta ? q.where(meta) : q;
}

/** One page of the snapshots matching the filter (see keysetPage); undefined when the marker is not among them. */
export function snapshotPage(db: Kysely<Database>, f: SnapshotFilter, page: KeysetRequest): Promise<KeysetPage<SnapshotsTable> | undefined> {
  return keysetPage(db, matching(db, f), page, SNAPSHOT_COLUMNS);
}

/** How many snapshots match the filter (`with_count`). */
export function countSnapshots(db: Kysely<Database>, f: SnapshotFilter): Promise<number> {
  return countRows(matching(db, f));
}

/** Writes columns of a snapshot that no state machine drives (name, description, metadata). */
export async function updateSnapshotFields(db: Db, id: string, set: Partial<Pick<SnapshotsTable, 'name' | 'description' | 'metadata' | 'updated_at'>>): Promise<void> {
  await db.updateTable('snapshots').set(set).where('id', '=', id).execute();
}
