import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { SnapshotsTable, VolumesTable } from '../../db/tables.js';
import { latestSnapshotId } from '../../db/repositories/volumes.js';
import { enqueueWork } from '../../manager/work.js';
import type { DomainDeps } from '../deps.js';
import { SNAPSHOT_STATES } from '../snapshots/snapshot-states.js';
import { transition } from '../state-machine.js';
import { VOLUME_STATES } from './volume-states.js';

/**
 * Starts reverting a volume to its latest snapshot (3.40): the volume goes to `reverting`,
 * the snapshot to `restoring`, and the work is queued, in one transaction.
 *
 * @throws BAD_REQUEST when the snapshot is another volume's; INVALID_STATE when it is not
 * the latest, not available, or the volume grew since.
 */
export async function revertVolume(deps: DomainDeps, ctx: RequestContext, v: VolumesTable, snap: SnapshotsTable): Promise<void> {
  const { db } = deps;
  if (snap.volume_id !== v.id) throw new AshlarError('BAD_REQUEST', { details: { reason: `Snapshot ${snap.id} does not belong to volume ${v.id}.` } });
  if ((await latestSnapshotId(db, v.id)) !== snap.id) throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: 'Only the latest snapshot of a volume can be reverted to.' } });
  if (snap.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: `Snapshot status must be available, not ${snap.status}.` } });
  if (snap.size !== v.size) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume was extended after the snapshot; it cannot be reverted.' } });
  const work = await db.transaction().execute(async (trx) => {
    await transition(trx, VOLUME_STATES, { row: v, from: ['available'], to: 'reverting', action: 'revert' });
    await transition(trx, SNAPSHOT_STATES, { row: snap, from: ['available'], to: 'restoring', action: 'revert' });
    return enqueueWork(trx, { host: v.host!.split('@')[0]!, resourceType: 'volume', resourceId: v.id, operation: 'revert_volume', args: { snapshotId: snap.id }, requestId: ctx.requestId, projectId: v.project_id });
  });
  deps.submit(work);
}
