/** The volume operations the manager runs: create (empty, clone, from snapshot), delete, extend, revert. */
import type { VolumesTable, WorkTable } from '../../db/tables.js';
import { findSnapshot } from '../../db/repositories/snapshots.js';
import { findVolume, removeVolumeRow } from '../../db/repositories/volumes.js';
import { SNAPSHOT_STATES } from '../../domain/snapshots/snapshot-states.js';
import { settleTo, transition, updateInStatus } from '../../domain/state-machine.js';
import { toDriverSnapshot, toDriverVolume } from '../../domain/volumes/to-driver-volume.js';
import { VOLUME_STATES, type VolumeStatus } from '../../domain/volumes/volume-states.js';
import type { Backend } from '../backends.js';
import type { ManagerContext } from '../manager-context.js';
import type { MessageEvent } from '../messages.js';
import type { WorkArgs, WorkOperation } from '../work.js';
import { failWork, finishWork, type OutcomeWriter } from '../work-outcome.js';

type VolumeOperation = Extract<WorkOperation, 'create_volume' | 'delete_volume' | 'extend_volume' | 'revert_volume'>;

/** The status each operation runs in, the one a failure leaves, and the message it records. */
const RUNS_IN: Readonly<Record<VolumeOperation, { running: VolumeStatus; failed: VolumeStatus; event: MessageEvent }>> = {
  create_volume: { running: 'creating', failed: 'error', event: 'CREATE_VOLUME_FAILED' },
  delete_volume: { running: 'deleting', failed: 'error_deleting', event: 'DELETE_VOLUME_FAILED' },
  extend_volume: { running: 'extending', failed: 'error_extending', event: 'EXTEND_VOLUME_FAILED' },
  revert_volume: { running: 'reverting', failed: 'error', event: 'REVERT_VOLUME_FAILED' },
};

/**
 * Runs one volume work record; `resume` is set when a previous run may have done part of
 * it (each operation is safe to repeat: a resumed create deletes what it left first).
 */
export async function runVolumeWork(ctx: ManagerContext, row: WorkTable, args: WorkArgs, resume: boolean): Promise<void> {
  const op = row.operation as VolumeOperation;
  const vol = await findVolume(ctx.db, row.resource_id);
  if (!vol) return finishWork(ctx, row, async () => {});
  const plan = RUNS_IN[op];
  if (!plan) throw new Error(`unknown volume operation ${op}`);
  const fail = (event: MessageEvent, err: unknown) =>
    failWork(ctx, row, { write: (trx) => failOutcome(trx, vol, op, args), event, resourceType: 'VOLUME', projectId: vol.project_id }, err);
  let backend: Backend;
  try {
    backend = ctx.backends.forHost(vol.host);
  } catch {
    return fail('BACKEND_GONE', undefined);
  }
  try {
    await finishWork(ctx, row, await runOnBackend(ctx, backend, vol, op, args, resume));
    ctx.onCapacityChange?.(backend);
  } catch (err) {
    await fail(plan.event, err);
  }
}

/** Calls the driver and returns the outcome to write when it succeeded. */
async function runOnBackend(ctx: ManagerContext, backend: Backend, vol: VolumesTable, op: VolumeOperation, args: WorkArgs, resume: boolean): Promise<OutcomeWriter> {
  const { driver } = backend;
  const dv = await toDriverVolume(ctx.db, vol);
  switch (op) {
    case 'create_volume': {
      if (resume) await driver.deleteVolume({ volume: dv });
      let result;
      if (args.source?.kind === 'snapshot') {
        const snap = await findSnapshot(ctx.db, args.source.id);
        if (!snap) throw new Error(`source snapshot ${args.source.id} is gone`);
        result = await driver.createVolumeFromSnapshot({ volume: dv, snapshot: toDriverSnapshot(snap) });
      } else if (args.source?.kind === 'volume') {
        const src = await findVolume(ctx.db, args.source.id);
        if (!src) throw new Error(`source volume ${args.source.id} is gone`);
        result = await driver.createClonedVolume({ volume: dv, source: await toDriverVolume(ctx.db, src) });
      } else {
        result = await driver.createVolume({ volume: dv });
      }
      return (trx) => transition(trx, VOLUME_STATES, { row: vol, from: ['creating'], to: 'available', action: 'finish create', set: { provider_location: result.providerLocation ?? null } });
    }
    case 'delete_volume':
      await driver.deleteVolume({ volume: dv });
      return async (trx) => {
        await updateInStatus(trx, VOLUME_STATES, vol, {}, 'finish delete');
        await removeVolumeRow(trx, vol.id);
      };
    case 'extend_volume': {
      const newSize = args.newSize!;
      await driver.extendVolume({ volume: { ...dv, sizeGiB: Math.min(dv.sizeGiB, newSize) }, newSizeGiB: newSize });
      const back: VolumeStatus = args.returnStatus === 'in-use' ? 'in-use' : 'available';
      return (trx) => transition(trx, VOLUME_STATES, { row: vol, from: ['extending'], to: back, action: 'finish extend', set: { size: newSize } });
    }
    case 'revert_volume': {
      const snap = await findSnapshot(ctx.db, args.snapshotId!);
      if (!snap) throw new Error(`snapshot ${args.snapshotId} is gone`);
      await driver.revertToSnapshot({ volume: dv, snapshot: toDriverSnapshot(snap) });
      return async (trx) => {
        await transition(trx, VOLUME_STATES, { row: vol, from: ['reverting'], to: 'available', action: 'finish revert' });
        await settleTo(trx, SNAPSHOT_STATES, snap, 'available', 'finish revert');
      };
    }
  }
}

/** The failure outcome: the operation's error status; a failed revert frees its snapshot. */
async function failOutcome(trx: Parameters<OutcomeWriter>[0], vol: VolumesTable, op: VolumeOperation, args: WorkArgs): Promise<void> {
  const plan = RUNS_IN[op];
  await transition(trx, VOLUME_STATES, { row: vol, from: [plan.running], to: plan.failed, action: `fail ${op}` });
  if (op === 'revert_volume' && args.snapshotId) {
    const snap = await findSnapshot(trx, args.snapshotId);
    if (snap) await settleTo(trx, SNAPSHOT_STATES, snap, 'available', 'fail revert');
  }
}
