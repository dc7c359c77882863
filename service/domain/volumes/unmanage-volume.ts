import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { VolumesTable } from '../../db/tables.js';
import { removeVolumeRow, snapshotsOfVolume } from '../../db/repositories/volumes.js';
import type { DomainDeps } from '../deps.js';
import { updateInStatus } from '../state-machine.js';
import { backendOf } from './backend-of.js';
import { toDriverVolume } from './to-driver-volume.js';
import { VOLUME_DELETABLE, VOLUME_STATES } from './volume-states.js';

/**
 * os-unmanage (admin): forgets a volume, leaving its data on the backend.
 *
 * @throws INVALID_STATE when the status, an attachment or snapshots forbid it.
 */
export async function unmanageVolume(deps: DomainDeps, v: VolumesTable): Promise<void> {
  const { db } = deps;
  if (!(VOLUME_DELETABLE as readonly string[]).includes(v.status) || v.attach_status === 'attached') {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer, not ${v.status}.` } });
  }
  const snaps = await snapshotsOfVolume(db, v.id);
  if (snaps.length > 0) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} still has ${snaps.length} dependent snapshots.` } });
  if (v.host) {
    const driver = backendOf(deps, v.host).driver;
    // A driver without the manage capability keeps nothing about the volume to forget (Cinder's default unmanage does nothing either).
    if (driver.supports('manage')) await driver.unmanage({ volume: await toDriverVolume(db, v) });
  }
  await db.transaction().execute(async (trx) => {
    // Only while nobody changed it meanwhile (the compare-and-set), then the row goes.
    await updateInStatus(trx, VOLUME_STATES, v, {}, 'unmanage');
    await removeVolumeRow(trx, v.id);
  });
}
