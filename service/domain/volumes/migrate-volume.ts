import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { VolumesTable } from '../../db/tables.js';
import type { DomainDeps } from '../deps.js';
import { updateInStatus } from '../state-machine.js';
import { backendOf } from './backend-of.js';
import { toDriverVolume } from './to-driver-volume.js';
import { VOLUME_STATES } from './volume-states.js';

function badRequest(reason: string): AshlarError {
  return new AshlarError('BAD_REQUEST', { details: { reason } });
}

/**
 * os-migrate_volume (admin): moves a volume to another backend when its driver can do it
 * (backend-assisted migration); this service has no generic copy between backends.
 *
 * @throws BAD_REQUEST for an unknown or disabled destination, or a move the driver cannot
 * do; INVALID_STATE (status, snapshots, migration in progress, same host).
 */
export async function migrateVolume(deps: DomainDeps, v: VolumesTable, dest: string | undefined): Promise<void> {
  const { db } = deps;
  if (!dest) throw badRequest('Missing required element host or cluster in request body.');
  const backendHost = dest.split('#')[0]!;
  const service = await db.selectFrom('services').selectAll().where('binary', '=', 'cinder-volume').where('host', '=', backendHost).where('disabled', '=', 0).executeTakeFirst();
  if (!service) throw badRequest(`Invalid host: No available service named '${dest}'`);
  const snaps = await db.selectFrom('snapshots').select('id').where('volume_id', '=', v.id).executeTakeFirst();
  const migrating = v.migration_status !== null && !['success', 'error'].includes(v.migration_status);
  if (!['available', 'in-use'].includes(v.status) || migrating || snaps || (v.host ?? '').split('#')[0] === backendHost) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} status must be available or in-use, must not be migrating, have snapshots, be replicated, be part of a group and destination host/cluster must be different than the current one` } });
  }
  const driver = backendOf(deps, v.host).driver;
  const location = (JSON.parse(service.capabilities ?? '{}') as { location_info?: string }).location_info;
  if (!driver.supports('migrate') || !location) throw badRequest(`Volume migration from ${v.host} to ${dest} needs backend-assisted migration, which driver ${driver.manifest.name} does not offer; this service has no generic migration.`);
  const moved = await driver.migrateVolume({ volume: await toDriverVolume(db, v), destinationLocation: location });
  if (!moved.moved) throw badRequest(`Driver ${driver.manifest.name} could not move volume ${v.id} to ${dest}; this service has no generic migration.`);
  const pool = dest.includes('#') ? dest : `${backendHost}#${(v.host ?? '').split('#')[1] ?? ''}`;
  await updateInStatus(db, VOLUME_STATES, v, { host: pool, migration_status: 'success', ...(moved.providerLocation ? { provider_location: moved.providerLocation } : {}) }, 'migrate');
}
