/**
 * Start-up recovery: volumes and snapshots of this host left in a transitional status with
 * no work record can only come from a crash between steps that should have been atomic (or
 * a database edited by hand). Each goes to the error status of what it was doing, with a
 * user message naming the interrupted operation.
 */
import { SNAPSHOT_STATES, type SnapshotStatus } from '../domain/snapshots/snapshot-states.js';
import { transition } from '../domain/state-machine.js';
import { VOLUME_STATES, type VolumeStatus } from '../domain/volumes/volume-states.js';
import type { ManagerContext } from './manager-context.js';
import type { MessageEvent } from './messages.js';

/** What an interrupted volume operation becomes. */
export const VOLUME_INTERRUPTED: Readonly<Record<string, { readonly to: VolumeStatus; readonly event: MessageEvent }>> = {
  creating: { to: 'error', event: 'CREATE_VOLUME_INTERRUPTED' },
  deleting: { to: 'error_deleting', event: 'DELETE_VOLUME_INTERRUPTED' },
  extending: { to: 'error_extending', event: 'EXTEND_VOLUME_INTERRUPTED' },
  reverting: { to: 'error', event: 'REVERT_VOLUME_INTERRUPTED' },
};

/** What an interrupted snapshot operation becomes (a revert's snapshot is simply usable again). */
export const SNAPSHOT_INTERRUPTED: Readonly<Record<string, { readonly to: SnapshotStatus; readonly event?: MessageEvent }>> = {
  creating: { to: 'error', event: 'CREATE_SNAPSHOT_INTERRUPTED' },
  deleting: { to: 'error_deleting', event: 'DELETE_SNAPSHOT_INTERRUPTED' },
  restoring: { to: 'available' },
};

/** Moves every orphaned transitional resource of this host; returns how many. */
export async function sweepOrphans(ctx: ManagerContext): Promise<number> {
  const { db } = ctx;
  const prefix = `${ctx.host}@`;
  const pending = db.selectFrom('work').select('resource_id');
  let n = 0;
  const vols = await db.selectFrom('volumes').selectAll().where('status', 'in', [...VOLUME_STATES.transitional]).where('id', 'not in', pending).execute();
  for (const v of vols) {
    if (v.host !== null && !v.host.startsWith(prefix)) continue;
    const next = VOLUME_INTERRUPTED[v.status]!;
    // A lost compare-and-set means another writer moved it meanwhile: nothing to recover.
    const moved = await transition(db, VOLUME_STATES, { row: v, from: [v.status as VolumeStatus], to: next.to, action: 'recover' }).then(() => true, () => false);
    if (!moved) continue;
    await ctx.messages.record({ projectId: v.project_id, requestId: 'req-recovery', resourceType: 'VOLUME', resourceId: v.id, event: next.event });
    n++;
  }
  const snaps = await db.selectFrom('snapshots').selectAll().where('status', 'in', [...SNAPSHOT_STATES.transitional]).where('id', 'not in', pending).execute();
  for (const s of snaps) {
    const next = SNAPSHOT_INTERRUPTED[s.status]!;
    const moved = await transition(db, SNAPSHOT_STATES, { row: s, from: [s.status as SnapshotStatus], to: next.to, action: 'recover' }).then(() => true, () => false);
    if (!moved) continue;
    if (next.event) await ctx.messages.record({ projectId: s.project_id, requestId: 'req-recovery', resourceType: 'SNAPSHOT', resourceId: s.id, event: next.event });
    n++;
  }
  return n;
}
