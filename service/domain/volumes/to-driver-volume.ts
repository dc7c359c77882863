/**
 * The one mapping from database rows to what a driver sees. Every caller (routes, the
 * volume manager) goes through it, so a driver sees the same volume whichever path called.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DriverSnapshot, DriverVolume } from '../../../core/contract/types.js';
import type { Database, SnapshotsTable, VolumesTable } from '../../db/tables.js';
import { parseMap } from '../../util.js';

/** A volume row as the driver contract's `DriverVolume`, with its type's name and extra specs. */
export async function toDriverVolume(db: Kysely<Database> | Transaction<Database>, vol: VolumesTable): Promise<DriverVolume> {
  const type = vol.volume_type_id
    ? await db.selectFrom('volume_types').select(['name', 'extra_specs']).where('id', '=', vol.volume_type_id).executeTakeFirst()
    : undefined;
  return {
    id: vol.id,
    sizeGiB: vol.size,
    ...(vol.name ? { displayName: vol.name } : {}),
    ...(vol.provider_location ? { providerLocation: vol.provider_location } : {}),
    ...(type ? { volumeType: { name: type.name, extraSpecs: parseMap(type.extra_specs) } } : {}),
    multiattach: vol.multiattach === 1,
  };
}

/** A snapshot row as the driver contract's `DriverSnapshot`. */
export function toDriverSnapshot(s: SnapshotsTable): DriverSnapshot {
  return { id: s.id, volumeId: s.volume_id, sizeGiB: s.size, ...(s.provider_location ? { providerLocation: s.provider_location } : {}) };
}
