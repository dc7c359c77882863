/** The snapshot operations the manager runs: create and delete. */
import type { SnapshotsTable, WorkTable } from '../../db/tables.js';
import { findSnapshot, removeSnapshotRow } from '../../db/repositories/snapshots.js';
import { findVolume } from '../../db/repositories/volumes.js';
import { SNAPSHOT_STATES, type SnapshotStatus } from '../../domain/snapshots/snapshot-states.js';
import { transition, updateInStatus } from '../../domain/state-machine.js';
import { toDriverSnapshot, toDriverVolume } from '../../domain/volumes/to-driver-volume.js';
import type { Backend } from '../backends.js';
import type { ManagerContext } from '../manager-context.js';
import type { MessageEvent } from '../messages.js';
import type { WorkArgs } from '../work.js';
import { failWork, finishWork } from '../work-outcome.js';

/**
 * Runs one snapshot work record. The backend is found through the snapshot's volume, or
 * for a delete queued with its volume's, through the host the record carries (the
 * volume's own delete may already have removed the volume row).
 */
export async function runSnapshotWork(ctx: ManagerContext, row: WorkTable, args: WorkArgs, resume: boolean): Promise<void> {
  const snap = await findSnapshot(ctx.db, row.resource_id);
  if (!snap) return finishWork(ctx, row, async () => {});
  const creating = row.operation === 'create_snapshot';
  const vol = await findVolume(ctx.db, snap.volume_id);
  const plan: { running: SnapshotStatus; failed: SnapshotStatus; event: MessageEvent } = creating
    ? { running: 'creating', failed: 'error', event: 'CREATE_SNAPSHOT_FAILED' }
    : { running: 'deleting', failed: 'error_deleting', event: 'DELETE_SNAPSHOT_FAILED' };
  const fail = (event: MessageEvent, err: unknown) =>
    failWork(ctx, row, { write: (trx) => transition(trx, SNAPSHOT_STATES, { row: snap, from: [plan.running], to: plan.failed, action: `fail ${row.operation}` }), event, resourceType: 'SNAPSHOT', projectId: snap.project_id }, err);
  let backend: Backend;
  try {
    backend = ctx.backends.forHost(vol?.host ?? args.volumeHost ?? null);
  } catch {
    return fail('BACKEND_GONE', undefined);
  }
  try {
    const ds = toDriverSnapshot(snap);
    if (creating) {
      if (!vol) throw new Error(`volume ${snap.volume_id} of snapshot ${snap.id} is gone`);
      if (resume) await backend.driver.deleteSnapshot({ snapshot: ds });
      const result = await backend.driver.createSnapshot({ snapshot: ds, volume: await toDriverVolume(ctx.db, vol) });
      await finishWork(ctx, row, (trx) => transition(trx, SNAPSHOT_STATES, { row: snap, from: ['creating'], to: 'available', action: 'finish create', set: { progress: '100%', provider_location: result.providerLocation ?? null } }));
    } else {
      await backend.driver.deleteSnapshot({ snapshot: ds });
      await finishWork(ctx, row, async (trx) => {
        await updateInStatus<SnapshotsTable>(trx, SNAPSHOT_STATES, snap, {}, 'finish delete');
        await removeSnapshotRow(trx, snap.id);
      });
    }
    ctx.onCapacityChange?.(backend);
  } catch (err) {
    await fail(plan.event, err);
  }
}
