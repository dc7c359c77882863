import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { GroupTypesTable } from '../../db/area-tables.js';
import { listGroupTypes } from '../../db/repositories/group-types.js';
import { changeGroupType, createGroupType, deleteGroupSpec, deleteGroupType, groupTypeById, setGroupSpecs, usableGroupType } from '../../domain/groups/group-types.js';
import { parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { pageParams, paginate, queryValue } from '../listing.js';
import * as G from '../schemas/group-types.js';

const tags = ['group-types'];
const specTags = ['group-type-specs'];
const SORT_KEYS = ['id', 'name', 'description', 'is_public', 'created_at'];

function groupTypeView(t: GroupTypesTable, ctx: RequestContext): Record<string, unknown> {
  return { id: t.id, name: t.name, description: t.description, is_public: t.is_public === 1, ...(ctx.isAdmin ? { group_specs: parseMap(t.group_specs) } : {}) };
}

/** Cinder's `is_public` of a type list: public only by default, `None` for all (administrators). */
function publicFilter(req: ApiRequest): boolean | undefined {
  if (!req.ctx.isAdmin) return true;
  const text = queryValue(req.query, 'is_public');
  if (text === undefined) return true;
  return text.toLowerCase() === 'none' ? undefined : toBool(text);
}

/** Group types (3.11) and their group specs. */
export function registerGroupTypeRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const min = '3.11' as const;

  defineRoute(app, env, {
    method: 'GET', path: '/group_types',
    doc: { operationId: 'listGroupTypes', summary: 'List group types.', tags, min, query: G.groupTypeListQuery, responses: { 200: [{ schema: G.groupTypeListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => {
      const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
      const { items } = paginate(await listGroupTypes(db, publicFilter(req), page.sort), page, 'group type');
      return { status: 200, body: { group_types: items.map((t) => groupTypeView(t, req.ctx)) } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/group_types',
    doc: { operationId: 'createGroupType', summary: 'Create a group type.', tags, min, adminOnly: true, body: [{ schema: G.groupTypeCreateRequest }], responses: { 202: [{ schema: G.groupTypeResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST', 'CONFLICT'] },
    handler: async (req: ApiRequest<{ group_type: { name: string; description?: string | null; is_public?: unknown; group_specs?: Record<string, string> } }>) => {
      const b = req.body.group_type;
      const row = await createGroupType(db, { name: b.name, description: b.description, isPublic: toBool(b.is_public, true), groupSpecs: b.group_specs ?? {} });
      return { status: 202, body: { group_type: groupTypeView(row, req.ctx) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/group_types/default',
    doc: { operationId: 'showDefaultGroupType', summary: 'Show the default group type (none is configured here, as in a Cinder without `default_group_type`).', tags, min, responses: { 200: [{ schema: G.groupTypeResponse }] }, errors: ['NOT_FOUND'] },
    handler: async () => {
      throw new AshlarError('NOT_FOUND', { details: { resource: 'Default group type', id: '(not configured)' } });
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/group_types/:id',
    doc: { operationId: 'showGroupType', summary: 'Show a group type.', tags, min, responses: { 200: [{ schema: G.groupTypeResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group_type: groupTypeView(await usableGroupType(db, req.ctx, req.params.id!), req.ctx) } }),
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/group_types/:id',
    doc: { operationId: 'updateGroupType', summary: 'Rename, describe or publish a group type.', tags, min, adminOnly: true, body: [{ schema: G.groupTypeUpdateRequest }], responses: { 200: [{ schema: G.groupTypeResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT'] },
    handler: async (req: ApiRequest<{ group_type: { name?: string; description?: string | null; is_public?: unknown } }>) => {
      const b = req.body.group_type;
      const row = await changeGroupType(db, req.params.id!, { ...(b.name !== undefined ? { name: b.name } : {}), ...('description' in b ? { description: b.description ?? null } : {}), ...(b.is_public !== undefined ? { isPublic: toBool(b.is_public) } : {}) });
      return { status: 200, body: { group_type: groupTypeView(row, req.ctx) } };
    },
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/group_types/:id',
    doc: { operationId: 'deleteGroupType', summary: 'Delete an unused group type.', tags, min, adminOnly: true, responses: { 202: [] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req) => {
      await deleteGroupType(db, req.params.id!);
      return { status: 202 };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/group_types/:id/group_specs',
    doc: { operationId: 'listGroupSpecs', summary: 'Show the group specs of a group type.', tags: specTags, min, adminOnly: true, responses: { 200: [{ schema: G.groupSpecsBody }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group_specs: parseMap((await groupTypeById(db, req.params.id!)).group_specs) } }),
  });
  defineRoute(app, env, {
    method: 'POST', path: '/group_types/:id/group_specs',
    doc: { operationId: 'setGroupSpecs', summary: 'Add or change group specs.', tags: specTags, min, adminOnly: true, body: [{ schema: G.groupSpecsBody }], responses: { 202: [{ schema: G.groupSpecsBody }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req: ApiRequest<{ group_specs: Record<string, string> }>) => {
      await setGroupSpecs(db, req.params.id!, req.body.group_specs);
      return { status: 202, body: { group_specs: req.body.group_specs } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/group_types/:id/group_specs/:key',
    doc: { operationId: 'showGroupSpec', summary: 'Show one group spec.', tags: specTags, min, adminOnly: true, responses: { 200: [{ schema: G.groupSpecItem }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const specs = parseMap((await groupTypeById(db, req.params.id!)).group_specs);
      const key = req.params.key!;
      if (!(key in specs)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Group spec', id: `${key} of group type ${req.params.id!}` } });
      return { status: 200, body: { [key]: specs[key] } };
    },
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/group_types/:id/group_specs/:key',
    doc: { operationId: 'updateGroupSpec', summary: 'Set one group spec.', tags: specTags, min, adminOnly: true, body: [{ schema: G.groupSpecItem }], responses: { 200: [{ schema: G.groupSpecItem }] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<Record<string, string>>) => {
      const key = req.params.key!;
      if (!(key in req.body)) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Request body and URI mismatch' } });
      await setGroupSpecs(db, req.params.id!, { [key]: req.body[key]! });
      return { status: 200, body: { [key]: req.body[key] } };
    },
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/group_types/:id/group_specs/:key',
    doc: { operationId: 'deleteGroupSpec', summary: 'Delete one group spec.', tags: specTags, min, adminOnly: true, responses: { 202: [] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      await deleteGroupSpec(db, req.params.id!, req.params.key!);
      return { status: 202 };
    },
  });
}
