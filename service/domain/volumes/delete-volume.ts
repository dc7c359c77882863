import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumesTable, WorkTable } from '../../db/tables.js';
import { removeVolumeRow, snapshotsOfVolume } from '../../db/repositories/volumes.js';
import { enqueueWork } from '../../manager/work.js';
import type { DomainDeps } from '../deps.js';
import { SNAPSHOT_STATES } from '../snapshots/snapshot-states.js';
import { transition } from '../state-machine.js';
import { VOLUME_DELETABLE, VOLUME_STATES, type VolumeStatus } from './volume-states.js';

/** How a delete was asked for. */
export interface DeleteVolumeOptions {
  /** os-force_delete: any status, attached or not. */
  readonly force: boolean;
  /** Delete the volume's snapshots with it (`cascade=true`, or force). */
  readonly cascade: boolean;
}

/**
 * Starts deleting a volume (and, with cascade, its snapshots): checks its status and
 * dependents, then moves it (and them) to `deleting` and queues the work in one
 * transaction. A volume that never reached a backend is removed at once.
 *
 * @throws INVALID_STATE when the status, an attachment or the snapshots forbid it.
 */
export async function deleteVolume(deps: DomainDeps, ctx: RequestContext, v: VolumesTable, opts: DeleteVolumeOptions): Promise<void> {
  const { db } = deps;
  if (!opts.force) {
    if (!(VOLUME_DELETABLE as readonly string[]).includes(v.status)) {
      throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer, not ${v.status}.` } });
    }
    if (v.attach_status === 'attached') throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume is attached.' } });
  }
  const snaps = await snapshotsOfVolume(db, v.id);
  if (snaps.length > 0 && !opts.cascade) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} still has ${snaps.length} dependent snapshots.` } });
  }
  const snapFrom = opts.force ? (['available', 'error', 'error_deleting', 'deleting'] as const) : (['available', 'error'] as const);
  if (snaps.some((s) => !(snapFrom as readonly string[]).includes(s.status))) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Snapshots of the volume must be ${snapFrom.join(' or ')} to cascade the delete.` } });
  }
  const serviceHost = v.host?.split('@')[0];
  const from: readonly VolumeStatus[] = opts.force ? VOLUME_STATES.statuses : VOLUME_DELETABLE;
  const work = await db.transaction().execute(async (trx) => {
    await transition(trx, VOLUME_STATES, { row: v, from, to: 'deleting', action: 'delete' });
    if (!serviceHost) {
      // Never reached a backend (scheduling failed): nothing to clean up there.
      await removeVolumeRow(trx, v.id);
      return [];
    }
    const rows: WorkTable[] = [];
    for (const s of snaps) {
      await transition(trx, SNAPSHOT_STATES, { row: s, from: snapFrom, to: 'deleting', action: 'delete with the volume' });
      rows.push(await enqueueWork(trx, { host: serviceHost, resourceType: 'snapshot', resourceId: s.id, operation: 'delete_snapshot', args: { volumeId: v.id, volumeHost: v.host ?? '' }, requestId: ctx.requestId, projectId: v.project_id }));
    }
    rows.push(await enqueueWork(trx, { host: serviceHost, resourceType: 'volume', resourceId: v.id, operation: 'delete_volume', requestId: ctx.requestId, projectId: v.project_id }));
    return rows;
  });
  for (const w of work) deps.submit(w);
}
