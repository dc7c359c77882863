import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as A from '../schemas/volume-actions.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import type { Database, VolumesTable } from '../../db/tables.js';
import { enqueueWork } from '../../manager/work.js';
import { newId, now, toBool } from '../../util.js';
import type { ApiRequest, ApiReply } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { visibleSnapshot, visibleVolume } from '../lookup.js';
import { checkQuota } from '../quotas.js';
import { isReadonly } from '../aux-metadata.js';
import { extraVolumeActions } from './volume-extra-actions.js';
import { deleteVolume } from './volumes.js';

/**
 * Moves a volume from one of `from` to `to` if nobody else moved it first.
 * @throws INVALID_STATE naming the statuses the action needs.
 */
export async function casVolume(db: Kysely<Database>, v: VolumesTable, from: readonly string[], set: Partial<VolumesTable> & { status: string }, action: string): Promise<void> {
  if (!from.includes(v.status)) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `${action}: volume status must be ${from.join(' or ')}, not ${v.status}.` } });
  }
  const r = await db.updateTable('volumes').set({ ...set, updated_at: now() }).where('id', '=', v.id).where('status', '=', v.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `${action}: volume status changed during the request.` } });
}

const accepted: ApiReply = { status: 202 };

/** POST /volumes/{id}/action: every volume action. */
export function registerVolumeActionRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const load = (req: ApiRequest<unknown>) => visibleVolume(db, req.ctx, req.params.id!);

  const driverFor = (v: VolumesTable) => {
    if (!deps.backends) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'connection calls need the volume service in this process (role all)' } });
    return deps.backends.forHost(v.host);
  };
  const extra = extraVolumeActions(deps);
  const driverVolume = (v: VolumesTable) => ({ id: v.id, sizeGiB: v.size, ...(v.provider_location ? { providerLocation: v.provider_location } : {}), multiattach: v.multiattach === 1 });

  defineRoute(app, env, {
    method: 'POST',
    path: '/volumes/:id/action',
    doc: {
      operationId: 'volumeAction',
      summary: 'Run an action on a volume.',
      tags: ['volume-actions'],
      actions: [
        { name: 'os-extend', summary: 'Grow the volume (in-use volumes from 3.42).', schema: A.extendAction, status: 202 },
        { name: 'os-reset_status', summary: 'Set the status fields without touching the backend.', schema: A.resetStatusAction, status: 202, adminOnly: true },
        { name: 'os-force_delete', summary: 'Delete in any status.', schema: A.noArgsAction, status: 202, adminOnly: true },
        { name: 'os-attach', summary: 'Record an attachment (legacy attach flow).', schema: A.attachAction, status: 202 },
        { name: 'os-detach', summary: 'Remove an attachment (legacy attach flow).', schema: A.detachAction, status: 202 },
        { name: 'os-reserve', summary: 'Mark the volume as being attached.', schema: A.noArgsAction, status: 202 },
        { name: 'os-unreserve', summary: 'Undo os-reserve.', schema: A.noArgsAction, status: 202 },
        { name: 'os-begin_detaching', summary: 'Mark the volume as being detached.', schema: A.noArgsAction, status: 202 },
        { name: 'os-roll_detaching', summary: 'Undo os-begin_detaching.', schema: A.noArgsAction, status: 202 },
        { name: 'os-initialize_connection', summary: 'Export the volume to a host and return its connection info.', schema: A.connectorAction, status: 200, response: A.connectionInfoResponse },
        { name: 'os-terminate_connection', summary: "Revoke a host's access.", schema: A.connectorAction, status: 202 },
        { name: 'revert', summary: 'Revert the volume to its latest snapshot (3.40).', schema: A.revertAction, status: 202, min: '3.40' },
        { name: 'os-set_bootable', summary: 'Set the bootable flag.', schema: A.setBootableAction, status: 200 },
        ...extra.docs,
      ],
      responses: { 200: [], 202: [] },
      errors: ['VOLUME_NOT_FOUND', 'SNAPSHOT_NOT_FOUND', 'INVALID_STATE', 'BAD_REQUEST', 'FORBIDDEN', 'QUOTA_EXCEEDED', 'BACKEND_UNAVAILABLE'],
    },
    actions: {
      'os-extend': async (req: ApiRequest<{ new_size: number | string }>) => {
        const v = await load(req);
        const newSize = Number(req.body.new_size);
        if (!Number.isInteger(newSize) || newSize <= v.size) {
          throw new AshlarError('BAD_REQUEST', { details: { reason: `New size for extend must be greater than current size. (current: ${v.size}, extended: ${String(req.body.new_size)}).` } });
        }
        const from = req.version.minor >= 42 ? ['available', 'in-use'] : ['available'];
        const work = await db.transaction().execute(async (trx) => {
          await checkQuota(trx, config.database.kind, v.project_id, config.quota, { gigabytes: newSize - v.size }, newSize);
          await casVolume(trx, v, from, { status: 'extending' }, 'extend');
          return enqueueWork(trx, { host: v.host!.split('@')[0]!, resourceType: 'volume', resourceId: v.id, operation: 'extend_volume', args: { newSize, returnStatus: v.status }, requestId: req.ctx.requestId, projectId: v.project_id });
        });
        deps.submit(work);
        return accepted;
      },
      'os-reset_status': async (req: ApiRequest<{ status?: string; attach_status?: string; migration_status?: string | null }>) => {
        const v = await load(req);
        const set: Partial<VolumesTable> = { updated_at: now() };
        if (req.body.status) set.status = req.body.status;
        if (req.body.attach_status) set.attach_status = req.body.attach_status;
        if ('migration_status' in req.body) set.migration_status = req.body.migration_status ?? null;
        await db.updateTable('volumes').set(set).where('id', '=', v.id).execute();
        return accepted;
      },
      'os-force_delete': async (req) => {
        await deleteVolume(deps, req.ctx, await load(req), { force: true, cascade: true });
        return accepted;
      },
      'os-reserve': async (req) => {
        const v = await load(req);
        await casVolume(db, v, v.multiattach ? ['available', 'in-use'] : ['available'], { status: 'attaching' }, 'reserve');
        return accepted;
      },
      'os-unreserve': async (req) => {
        const v = await load(req);
        const attached = await countAttached(db, v.id);
        await casVolume(db, v, ['attaching', 'reserved'], { status: attached > 0 ? 'in-use' : 'available' }, 'unreserve');
        return accepted;
      },
      'os-begin_detaching': async (req) => {
        const v = await load(req);
        await casVolume(db, v, ['in-use'], { status: 'detaching' }, 'begin_detaching');
        return accepted;
      },
      'os-roll_detaching': async (req) => {
        const v = await load(req);
        if (v.status === 'detaching') await casVolume(db, v, ['detaching'], { status: 'in-use' }, 'roll_detaching');
        return accepted;
      },
      'os-attach': async (req: ApiRequest<{ instance_uuid?: string | null; host_name?: string | null; mountpoint: string; mode?: string }>) => {
        const v = await load(req);
        if (!req.body.instance_uuid && !req.body.host_name) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Give instance_uuid or host_name.' } });
        if ((req.body.mode ?? 'rw') !== 'ro' && (await isReadonly(db, v.id))) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid attaching mode '${req.body.mode ?? 'rw'}' for volume ${v.id}.` } });
        const from = v.multiattach ? ['available', 'attaching', 'reserved', 'in-use'] : ['available', 'attaching', 'reserved'];
        await db.transaction().execute(async (trx) => {
          await casVolume(trx, v, from, { status: 'in-use', attach_status: 'attached' }, 'attach');
          const t = now();
          await trx
            .insertInto('attachments')
            .values({ id: newId(), volume_id: v.id, project_id: v.project_id, instance_uuid: req.body.instance_uuid ?? null, attached_host: req.body.host_name ?? null, mountpoint: req.body.mountpoint, attach_mode: req.body.mode ?? 'rw', status: 'attached', connector: null, connection_info: null, attach_time: t, detach_time: null, created_at: t })
            .execute();
        });
        return accepted;
      },
      'os-detach': async (req: ApiRequest<{ attachment_id?: string | null } | null>) => {
        const v = await load(req);
        await db.transaction().execute(async (trx) => {
          const rows = await trx.selectFrom('attachments').selectAll().where('volume_id', '=', v.id).execute();
          const target = req.body?.attachment_id ? rows.find((a) => a.id === req.body!.attachment_id) : rows.length === 1 ? rows[0] : undefined;
          if (!target) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: rows.length > 1 ? 'Volume has several attachments: give attachment_id.' : 'Volume is not attached.' } });
          await trx.deleteFrom('attachments').where('id', '=', target.id).execute();
          const left = rows.length - 1;
          await casVolume(trx, v, ['in-use', 'detaching', 'attaching', 'error_detaching'], left > 0 ? { status: 'in-use' } : { status: 'available', attach_status: 'detached' }, 'detach');
        });
        return accepted;
      },
      'os-initialize_connection': async (req: ApiRequest<{ connector: ConnectorProperties }>) => {
        const v = await load(req);
        if (!['available', 'attaching', 'reserved', 'in-use', 'detaching'].includes(v.status)) {
          throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `initialize_connection: volume status must be available, attaching, reserved or in-use, not ${v.status}.` } });
        }
        const { connectionInfo } = await driverFor(v).driver.initializeConnection({ volume: driverVolume(v), connector: req.body.connector });
        return { status: 200, body: { connection_info: connectionInfo } };
      },
      'os-terminate_connection': async (req: ApiRequest<{ connector: ConnectorProperties }>) => {
        const v = await load(req);
        await driverFor(v).driver.terminateConnection({ volume: driverVolume(v), connector: req.body.connector });
        return accepted;
      },
      revert: async (req: ApiRequest<{ snapshot_id: string }>) => {
        const v = await load(req);
        const snap = await visibleSnapshot(db, req.ctx, req.body.snapshot_id);
        if (snap.volume_id !== v.id) throw new AshlarError('BAD_REQUEST', { details: { reason: `Snapshot ${snap.id} does not belong to volume ${v.id}.` } });
        const latest = await db.selectFrom('snapshots').select('id').where('volume_id', '=', v.id).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
        if (latest?.id !== snap.id) throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: 'Only the latest snapshot of a volume can be reverted to.' } });
        if (snap.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: `Snapshot status must be available, not ${snap.status}.` } });
        if (snap.size !== v.size) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume was extended after the snapshot; it cannot be reverted.' } });
        const work = await db.transaction().execute(async (trx) => {
          await casVolume(trx, v, ['available'], { status: 'reverting' }, 'revert');
          await trx.updateTable('snapshots').set({ status: 'restoring', updated_at: now() }).where('id', '=', snap.id).execute();
          return enqueueWork(trx, { host: v.host!.split('@')[0]!, resourceType: 'volume', resourceId: v.id, operation: 'revert_volume', args: { snapshotId: snap.id }, requestId: req.ctx.requestId, projectId: v.project_id });
        });
        deps.submit(work);
        return accepted;
      },
      'os-set_bootable': async (req: ApiRequest<{ bootable: boolean | string }>) => {
        const v = await load(req);
        await db.updateTable('volumes').set({ bootable: toBool(req.body.bootable) ? 1 : 0, updated_at: now() }).where('id', '=', v.id).execute();
        return { status: 200 };
      },
      ...extra.handlers,
    },
  });
}

async function countAttached(db: Kysely<Database>, volumeId: string): Promise<number> {
  const r = await db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('volume_id', '=', volumeId).where('status', '=', 'attached').executeTakeFirst();
  return Number(r?.n ?? 0);
}
