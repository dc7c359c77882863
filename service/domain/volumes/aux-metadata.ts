import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';

/**
 * The per-volume key/value stores Cinder keeps beside user metadata: `admin` (flags only
 * the service sets, e.g. `readonly`) and `image` (image metadata, os-set_image_metadata).
 */
export type AuxKind = 'admin' | 'image';

const TABLE = { admin: 'volume_admin_metadata', image: 'volume_glance_metadata' } as const;

/** All keys of one store of a volume. */
export async function readAux(db: Kysely<Database>, kind: AuxKind, volumeId: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom(TABLE[kind]).select(['key', 'value']).where('volume_id', '=', volumeId).orderBy('key').execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Sets keys (others stay) and answers the whole store afterwards. */
export async function mergeAux(db: Kysely<Database>, kind: AuxKind, volumeId: string, values: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const keys = Object.keys(values);
  await db.transaction().execute(async (trx) => {
    // Delete-then-insert is an upsert both SQLite and PostgreSQL run unchanged.
    if (keys.length > 0) await trx.deleteFrom(TABLE[kind]).where('volume_id', '=', volumeId).where('key', 'in', keys).execute();
    if (keys.length > 0) await trx.insertInto(TABLE[kind]).values(keys.map((key) => ({ volume_id: volumeId, key, value: values[key]! }))).execute();
  });
  return readAux(db, kind, volumeId);
}

/** Removes one key; false when it was not there. */
export async function deleteAux(db: Kysely<Database>, kind: AuxKind, volumeId: string, key: string): Promise<boolean> {
  const r = await db.deleteFrom(TABLE[kind]).where('volume_id', '=', volumeId).where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** True when the volume's `readonly` admin flag is set (os-update_readonly_flag). */
export async function isReadonly(db: Kysely<Database>, volumeId: string): Promise<boolean> {
  const row = await db.selectFrom('volume_admin_metadata').select('value').where('volume_id', '=', volumeId).where('key', '=', 'readonly').executeTakeFirst();
  return row?.value === 'True';
}
