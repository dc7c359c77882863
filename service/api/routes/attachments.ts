import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/attachments.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import { canSee } from '../../auth/policy.js';
import type { AttachmentsTable, VolumesTable } from '../../db/tables.js';
import { newId, now } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { isReadonly } from '../aux-metadata.js';
import { nextLink, pageParams, paginate, queryValue } from '../listing.js';
import { visibleVolume } from '../lookup.js';
import { atLeast } from '../microversion.js';
import { attachmentView } from '../views.js';

/** The attachments API (3.27; os-complete from 3.44; mode from 3.54). */
export function registerAttachmentRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['attachments'];
  const load = async (req: ApiRequest<unknown>): Promise<AttachmentsTable> => {
    const a = await db.selectFrom('attachments').selectAll().where('id', '=', req.params.id!).executeTakeFirst();
    if (!a || !canSee(req.ctx, a.project_id)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Attachment', id: req.params.id } });
    return a;
  };
  const connect = async (v: VolumesTable, connector: ConnectorProperties, mode: string): Promise<string> => {
    if (!deps.backends) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'connection calls need the volume service in this process (role all)' } });
    const { connectionInfo } = await deps.backends.forHost(v.host).driver.initializeConnection({ volume: { id: v.id, sizeGiB: v.size, ...(v.provider_location ? { providerLocation: v.provider_location } : {}) }, connector });
    return JSON.stringify({ ...connectionInfo, data: { ...connectionInfo.data, access_mode: mode } });
  };
  const setVolume = async (volumeId: string, set: Partial<VolumesTable>) => {
    await db.updateTable('volumes').set({ ...set, updated_at: now() }).where('id', '=', volumeId).execute();
  };

  defineRoute(app, env, {
    method: 'POST', path: '/attachments',
    doc: { operationId: 'createAttachment', summary: 'Reserve a volume for an instance, exporting it when a connector is given.', tags, min: '3.27', body: [{ schema: S.attachmentCreateRequest }], responses: { 200: [{ schema: S.attachmentResponse }] }, errors: ['VOLUME_NOT_FOUND', 'INVALID_STATE', 'BAD_REQUEST', 'BACKEND_UNAVAILABLE'] },
    handler: async (req: ApiRequest<{ attachment: { volume_uuid: string; instance_uuid?: string | null; connector?: Record<string, unknown> | null; mode?: 'rw' | 'ro' } }>) => {
      const b = req.body.attachment;
      const connector = cleanConnector(b.connector);
      if (b.mode !== undefined && !atLeast(req.version, '3.54')) throw new AshlarError('BAD_REQUEST', { details: { reason: 'mode needs microversion 3.54.' } });
      const v = await visibleVolume(db, req.ctx, b.volume_uuid);
      if (v.status.includes('error')) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume attachments can not be created if the volume is in an error state. The Volume ${v.id} currently has a status of: ${v.status} ` } });
      const allowed = v.multiattach ? ['available', 'reserved', 'in-use', 'attaching'] : ['available', 'reserved'];
      if (!allowed.includes(v.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `attachment create: volume status must be ${allowed.join(' or ')}, not ${v.status}.` } });
      if (!v.multiattach) {
        const others = await db.selectFrom('attachments').select('id').where('volume_id', '=', v.id).executeTakeFirst();
        if (others) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume is already attached and is not multiattach.' } });
      }
      // The readonly flag (os-update_readonly_flag) wins over the requested mode, as in Cinder.
      const mode = (await isReadonly(db, v.id)) ? 'ro' : (b.mode ?? 'rw');
      const connectionInfo = connector ? await connect(v, connector, mode) : null;
      const row: AttachmentsTable = {
        id: newId(), volume_id: v.id, project_id: v.project_id, instance_uuid: b.instance_uuid ?? null, attached_host: connector?.host ?? null, mountpoint: (connector?.mountpoint as string | undefined) ?? null,
        attach_mode: mode, status: connector ? 'attaching' : 'reserved', connector: connector ? JSON.stringify(connector) : null, connection_info: connectionInfo, attach_time: null, detach_time: null, created_at: now(),
      };
      await db.transaction().execute(async (trx) => {
        const r = await trx.updateTable('volumes').set({ status: v.status === 'in-use' ? 'in-use' : connector ? 'attaching' : 'reserved', updated_at: now() }).where('id', '=', v.id).where('status', '=', v.status).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume status changed during the request.' } });
        await trx.insertInto('attachments').values(row).execute();
      });
      return { status: 200, body: { attachment: attachmentView(row, true) } };
    },
  });

  const list = (full: boolean) => async (req: ApiRequest) => {
    const page = pageParams(req.query, ['id', 'created_at', 'volume_id', 'status', 'instance_uuid'], deps.config.maxLimit);
    let q = db.selectFrom('attachments').selectAll();
    // Administrators see other projects' attachments only when they ask (all_tenants), as in Cinder.
    if (!(req.ctx.isAdmin && queryValue(req.query, 'all_tenants') !== undefined)) q = q.where('project_id', '=', req.ctx.projectId);
    const vol = queryValue(req.query, 'volume_id');
    if (vol) q = q.where('volume_id', '=', vol);
    const inst = queryValue(req.query, 'instance_id');
    if (inst) q = q.where('instance_uuid', '=', inst);
    const status = queryValue(req.query, 'status') ?? queryValue(req.query, 'attach_status');
    if (status) q = q.where('status', '=', status);
    for (const s of page.sort) q = q.orderBy(s.key === 'instance_uuid' ? 'instance_uuid' : (s.key as 'id'), s.dir);
    const { items, more } = paginate(await q.execute(), page, 'attachment');
    const body: Record<string, unknown> = { attachments: items.map((a) => attachmentView(a, full)) };
    const links = nextLink(req.baseUrl, `/v3/${req.ctx.projectId}/attachments${full ? '/detail' : ''}`, req.query, items.at(-1)?.id, more);
    if (links) body.attachments_links = links;
    return { status: 200, body };
  };
  defineRoute(app, env, { method: 'GET', path: '/attachments', doc: { operationId: 'listAttachments', summary: 'List attachments.', tags, min: '3.27', query: S.attachmentListQuery, responses: { 200: [{ schema: S.attachmentListResponse }] } }, handler: list(false) });
  defineRoute(app, env, { method: 'GET', path: '/attachments/detail', doc: { operationId: 'listAttachmentsDetail', summary: 'List attachments with details.', tags, min: '3.27', query: S.attachmentListQuery, responses: { 200: [{ schema: S.attachmentListResponse }] } }, handler: list(true) });
  defineRoute(app, env, {
    method: 'GET', path: '/attachments/:id',
    doc: { operationId: 'showAttachment', summary: 'Show an attachment.', tags, min: '3.27', responses: { 200: [{ schema: S.attachmentResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { attachment: attachmentView(await load(req), true) } }),
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/attachments/:id',
    doc: { operationId: 'updateAttachment', summary: 'Give the connector of a reserved attachment and get its connection info.', tags, min: '3.27', body: [{ schema: S.attachmentUpdateRequest }], responses: { 200: [{ schema: S.attachmentResponse }] }, errors: ['NOT_FOUND', 'INVALID_STATE', 'BACKEND_UNAVAILABLE'] },
    handler: async (req: ApiRequest<{ attachment: { connector: Record<string, unknown> } }>) => {
      const a = await load(req);
      const v = await visibleVolume(db, req.ctx, a.volume_id);
      if (v.status.includes('error')) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume attachments can not be updated if the volume is in an error state. The Volume ${v.id} currently has a status of: ${v.status} ` } });
      const connector = cleanConnector(req.body.attachment.connector) ?? ({} as ConnectorProperties);
      const connectionInfo = await connect(v, connector, a.attach_mode);
      const set = { status: 'attaching', connector: JSON.stringify(connector), connection_info: connectionInfo, attached_host: connector.host, ...(typeof connector.mountpoint === 'string' ? { mountpoint: connector.mountpoint } : {}) };
      await db.updateTable('attachments').set(set).where('id', '=', a.id).execute();
      if (v.status === 'reserved' || v.status === 'available') await setVolume(v.id, { status: 'attaching' });
      return { status: 200, body: { attachment: attachmentView({ ...a, ...set }, true) } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/attachments/:id/action',
    doc: {
      operationId: 'attachmentAction', summary: 'Run an action on an attachment.', tags, min: '3.44',
      actions: [{ name: 'os-complete', summary: 'Mark the attachment attached (the host finished connecting).', schema: S.completeAction, status: 204, min: '3.44' }],
      responses: { 204: [] }, errors: ['NOT_FOUND'],
    },
    actions: {
      'os-complete': async (req) => {
        const a = await load(req);
        const t = now();
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('attachments').set({ status: 'attached', attach_time: t }).where('id', '=', a.id).execute();
          await trx.updateTable('volumes').set({ status: 'in-use', attach_status: 'attached', updated_at: t }).where('id', '=', a.volume_id).execute();
        });
        return { status: 204 };
      },
    },
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/attachments/:id',
    doc: { operationId: 'deleteAttachment', summary: "Detach: revoke the host's access and remove the attachment.", tags, min: '3.27', responses: { 200: [{ schema: S.attachmentListResponse }] }, errors: ['NOT_FOUND', 'BACKEND_UNAVAILABLE'] },
    handler: async (req) => {
      const a = await load(req);
      const v = await db.selectFrom('volumes').selectAll().where('id', '=', a.volume_id).executeTakeFirstOrThrow();
      if (a.connector) {
        if (!deps.backends) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'connection calls need the volume service in this process (role all)' } });
        await deps.backends.forHost(v.host).driver.terminateConnection({ volume: { id: v.id, sizeGiB: v.size }, connector: JSON.parse(a.connector) as ConnectorProperties });
      }
      const left = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('attachments').where('id', '=', a.id).execute();
        const rest = await trx.selectFrom('attachments').selectAll().where('volume_id', '=', v.id).execute();
        const attached = rest.some((l) => l.status === 'attached');
        await trx.updateTable('volumes').set(attached ? { status: 'in-use', updated_at: now() } : { status: rest.length > 0 ? 'reserved' : 'available', attach_status: 'detached', updated_at: now() }).where('id', '=', v.id).execute();
        return rest;
      });
      // Cinder answers the volume's remaining attachments (those that may share the connection).
      return { status: 200, body: { attachments: left.map((l) => attachmentView(l, false)) } };
    },
  });
}

/**
 * The connector a client sent, without null-valued keys (openstackclient sends
 * `"platform": null` for options not given); an empty or missing one is no connector.
 */
function cleanConnector(raw: Record<string, unknown> | null | undefined): ConnectorProperties | undefined {
  if (!raw) return undefined;
  const entries = Object.entries(raw).filter(([, v]) => v !== null && v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as ConnectorProperties) : undefined;
}
