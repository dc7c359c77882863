import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/attachments.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import { canSee } from '../../auth/policy.js';
import { attachmentPage, findAttachment } from '../../db/repositories/attachments.js';
import { completeAttachment, createAttachment, deleteAttachment, updateAttachment } from '../../domain/attachments/attachments.js';
import type { AttachmentsTable } from '../../db/tables.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { foundPage, nextLink, pageParams, queryValue } from '../listing.js';
import { visibleVolume } from '../../domain/lookup.js';
import { atLeast } from '../microversion.js';
import { attachmentView } from '../views.js';

/** The attachments API (3.27; os-complete from 3.44; mode from 3.54). */
export function registerAttachmentRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['attachments'];
  const load = async (req: ApiRequest<unknown>): Promise<AttachmentsTable> => {
    const a = await findAttachment(db, req.params.id!);
    if (!a || !canSee(req.ctx, a.project_id)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Attachment', id: req.params.id } });
    return a;
  };

  defineRoute(app, env, {
    method: 'POST', path: '/attachments',
    doc: { operationId: 'createAttachment', summary: 'Reserve a volume for an instance, exporting it when a connector is given.', tags, min: '3.27', body: [{ schema: S.attachmentCreateRequest }], responses: { 200: [{ schema: S.attachmentResponse }] }, errors: ['VOLUME_NOT_FOUND', 'INVALID_STATE', 'BAD_REQUEST', 'BACKEND_UNAVAILABLE'] },
    handler: async (req: ApiRequest<{ attachment: { volume_uuid: string; instance_uuid?: string | null; connector?: Record<string, unknown> | null; mode?: 'rw' | 'ro' } }>) => {
      const b = req.body.attachment;
      const connector = cleanConnector(b.connector);
      if (b.mode !== undefined && !atLeast(req.version, '3.54')) throw new AshlarError('BAD_REQUEST', { details: { reason: 'mode needs microversion 3.54.' } });
      const v = await visibleVolume(db, req.ctx, b.volume_uuid);
      const row = await createAttachment(deps, v, { instanceUuid: b.instance_uuid ?? null, connector, mode: b.mode });
      return { status: 200, body: { attachment: attachmentView(row, true) } };
    },
  });

  const list = (full: boolean) => async (req: ApiRequest) => {
    const page = pageParams(req.query, ['id', 'created_at', 'volume_id', 'status', 'instance_uuid'], deps.config.maxLimit);
    const found = await attachmentPage(db, {
      // Administrators see other projects' attachments only when they ask (all_tenants), as in Cinder.
      projectId: req.ctx.isAdmin && queryValue(req.query, 'all_tenants') !== undefined ? undefined : req.ctx.projectId,
      volumeId: queryValue(req.query, 'volume_id'),
      instanceUuid: queryValue(req.query, 'instance_id'),
      status: queryValue(req.query, 'status') ?? queryValue(req.query, 'attach_status'),
    }, page);
    const { rows: items, more } = foundPage(found, page, 'attachment');
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
      const updated = await updateAttachment(deps, a, v, cleanConnector(req.body.attachment.connector) ?? ({} as ConnectorProperties));
      return { status: 200, body: { attachment: attachmentView(updated, true) } };
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
        await completeAttachment(deps, await load(req));
        return { status: 204 };
      },
    },
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/attachments/:id',
    doc: { operationId: 'deleteAttachment', summary: "Detach: revoke the host's access and remove the attachment.", tags, min: '3.27', responses: { 200: [{ schema: S.attachmentListResponse }] }, errors: ['NOT_FOUND', 'BACKEND_UNAVAILABLE'] },
    handler: async (req) => {
      const left = await deleteAttachment(deps, await load(req));
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
