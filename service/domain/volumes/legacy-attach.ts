/**
 * The legacy attach flow Nova drove before the attachments API (os-reserve, os-attach,
 * os-begin_detaching, os-detach, ...): status changes and attachment records only.
 */
import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { Database, VolumesTable } from '../../db/tables.js';
import { insertAttachment, removeAttachment } from '../../db/repositories/attachments.js';
import { attachmentsOfVolume, countAttached } from '../../db/repositories/volumes.js';
import { newId, now } from '../../util.js';
import { transition } from '../state-machine.js';
import { isReadonly } from './aux-metadata.js';
import { VOLUME_STATES } from './volume-states.js';

/** os-reserve: the volume is about to be attached. */
export async function reserveVolume(db: Kysely<Database>, v: VolumesTable): Promise<void> {
  await transition(db, VOLUME_STATES, { row: v, from: v.multiattach ? ['available', 'in-use'] : ['available'], to: 'attaching', action: 'reserve' });
}

/** os-unreserve: back to in-use when attached elsewhere, else available. */
export async function unreserveVolume(db: Kysely<Database>, v: VolumesTable): Promise<void> {
  const attached = await countAttached(db, v.id);
  await transition(db, VOLUME_STATES, { row: v, from: ['attaching', 'reserved'], to: attached > 0 ? 'in-use' : 'available', action: 'unreserve' });
}

/** os-begin_detaching. */
export async function beginDetaching(db: Kysely<Database>, v: VolumesTable): Promise<void> {
  await transition(db, VOLUME_STATES, { row: v, from: ['in-use'], to: 'detaching', action: 'begin_detaching' });
}

/** os-roll_detaching: undoes os-begin_detaching; nothing to do in another status. */
export async function rollDetaching(db: Kysely<Database>, v: VolumesTable): Promise<void> {
  if (v.status === 'detaching') await transition(db, VOLUME_STATES, { row: v, from: ['detaching'], to: 'in-use', action: 'roll_detaching' });
}

/** What os-attach records. */
export interface LegacyAttachment {
  readonly instanceUuid?: string | null;
  readonly hostName?: string | null;
  readonly mountpoint: string;
  readonly mode?: string;
}

/**
 * os-attach: records an attached attachment and marks the volume in-use.
 *
 * @throws BAD_REQUEST without an instance or host, or a read-write attach of a readonly volume.
 */
export async function attachLegacy(db: Kysely<Database>, v: VolumesTable, a: LegacyAttachment): Promise<void> {
  if (!a.instanceUuid && !a.hostName) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Give instance_uuid or host_name.' } });
  const mode = a.mode ?? 'rw';
  if (mode !== 'ro' && (await isReadonly(db, v.id))) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid attaching mode '${mode}' for volume ${v.id}.` } });
  await db.transaction().execute(async (trx) => {
    await transition(trx, VOLUME_STATES, { row: v, from: v.multiattach ? ['available', 'attaching', 'reserved', 'in-use'] : ['available', 'attaching', 'reserved'], to: 'in-use', action: 'attach', set: { attach_status: 'attached' } });
    const t = now();
    await insertAttachment(trx, {
      id: newId(), volume_id: v.id, project_id: v.project_id, instance_uuid: a.instanceUuid ?? null, attached_host: a.hostName ?? null, mountpoint: a.mountpoint,
      attach_mode: mode, status: 'attached', connector: null, connection_info: null, attach_time: t, detach_time: null, created_at: t,
    });
  });
}

/**
 * os-detach: removes one attachment (the only one, or the one named); the volume stays
 * in-use while others remain.
 *
 * @throws INVALID_STATE when the volume is not attached, or has several and none is named.
 */
export async function detachLegacy(db: Kysely<Database>, v: VolumesTable, attachmentId: string | null | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rows = await attachmentsOfVolume(trx, v.id);
    const target = attachmentId ? rows.find((a) => a.id === attachmentId) : rows.length === 1 ? rows[0] : undefined;
    if (!target) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: rows.length > 1 ? 'Volume has several attachments: give attachment_id.' : 'Volume is not attached.' } });
    await removeAttachment(trx, target.id);
    const left = rows.length - 1;
    await transition(trx, VOLUME_STATES, {
      row: v, from: ['in-use', 'detaching', 'attaching', 'error_detaching'], action: 'detach',
      ...(left > 0 ? { to: 'in-use' as const } : { to: 'available' as const, set: { attach_status: 'detached' } }),
    });
  });
}
