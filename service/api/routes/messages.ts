import type { FastifyInstance } from 'fastify';
import { findMessage, messagePage, purgeExpiredMessages, removeMessage, type MessageFilterKey } from '../../db/repositories/messages.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as M from '../schemas/messages.js';
import { canSee } from '../../auth/policy.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { foundPage, nextLink, pageParams, queryValue } from '../listing.js';
import { messageView } from '../views.js';

/** User messages (3.3): why an asynchronous operation failed. */
export function registerMessageRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['messages'];
  const load = async (ctx: Parameters<typeof canSee>[0], id: string) => {
    const m = await findMessage(db, id);
    if (!m || !canSee(ctx, m.project_id)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Message', id } });
    return m;
  };
  defineRoute(app, env, {
    method: 'GET', path: '/messages',
    doc: { operationId: 'listMessages', summary: 'List user messages.', tags, min: '3.3', query: M.messageListQuery, responses: { 200: [{ schema: M.messageListResponse }] } },
    handler: async (req) => {
      await purgeExpiredMessages(db);
      const page = pageParams(req.query, ['id', 'created_at', 'event_id', 'resource_type', 'resource_uuid', 'message_level', 'request_id'], deps.config.maxLimit);
      const filters: Partial<Record<MessageFilterKey, string>> = {};
      for (const key of ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level'] as const) {
        const v = queryValue(req.query, key);
        if (v !== undefined) filters[key] = v;
      }
      const found = await messagePage(db, req.ctx.isAdmin ? undefined : req.ctx.projectId, filters, page);
      const { rows: items, more } = foundPage(found, page, 'message');
      const body: Record<string, unknown> = { messages: items.map((m) => messageView(m, req.baseUrl)) };
      const links = nextLink(req.baseUrl, `/v3/${req.ctx.projectId}/messages`, req.query, items.at(-1)?.id, more);
      if (links) body.messages_links = links;
      return { status: 200, body };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/messages/:id',
    doc: { operationId: 'showMessage', summary: 'Show a user message.', tags, min: '3.3', responses: { 200: [{ schema: M.messageResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { message: messageView(await load(req.ctx, req.params.id!), req.baseUrl) } }),
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/messages/:id',
    doc: { operationId: 'deleteMessage', summary: 'Delete a user message.', tags, min: '3.3', responses: { 204: [] }, errors: ['NOT_FOUND'] },
    handler: async (req) => {
      const m = await load(req.ctx, req.params.id!);
      await removeMessage(db, m.id);
      return { status: 204 };
    },
  });
}
