import type { FastifyInstance } from 'fastify';
import type { ConnectorProperties } from '../../../../core/contract/types.js';
import { updateVolumeFields } from '../../../db/repositories/volumes.js';
import { visibleSnapshot, visibleVolume } from '../../../domain/lookup.js';
import { initializeConnection, terminateConnection } from '../../../domain/volumes/connections.js';
import { deleteVolume } from '../../../domain/volumes/delete-volume.js';
import { extendVolume } from '../../../domain/volumes/extend-volume.js';
import { attachLegacy, beginDetaching, detachLegacy, reserveVolume, rollDetaching, unreserveVolume } from '../../../domain/volumes/legacy-attach.js';
import { resetVolumeStatus } from '../../../domain/volumes/reset-volume-status.js';
import { revertVolume } from '../../../domain/volumes/revert-volume.js';
import { toBool } from '../../../util.js';
import type { ApiReply, ApiRequest } from '../../api-request.js';
import { defineRoute, type RouteEnv } from '../../define-route.js';
import type { ApiDeps } from '../../deps.js';
import * as A from '../../schemas/volume-actions.js';
import { extraVolumeActions } from './extra-actions.js';

const accepted: ApiReply = { status: 202 };

/** POST /volumes/{id}/action: every volume action. */
export function registerVolumeActionRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const load = (req: ApiRequest<unknown>) => visibleVolume(db, req.ctx, req.params.id!);

  const extra = extraVolumeActions(deps);

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
        await extendVolume(deps, req.ctx, await load(req), req.body.new_size, req.version.minor >= 42);
        return accepted;
      },
      'os-reset_status': async (req: ApiRequest<{ status?: string; attach_status?: string; migration_status?: string | null }>) => {
        await resetVolumeStatus(db, await load(req), req.body);
        return accepted;
      },
      'os-force_delete': async (req) => {
        await deleteVolume(deps, req.ctx, await load(req), { force: true, cascade: true });
        return accepted;
      },
      'os-reserve': async (req) => {
        await reserveVolume(db, await load(req));
        return accepted;
      },
      'os-unreserve': async (req) => {
        await unreserveVolume(db, await load(req));
        return accepted;
      },
      'os-begin_detaching': async (req) => {
        await beginDetaching(db, await load(req));
        return accepted;
      },
      'os-roll_detaching': async (req) => {
        await rollDetaching(db, await load(req));
        return accepted;
      },
      'os-attach': async (req: ApiRequest<{ instance_uuid?: string | null; host_name?: string | null; mountpoint: string; mode?: string }>) => {
        const b = req.body;
        await attachLegacy(db, await load(req), { instanceUuid: b.instance_uuid ?? null, hostName: b.host_name ?? null, mountpoint: b.mountpoint, ...(b.mode ? { mode: b.mode } : {}) });
        return accepted;
      },
      'os-detach': async (req: ApiRequest<{ attachment_id?: string | null } | null>) => {
        await detachLegacy(db, await load(req), req.body?.attachment_id);
        return accepted;
      },
      'os-initialize_connection': async (req: ApiRequest<{ connector: ConnectorProperties }>) => {
        const connectionInfo = await initializeConnection(deps, await load(req), req.body.connector);
        return { status: 200, body: { connection_info: connectionInfo } };
      },
      'os-terminate_connection': async (req: ApiRequest<{ connector: ConnectorProperties }>) => {
        await terminateConnection(deps, await load(req), req.body.connector);
        return accepted;
      },
      revert: async (req: ApiRequest<{ snapshot_id: string }>) => {
        const v = await load(req);
        await revertVolume(deps, req.ctx, v, await visibleSnapshot(db, req.ctx, req.body.snapshot_id));
        return accepted;
      },
      'os-set_bootable': async (req: ApiRequest<{ bootable: boolean | string }>) => {
        await updateVolumeFields(db, (await load(req)).id, { bootable: toBool(req.body.bootable) ? 1 : 0 });
        return { status: 200 };
      },
      ...extra.handlers,
    },
  });
}
