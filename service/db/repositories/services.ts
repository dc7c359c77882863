/** Queries on the service registry (`os-services`, clusters, capabilities). */
import type { Kysely } from 'kysely';
import type { Database, ServicesTable } from '../tables.js';

type Db = Kysely<Database>;

/** What services may be selected by; every given field must match. */
export interface ServiceFilter {
  readonly binary?: string | undefined;
  readonly host?: string | undefined;
  readonly id?: number | undefined;
  readonly clusterName?: string | undefined;
  /** Only services that belong to some cluster. */
  readonly clustered?: boolean;
}

/** Services matching the filter, by id. */
export function findServices(db: Db, f: ServiceFilter = {}): Promise<ServicesTable[]> {
  let q = db.selectFrom('services').selectAll().orderBy('id');
  if (f.binary !== undefined) q = q.where('binary', '=', f.binary);
  if (f.host !== undefined) q = q.where('host', '=', f.host);
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.clusterName !== undefined) q = q.where('cluster_name', '=', f.clusterName);
  if (f.clustered) q = q.where('cluster_name', 'is not', null);
  return q.execute();
}

/** Volume services whose host or cluster is `name` (capabilities/{host}). */
export function volumeServicesNamed(db: Db, name: string): Promise<ServicesTable[]> {
  return db.selectFrom('services').selectAll().where('binary', '=', 'cinder-volume').where((eb) => eb.or([eb('host', '=', name.split('#')[0]!), eb('cluster_name', '=', name)])).execute();
}

/** Writes columns of the services with these ids. */
export async function updateServices(db: Db, ids: readonly number[], set: Partial<Pick<ServicesTable, 'disabled' | 'disabled_reason' | 'frozen'>>): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('services').set(set).where('id', 'in', [...ids]).execute();
}
