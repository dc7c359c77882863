import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeGroupsTable } from '../../db/area-tables.js';
import { findGroups, volumesOfGroup } from '../../db/repositories/groups.js';
import { createGroup } from '../../domain/groups/create-group.js';
import { createGroupFromSource } from '../../domain/groups/create-group-from-source.js';
import { deleteGroup } from '../../domain/groups/delete-group.js';
import { GROUP_STATES } from '../../domain/groups/group-states.js';
import { refreshGroup } from '../../domain/groups/refresh.js';
import { updateGroup } from '../../domain/groups/update-group.js';
import { groupVolumeTypes, visibleGroup } from '../../domain/groups/visible.js';
import { resetStatus } from '../../domain/state-machine.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { pageParams, paginate, queryValue } from '../listing.js';
import { atLeast } from '../microversion.js';
import * as G from '../schemas/groups.js';

const tags = ['groups'];
const min = '3.13' as const;
const SORT_KEYS = ['id', 'name', 'status', 'created_at', 'availability_zone', 'description', 'group_type_id'];

/** A group in detail at the request's microversion. */
async function groupView(deps: ApiDeps, g: VolumeGroupsTable, req: ApiRequest): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    id: g.id, name: g.name, status: g.status, availability_zone: g.availability_zone, created_at: g.created_at, description: g.description,
    group_type: g.group_type_id, volume_types: groupVolumeTypes(g),
  };
  if (atLeast(req.version, '3.14')) Object.assign(out, { group_snapshot_id: g.group_snapshot_id, source_group_id: g.source_group_id });
  if (atLeast(req.version, '3.25') && toBool(queryValue(req.query, 'list_volume'))) out.volumes = (await volumesOfGroup(deps.db, g.id)).map((v) => v.id);
  if (atLeast(req.version, '3.38')) out.replication_status = 'disabled';
  if (atLeast(req.version, '3.58')) out.project_id = g.project_id;
  return out;
}

/** The groups a list shows, each settled from its members first. */
async function listed(deps: ApiDeps, req: ApiRequest): Promise<VolumeGroupsTable[]> {
  const ctx: RequestContext = req.ctx;
  const all = ctx.isAdmin && toBool(queryValue(req.query, 'all_tenants'));
  const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
  const rows = await findGroups(deps.db, { projectId: all ? undefined : ctx.projectId, name: queryValue(req.query, 'name'), status: queryValue(req.query, 'status') }, page.sort);
  const live: VolumeGroupsTable[] = [];
  for (const r of rows) {
    const g = await refreshGroup(deps.db, r);
    if (g) live.push(g);
  }
  return paginate(live, page, 'group').items;
}

/** Generic volume groups (3.13): CRUD, membership, delete with volumes, reset, create from a source (3.14). */
export function registerGroupRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const load = async (req: ApiRequest): Promise<VolumeGroupsTable> => {
    const g = await refreshGroup(db, await visibleGroup(db, req.ctx, req.params.id!));
    if (!g) throw new AshlarError('GROUP_NOT_FOUND', { details: { id: req.params.id! } });
    return g;
  };

  defineRoute(app, env, {
    method: 'GET', path: '/groups',
    doc: { operationId: 'listGroups', summary: 'List groups (ids and names).', tags, min, query: G.groupListQuery, responses: { 200: [{ schema: G.groupListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { groups: (await listed(deps, req)).map((g) => ({ id: g.id, name: g.name })) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: '/groups/detail',
    doc: { operationId: 'listGroupsDetail', summary: 'List groups in detail.', tags, min, query: G.groupListQuery, responses: { 200: [{ schema: G.groupDetailListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => {
      const groups = [];
      for (const g of await listed(deps, req)) groups.push(await groupView(deps, g, req));
      return { status: 200, body: { groups } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/groups',
    doc: { operationId: 'createGroup', summary: 'Create an empty group of a group type and volume types.', tags, min, body: [{ schema: G.groupCreateRequest }], responses: { 202: [{ schema: G.groupSummaryResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req: ApiRequest<{ group: { name?: string | null; description?: string | null; group_type: string; volume_types: string[]; availability_zone?: string | null } }>) => {
      const b = req.body.group;
      const g = await createGroup(deps, req.ctx, { name: b.name, description: b.description, groupType: b.group_type, volumeTypes: b.volume_types, availabilityZone: b.availability_zone });
      return { status: 202, body: { group: { id: g.id, name: g.name } } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/groups/:id',
    doc: { operationId: 'showGroup', summary: 'Show a group.', tags, min, query: G.groupListQuery, responses: { 200: [{ schema: G.groupResponse }] }, errors: ['GROUP_NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group: await groupView(deps, await load(req), req) } }),
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/groups/:id',
    doc: { operationId: 'updateGroup', summary: 'Rename or describe a group; add or remove volumes (comma-separated ids).', tags, min, body: [{ schema: G.groupUpdateRequest }], responses: { 202: [] }, errors: ['GROUP_NOT_FOUND', 'VOLUME_NOT_FOUND', 'INVALID_STATE'] },
    handler: async (req: ApiRequest<{ group: { name?: string | null; description?: string | null; add_volumes?: string | null; remove_volumes?: string | null } }>) => {
      const b = req.body.group;
      await updateGroup(deps, req.ctx, await load(req), { name: b.name, description: b.description, addVolumes: b.add_volumes, removeVolumes: b.remove_volumes });
      return { status: 202 };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/groups/:id/action',
    doc: {
      operationId: 'groupAction', summary: 'Delete a group (with its volumes) or reset its status.', tags, min,
      actions: [
        { name: 'delete', summary: 'Delete the group; `delete-volumes` deletes its volumes too.', schema: G.groupDeleteAction, status: 202 },
        { name: 'reset_status', summary: 'Set the group status without touching the backend.', min: '3.20', schema: G.resetStatusAction, status: 202, adminOnly: true },
      ],
      responses: { 202: [] }, errors: ['GROUP_NOT_FOUND', 'INVALID_STATE', 'BAD_REQUEST', 'FORBIDDEN'],
    },
    actions: {
      delete: async (req: ApiRequest<{ 'delete-volumes'?: unknown } | null>) => {
        await deleteGroup(deps, req.ctx, await load(req), toBool(req.body?.['delete-volumes']));
        return { status: 202 };
      },
      reset_status: async (req: ApiRequest<{ status: string }>) => {
        const g = await load(req);
        await resetStatus(db, GROUP_STATES, g.id, req.body.status);
        return { status: 202 };
      },
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/groups/action',
    doc: {
      operationId: 'groupsAction', summary: 'Create a group from a group snapshot or another group.', tags, min: '3.14',
      actions: [{ name: 'create-from-src', summary: 'Create a group from `group_snapshot_id` or `source_group_id`.', min: '3.14', schema: G.groupFromSourceAction, status: 202, response: G.groupSummaryResponse }],
      responses: { 202: [{ schema: G.groupSummaryResponse }] }, errors: ['GROUP_NOT_FOUND', 'NOT_FOUND', 'INVALID_STATE', 'BAD_REQUEST', 'QUOTA_EXCEEDED'],
    },
    actions: {
      'create-from-src': async (req: ApiRequest<{ name?: string | null; description?: string | null; group_snapshot_id?: string | null; source_group_id?: string | null }>) => {
        const b = req.body;
        const g = await createGroupFromSource(deps, req.ctx, { name: b.name, description: b.description, groupSnapshotId: b.group_snapshot_id, sourceGroupId: b.source_group_id });
        return { status: 202, body: { group: { id: g.id, name: g.name } } };
      },
    },
  });
}
