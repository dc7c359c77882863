import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import { canSee } from '../../auth/policy.js';
import type { TransfersTable } from '../../db/area-tables.js';
import { findOpenTransfer, insertTransfer, markAccepted, moveSnapshotsOwnership, removeTransfer } from '../../db/repositories/transfers.js';
import { findVolume, snapshotsOfVolume } from '../../db/repositories/volumes.js';
import type { Database } from '../../db/tables.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { visibleVolume } from '../lookup.js';
import { checkQuota } from '../quotas.js';
import { transition } from '../state-machine.js';
import { VOLUME_STATES } from '../volumes/volume-states.js';
import { authKeyMatches, hashAuthKey, newAuthKey, newSalt } from './auth-key.js';

/** A new transfer with the auth key the giver hands to the receiver (shown only now). */
export interface CreatedTransfer {
  readonly row: TransfersTable;
  readonly authKey: string;
}

const invalid = (reason: string) => new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason } });

/**
 * Offers a volume to another project: the volume moves to `awaiting-transfer` (so nothing
 * else changes it meanwhile) and a random auth key is returned once; only its salted hash
 * is kept. With `noSnapshots` (3.55) the snapshots stay with the giver; otherwise they go
 * with the volume and must all be available.
 *
 * @throws VOLUME_NOT_FOUND; INVALID_STATE unless the volume (and its snapshots) are available.
 */
export async function createTransfer(deps: DomainDeps, ctx: RequestContext, req: { volumeId: string; name?: string | null | undefined; noSnapshots: boolean }): Promise<CreatedTransfer> {
  const v = await visibleVolume(deps.db, ctx, req.volumeId);
  if (v.status !== 'available') throw invalid(`Status of volume ${v.id} must be available to transfer it, not ${v.status}.`);
  if (v.group_id) throw invalid(`Volume ${v.id} belongs to group ${v.group_id}; remove it from the group first.`);
  if (!req.noSnapshots) {
    const busy = (await snapshotsOfVolume(deps.db, v.id)).find((s) => s.status !== 'available');
    if (busy) throw invalid(`Snapshot ${busy.id} of volume ${v.id} must be available to transfer, not ${busy.status}.`);
  }
  const authKey = newAuthKey();
  const salt = newSalt();
  const row: TransfersTable = {
    id: newId(), volume_id: v.id, name: req.name ?? null, salt, crypt_hash: hashAuthKey(salt, authKey), no_snapshots: req.noSnapshots ? 1 : 0,
    source_project_id: v.project_id, destination_project_id: null, accepted: 0, created_at: now(), updated_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await transition(trx, VOLUME_STATES, { row: v, from: ['available'], to: 'awaiting-transfer', action: 'transfer' });
    await insertTransfer(trx, row);
  });
  return { row, authKey };
}

/** An open transfer of the caller's project (any, for administrators). @throws NOT_FOUND. */
export async function visibleTransfer(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<TransfersTable> {
  const row = await findOpenTransfer(db, id);
  if (!row || !canSee(ctx, row.source_project_id)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Transfer', id } });
  return row;
}

/** Withdraws an offer: the transfer goes and the volume is available again. @throws NOT_FOUND. */
export async function deleteTransfer(deps: DomainDeps, ctx: RequestContext, id: string): Promise<void> {
  const t = await visibleTransfer(deps.db, ctx, id);
  const v = await findVolume(deps.db, t.volume_id);
  await deps.db.transaction().execute(async (trx) => {
    if (v?.status === 'awaiting-transfer') await transition(trx, VOLUME_STATES, { row: v, from: ['awaiting-transfer'], to: 'available', action: 'cancel transfer' });
    await removeTransfer(trx, t.id);
  });
}

/**
 * Accepts a transfer with its auth key: the volume (and its snapshots, unless the transfer
 * keeps them) now belongs to the caller's project and user, within the receiver's quota.
 * Any project that knows the id and key may accept. The transfer stays as history (3.57).
 *
 * @throws NOT_FOUND; BAD_REQUEST for a wrong key; QUOTA_EXCEEDED; INVALID_STATE when the
 * volume is no longer awaiting the transfer.
 */
export async function acceptTransfer(deps: DomainDeps, ctx: RequestContext, id: string, authKey: string): Promise<TransfersTable> {
  const { db, config } = deps;
  const t = await findOpenTransfer(db, id);
  if (!t) throw new AshlarError('NOT_FOUND', { details: { resource: 'Transfer', id } });
  if (!authKeyMatches(t.salt, t.crypt_hash, authKey)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid auth key: Attempt to transfer ${t.id} with invalid auth key.` } });
  const v = await findVolume(db, t.volume_id);
  if (!v) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: t.volume_id } });
  const snaps = t.no_snapshots ? [] : await snapshotsOfVolume(db, v.id);
  const snapGb = snaps.reduce((n, s) => n + s.size, 0);
  await db.transaction().execute(async (trx) => {
    await checkQuota(trx, config.database.kind, ctx.projectId, config.quota, { volumes: 1, gigabytes: v.size + snapGb, ...(snaps.length > 0 ? { snapshots: snaps.length } : {}) }, v.size);
    if (!(await markAccepted(trx, t.id, ctx.projectId, now()))) throw new AshlarError('NOT_FOUND', { details: { resource: 'Transfer', id } });
    await transition(trx, VOLUME_STATES, { row: v, from: ['awaiting-transfer'], to: 'available', action: 'accept transfer', set: { project_id: ctx.projectId, user_id: ctx.userId } });
    if (snaps.length > 0) await moveSnapshotsOwnership(trx, v.id, ctx.projectId, ctx.userId);
  });
  return { ...t, accepted: 1, destination_project_id: ctx.projectId };
}
