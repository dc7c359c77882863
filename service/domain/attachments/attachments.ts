/**
 * The attachments API's domain (3.27+): reserve a volume for an instance, export it to a
 * host when a connector is given, mark it attached, detach.
 */
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import type { AttachmentsTable, VolumesTable } from '../../db/tables.js';
import { hasAttachment, insertAttachment, removeAttachment } from '../../db/repositories/attachments.js';
import { attachmentsOfVolume, findVolume } from '../../db/repositories/volumes.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { settleTo, transition } from '../state-machine.js';
import { isReadonly } from '../volumes/aux-metadata.js';
import { backendOf } from '../volumes/backend-of.js';
import { toDriverVolume } from '../volumes/to-driver-volume.js';
import { VOLUME_STATES, type VolumeStatus } from '../volumes/volume-states.js';
import { ATTACHMENT_STATES } from './attachment-states.js';

/** What a new attachment asks for. */
export interface AttachmentRequest {
  readonly instanceUuid: string | null;
  readonly connector: ConnectorProperties | undefined;
  readonly mode: 'rw' | 'ro' | undefined;
}

function refuseErrorStatus(v: VolumesTable, verb: string): void {
  if (v.status.includes('error')) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume attachments can not be ${verb} if the volume is in an error state. The Volume ${v.id} currently has a status of: ${v.status} ` } });
  }
}

/** Exports the volume to the connector's host; the connection info as stored, with its access mode. */
async function connect(deps: DomainDeps, v: VolumesTable, connector: ConnectorProperties, mode: string): Promise<string> {
  const backend = backendOf(deps, v.host);
  const { connectionInfo } = await backend.driver.initializeConnection({ volume: await toDriverVolume(deps.db, v), connector });
  return JSON.stringify({ ...connectionInfo, data: { ...connectionInfo.data, access_mode: mode } });
}

/**
 * Creates an attachment: reserved without a connector, attaching (exported) with one.
 *
 * @throws INVALID_STATE for a volume in error, in a status that cannot attach, or already
 * attached without multiattach.
 */
export async function createAttachment(deps: DomainDeps, v: VolumesTable, req: AttachmentRequest): Promise<AttachmentsTable> {
  const { db } = deps;
  refuseErrorStatus(v, 'created');
  const from: VolumeStatus[] = v.multiattach ? ['available', 'reserved', 'in-use', 'attaching'] : ['available', 'reserved'];
  if (!(from as string[]).includes(v.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `attachment create: volume status must be ${from.join(' or ')}, not ${v.status}.` } });
  if (!v.multiattach && (await hasAttachment(db, v.id))) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume is already attached and is not multiattach.' } });
  // The readonly flag (os-update_readonly_flag) wins over the requested mode, as in Cinder.
  const mode = (await isReadonly(db, v.id)) ? 'ro' : (req.mode ?? 'rw');
  const connector = req.connector;
  const connectionInfo = connector ? await connect(deps, v, connector, mode) : null;
  const row: AttachmentsTable = {
    id: newId(), volume_id: v.id, project_id: v.project_id, instance_uuid: req.instanceUuid, attached_host: connector?.host ?? null, mountpoint: (connector?.mountpoint as string | undefined) ?? null,
    attach_mode: mode, status: connector ? 'attaching' : 'reserved', connector: connector ? JSON.stringify(connector) : null, connection_info: connectionInfo, attach_time: null, detach_time: null, created_at: now(),
  };
  const to: VolumeStatus = v.status === 'in-use' ? 'in-use' : connector ? 'attaching' : 'reserved';
  await db.transaction().execute(async (trx) => {
    await transition(trx, VOLUME_STATES, { row: v, from: [v.status as VolumeStatus], to, action: 'attachment create' });
    await insertAttachment(trx, row);
  });
  return row;
}

/**
 * Gives a reserved attachment its connector: exports the volume and stores the connection info.
 *
 * @throws INVALID_STATE for a volume in error.
 */
export async function updateAttachment(deps: DomainDeps, a: AttachmentsTable, v: VolumesTable, connector: ConnectorProperties): Promise<AttachmentsTable> {
  refuseErrorStatus(v, 'updated');
  const connectionInfo = await connect(deps, v, connector, a.attach_mode);
  const set = { connector: JSON.stringify(connector), connection_info: connectionInfo, attached_host: connector.host ?? null, ...(typeof connector.mountpoint === 'string' ? { mountpoint: connector.mountpoint } : {}) };
  await deps.db.transaction().execute(async (trx) => {
    await transition(trx, ATTACHMENT_STATES, { row: a, from: ['reserved', 'attaching', 'attached'], to: 'attaching', action: 'attachment update', set });
    if (v.status === 'reserved' || v.status === 'available') await transition(trx, VOLUME_STATES, { row: v, from: ['reserved', 'available'], to: 'attaching', action: 'attachment update' });
  });
  return { ...a, ...set, status: 'attaching' };
}

/** os-complete (3.44): the host finished connecting; the volume is in-use. */
export async function completeAttachment(deps: DomainDeps, a: AttachmentsTable): Promise<void> {
  const t = now();
  await deps.db.transaction().execute(async (trx) => {
    await transition(trx, ATTACHMENT_STATES, { row: a, from: ['reserved', 'attaching', 'attached'], to: 'attached', action: 'attachment complete', set: { attach_time: t } });
    const v = await findVolume(trx, a.volume_id);
    if (!v) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: a.volume_id } });
    await settleTo(trx, VOLUME_STATES, v, 'in-use', 'attachment complete', { attach_status: 'attached' });
  });
}

/**
 * Detaches: revokes the host's access (when the attachment had a connector) and removes
 * the attachment; the volume stays in-use while another is attached.
 *
 * @returns The volume's remaining attachments (Cinder answers them).
 */
export async function deleteAttachment(deps: DomainDeps, a: AttachmentsTable): Promise<AttachmentsTable[]> {
  const { db } = deps;
  const v = await findVolume(db, a.volume_id);
  if (!v) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: a.volume_id } });
  if (a.connector) {
    await backendOf(deps, v.host).driver.terminateConnection({ volume: await toDriverVolume(db, v), connector: JSON.parse(a.connector) as ConnectorProperties });
  }
  return db.transaction().execute(async (trx) => {
    await removeAttachment(trx, a.id);
    const rest = await attachmentsOfVolume(trx, v.id);
    const attached = rest.some((l) => l.status === 'attached');
    const to: VolumeStatus = attached ? 'in-use' : rest.length > 0 ? 'reserved' : 'available';
    await settleTo(trx, VOLUME_STATES, (await findVolume(trx, v.id)) ?? v, to, 'attachment delete', attached ? {} : { attach_status: 'detached' });
    return rest;
  });
}
