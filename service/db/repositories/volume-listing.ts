/** The volume list query: Cinder's filters, sort keys and page size, all run in SQL. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AttachmentsTable, Database, VolumesTable } from '../tables.js';
import { countRows, keysetPage, type KeysetColumns, type KeysetPage, type KeysetRequest } from '../keyset/keyset-page.js';
import { metadataMatches } from '../keyset/metadata-filter.js';

/** A time comparison (`created_at=gt:2024-...`, 3.60). */
export interface TimeComparison {
  readonly key: 'created_at' | 'updated_at';
  readonly op: '>' | '>=' | '<' | '<=' | '=' | '!=';
  readonly value: string;
}

/** Which volumes a list returns; every given field must match. */
export interface VolumeFilter {
  /** Undefined: every project's (administrators with all_tenants). */
  readonly projectId?: string | undefined;
  readonly status?: string | undefined;
  readonly availabilityZone?: string | undefined;
  readonly name?: string | undefined;
  /** Substring of the name (`name~`). */
  readonly nameContains?: string | undefined;
  readonly bootable?: boolean | undefined;
  readonly size?: number | undefined;
  /** `null` matches volumes never migrated. */
  readonly migrationStatus?: string | null | undefined;
  /** Volumes of this generic group (3.10). */
  readonly groupId?: string | undefined;
  /** A filter no volume can match here (consumes_quota=false). */
  readonly matchesNothing?: boolean;
  readonly times?: readonly TimeComparison[];
  /** User metadata that must match, key by key. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** A sort key and direction. */
export interface VolumeSort {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

/** The volume sort keys that may be NULL (see KeysetColumns). */
export const VOLUME_COLUMNS: KeysetColumns = { nullable: new Set(['name', 'updated_at', 'volume_type_id', 'migration_status', 'host']) };

type VolumeQuery = SelectQueryBuilder<Database, 'volumes', VolumesTable>;

/** The filtered volume rows, as a query without order or limit. */
function matching(db: Kysely<Database>, f: VolumeFilter): VolumeQuery {
  let q = db.selectFrom('volumes').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.availabilityZone !== undefined) q = q.where('availability_zone', '=', f.availabilityZone);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.nameContains !== undefined) q = q.where('name', 'like', `%${f.nameContains.replace(/[%_]/g, '')}%`);
  if (f.bootable !== undefined) q = q.where('bootable', '=', f.bootable ? 1 : 0);
  if (f.size !== undefined) q = q.where('size', '=', f.size);
  if (f.migrationStatus !== undefined) q = f.migrationStatus === null ? q.where('migration_status', 'is', null) : q.where('migration_status', '=', f.migrationStatus);
  if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
  if (f.matchesNothing) q = q.where('id', 'is', null);
  for (const t of f.times ?? []) q = q.where(t.key, t.op, t.value);
  const meta = f.metadata ? metadataMatches(db, 'metadata', f.metadata) : undefined;
  if (meta) q = q.where(meta);
  return q;
}

/** Every volume matching the filter, unordered (summaries). */
export function findVolumes(db: Kysely<Database>, f: VolumeFilter): Promise<VolumesTable[]> {
  return matching(db, f).execute();
}

/**
 * One page of the volumes matching the filter, after the marker in the given order (see
 * keysetPage); undefined when the marker is not among them.
 */
export function volumePage(db: Kysely<Database>, f: VolumeFilter, page: KeysetRequest): Promise<KeysetPage<VolumesTable> | undefined> {
  return keysetPage(db, matching(db, f), page, VOLUME_COLUMNS);
}

/** How many volumes match the filter (`with_count`). */
export function countVolumes(db: Kysely<Database>, f: VolumeFilter): Promise<number> {
  return countRows(matching(db, f));
}

/** The attachments of these volumes, by volume id. */
export async function attachmentsByVolume(db: Kysely<Database>, volumeIds: readonly string[]): Promise<Map<string, AttachmentsTable[]>> {
  const map = new Map<string, AttachmentsTable[]>();
  if (volumeIds.length === 0) return map;
  for (const a of await db.selectFrom('attachments').selectAll().where('volume_id', 'in', [...volumeIds]).execute()) {
    (map.get(a.volume_id) ?? map.set(a.volume_id, []).get(a.volume_id)!).push(a);
  }
  return map;
}
