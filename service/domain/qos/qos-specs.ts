import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { QosSpecsTable } from '../../db/area-tables.js';
import { clearQosFromTypes, findQos, insertQos, qosNameTaken, removeQos, setQosSpecs, setTypeQos, typesWithQos } from '../../db/repositories/qos-specs.js';
import { findType } from '../../db/repositories/volume-types.js';
import type { Database } from '../../db/tables.js';
import { newId, now, parseMap } from '../../util.js';

/** Where QoS specs are enforced: by the hypervisor, the backend or both (Cinder's consumers). */
export const QOS_CONSUMERS = ['front-end', 'back-end', 'both'] as const;

/** QoS specs by id. @throws NOT_FOUND. */
export async function qosById(db: Kysely<Database>, id: string): Promise<QosSpecsTable> {
  const row = await findQos(db, id);
  if (!row) throw new AshlarError('NOT_FOUND', { details: { resource: 'QoS spec', id } });
  return row;
}

/**
 * Creates QoS specs: every key of the request other than `name` and `consumer` is a spec.
 * The consumer defaults to `back-end`, as in Cinder.
 *
 * @throws BAD_REQUEST when the name is taken (Cinder answers 409 there; see the route).
 */
export async function createQos(db: Kysely<Database>, request: Readonly<Record<string, string>>): Promise<QosSpecsTable> {
  const { name, consumer, ...specs } = request;
  const trimmed = (name ?? '').trim();
  if (trimmed.length === 0) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Please specify a name for QoS specs.' } });
  if (await qosNameTaken(db, trimmed)) throw new AshlarError('CONFLICT', { details: { reason: `QoS Specs ${trimmed} already exists.` } });
  const row: QosSpecsTable = { id: newId(), name: trimmed, consumer: consumer ?? 'back-end', specs: JSON.stringify(specs), created_at: now() };
  await insertQos(db, row);
  return row;
}

/** Adds or changes keys of QoS specs (PUT /qos-specs/{id}); `consumer` moves the consumer. */
export async function setQosKeys(db: Kysely<Database>, id: string, keys: Readonly<Record<string, string>>): Promise<void> {
  const row = await qosById(db, id);
  const { consumer, ...specs } = keys;
  await setQosSpecs(db, id, { ...parseMap(row.specs), ...specs });
  if (consumer !== undefined) await db.updateTable('qos_specs').set({ consumer }).where('id', '=', id).execute();
}

/** Removes keys of QoS specs. @throws BAD_REQUEST naming a key the specs do not have (Cinder's answer). */
export async function unsetQosKeys(db: Kysely<Database>, id: string, keys: readonly string[]): Promise<void> {
  const row = await qosById(db, id);
  const specs = parseMap(row.specs);
  for (const k of keys) {
    if (!(k in specs)) throw new AshlarError('BAD_REQUEST', { details: { reason: `QoS spec ${id} has no key ${k}.` } });
    delete specs[k];
  }
  await setQosSpecs(db, id, specs);
}

/**
 * Deletes QoS specs. Specs still associated with a volume type are refused unless `force`,
 * which first disassociates them.
 *
 * @throws NOT_FOUND; BAD_REQUEST while in use without force.
 */
export async function deleteQos(db: Kysely<Database>, id: string, force: boolean): Promise<void> {
  await qosById(db, id);
  const types = await typesWithQos(db, id);
  if (types.length > 0 && !force) throw new AshlarError('BAD_REQUEST', { details: { reason: `QoS Specs ${id} is still associated with entities.` } });
  await db.transaction().execute(async (trx) => {
    await clearQosFromTypes(trx, id);
    await removeQos(trx, id);
  });
}

/**
 * Associates QoS specs with a volume type. A type carries at most one; associating the one
 * it already has changes nothing.
 *
 * @throws NOT_FOUND (specs or type); BAD_REQUEST when the type has other specs.
 */
export async function associateQos(db: Kysely<Database>, id: string, typeId: string): Promise<void> {
  await qosById(db, id);
  const type = await findType(db, typeId);
  if (!type) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume type', id: typeId } });
  if (type.qos_specs_id && type.qos_specs_id !== id) {
    throw new AshlarError('BAD_REQUEST', { details: { reason: `Type ${typeId} is already associated with another qos specs: ${type.qos_specs_id}` } });
  }
  await setTypeQos(db, typeId, id);
}

/** Disassociates QoS specs from a volume type. @throws NOT_FOUND (specs or type). */
export async function disassociateQos(db: Kysely<Database>, id: string, typeId: string): Promise<void> {
  await qosById(db, id);
  const type = await findType(db, typeId);
  if (!type) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume type', id: typeId } });
  if (type.qos_specs_id === id) await setTypeQos(db, typeId, null);
}

/** Disassociates QoS specs from every volume type. @throws NOT_FOUND. */
export async function disassociateAllQos(db: Kysely<Database>, id: string): Promise<void> {
  await qosById(db, id);
  await clearQosFromTypes(db, id);
}
