import type { RequestContext } from '../../auth/context.js';
import type { SnapshotsTable } from '../../db/tables.js';
import { findVolume } from '../../db/repositories/volumes.js';
import { enqueueWork } from '../../manager/work.js';
import type { DomainDeps } from '../deps.js';
import { transition } from '../state-machine.js';
import { SNAPSHOT_DELETABLE, SNAPSHOT_STATES } from './snapshot-states.js';

/**
 * Starts deleting a snapshot: moves it to `deleting` and queues the work in one
 * transaction (force: from any status).
 *
 * @throws INVALID_STATE unless the snapshot is available or in error (without force).
 */
export async function deleteSnapshot(deps: DomainDeps, ctx: RequestContext, s: SnapshotsTable, force: boolean): Promise<void> {
  const { db } = deps;
  const v = await findVolume(db, s.volume_id);
  const volumeHost = v?.host ?? '';
  const work = await db.transaction().execute(async (trx) => {
    await transition(trx, SNAPSHOT_STATES, { row: s, from: force ? SNAPSHOT_STATES.statuses : SNAPSHOT_DELETABLE, to: 'deleting', action: 'delete' });
    return enqueueWork(trx, { host: volumeHost.split('@')[0]!, resourceType: 'snapshot', resourceId: s.id, operation: 'delete_snapshot', args: { volumeId: s.volume_id, volumeHost }, requestId: ctx.requestId, projectId: s.project_id });
  });
  deps.submit(work);
}
