/** Queries on QoS specs and their associations with volume types. */
import type { Kysely } from 'kysely';
import type { QosSpecsTable } from '../area-tables.js';
import type { Database, VolumeTypesTable } from '../tables.js';

type Db = Kysely<Database>;

/** A QoS specs row by id. */
export function findQos(db: Db, id: string): Promise<QosSpecsTable | undefined> {
  return db.selectFrom('qos_specs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when some QoS specs carry this name. */
export async function qosNameTaken(db: Db, name: string): Promise<boolean> {
  return (await db.selectFrom('qos_specs').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
}

/** Every QoS specs row, in the given order. */
export function listQos(db: Db, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<QosSpecsTable[]> {
  let q = db.selectFrom('qos_specs').selectAll();
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Records new QoS specs. */
export async function insertQos(db: Db, row: QosSpecsTable): Promise<void> {
  await db.insertInto('qos_specs').values(row).execute();
}

/** Replaces the specs map of a row. */
export async function setQosSpecs(db: Db, id: string, specs: Readonly<Record<string, string>>): Promise<void> {
  await db.updateTable('qos_specs').set({ specs: JSON.stringify(specs) }).where('id', '=', id).execute();
}

/** Removes a row (its associations must be gone). */
export async function removeQos(db: Db, id: string): Promise<void> {
  await db.deleteFrom('qos_specs').where('id', '=', id).execute();
}

/** The volume types associated with the specs. */
export function typesWithQos(db: Db, qosId: string): Promise<Pick<VolumeTypesTable, 'id' | 'name'>[]> {
  return db.selectFrom('volume_types').select(['id', 'name']).where('qos_specs_id', '=', qosId).orderBy('name').execute();
}

/** Points a volume type at the specs, or at none. */
export async function setTypeQos(db: Db, typeId: string, qosId: string | null): Promise<void> {
  await db.updateTable('volume_types').set({ qos_specs_id: qosId }).where('id', '=', typeId).execute();
}

/** Detaches every volume type from the specs. */
export async function clearQosFromTypes(db: Db, qosId: string): Promise<void> {
  await db.updateTable('volume_types').set({ qos_specs_id: null }).where('qos_specs_id', '=', qosId).execute();
}
