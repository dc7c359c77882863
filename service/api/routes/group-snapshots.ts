import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { GroupSnapshotsTable } from '../../db/area-tables.js';
import { findGroupSnapshots } from '../../db/repositories/group-snapshots.js';
import { GROUP_SNAPSHOT_STATES } from '../../domain/groups/group-states.js';
import { createGroupSnapshot, deleteGroupSnapshot } from '../../domain/groups/group-snapshots.js';
import { refreshGroupSnapshot } from '../../domain/groups/refresh.js';
import { visibleGroup, visibleGroupSnapshot } from '../../domain/groups/visible.js';
import { resetStatus } from '../../domain/state-machine.js';
import { toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { pageParams, paginate, queryValue } from '../listing.js';
import { atLeast, type ApiVersion } from '../microversion.js';
import * as G from '../schemas/groups.js';

const tags = ['group-snapshots'];
const min = '3.14' as const;
const SORT_KEYS = ['id', 'name', 'status', 'created_at', 'group_id', 'description'];

function groupSnapshotView(gs: GroupSnapshotsTable, v: ApiVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { id: gs.id, name: gs.name, status: gs.status, created_at: gs.created_at, description: gs.description, group_id: gs.group_id, group_type_id: gs.group_type_id };
  if (atLeast(v, '3.58')) out.project_id = gs.project_id;
  return out;
}

/** Group snapshots (3.14): create, show, list, delete, reset (3.19). */
export function registerGroupSnapshotRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const load = async (req: ApiRequest): Promise<GroupSnapshotsTable> => {
    const gs = await refreshGroupSnapshot(db, await visibleGroupSnapshot(db, req.ctx, req.params.id!));
    if (!gs) throw new AshlarError('NOT_FOUND', { details: { resource: 'GroupSnapshot', id: req.params.id! } });
    return gs;
  };
  const listed = async (req: ApiRequest): Promise<GroupSnapshotsTable[]> => {
    const all = req.ctx.isAdmin && toBool(queryValue(req.query, 'all_tenants'));
    const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
    const rows = await findGroupSnapshots(db, { projectId: all ? undefined : req.ctx.projectId, groupId: queryValue(req.query, 'group_id'), status: queryValue(req.query, 'status'), name: queryValue(req.query, 'name') }, page.sort);
    const live: GroupSnapshotsTable[] = [];
    for (const r of rows) {
      const gs = await refreshGroupSnapshot(db, r);
      if (gs) live.push(gs);
    }
    return paginate(live, page, 'group snapshot').items;
  };

  defineRoute(app, env, {
    method: 'GET', path: '/group_snapshots',
    doc: { operationId: 'listGroupSnapshots', summary: 'List group snapshots (ids and names).', tags, min, query: G.groupSnapshotListQuery, responses: { 200: [{ schema: G.groupSnapshotListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group_snapshots: (await listed(req)).map((gs) => ({ id: gs.id, name: gs.name })) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: '/group_snapshots/detail',
    doc: { operationId: 'listGroupSnapshotsDetail', summary: 'List group snapshots in detail.', tags, min, query: G.groupSnapshotListQuery, responses: { 200: [{ schema: G.groupSnapshotDetailListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group_snapshots: (await listed(req)).map((gs) => groupSnapshotView(gs, req.version)) } }),
  });

  defineRoute(app, env, {
    method: 'POST', path: '/group_snapshots',
    doc: { operationId: 'createGroupSnapshot', summary: 'Snapshot every volume of a group.', tags, min, body: [{ schema: G.groupSnapshotCreateRequest }], responses: { 202: [{ schema: G.groupSnapshotCreateResponse }] }, errors: ['GROUP_NOT_FOUND', 'INVALID_STATE', 'QUOTA_EXCEEDED'] },
    handler: async (req: ApiRequest<{ group_snapshot: { group_id: string; name?: string | null; description?: string | null } }>) => {
      const b = req.body.group_snapshot;
      const gs = await createGroupSnapshot(deps, req.ctx, await visibleGroup(db, req.ctx, b.group_id), { name: b.name, description: b.description });
      return { status: 202, body: { group_snapshot: { id: gs.id, name: gs.name, group_type_id: gs.group_type_id } } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/group_snapshots/:id',
    doc: { operationId: 'showGroupSnapshot', summary: 'Show a group snapshot.', tags, min, responses: { 200: [{ schema: G.groupSnapshotResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { group_snapshot: groupSnapshotView(await load(req), req.version) } }),
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/group_snapshots/:id',
    doc: { operationId: 'deleteGroupSnapshot', summary: 'Delete a group snapshot and its snapshots.', tags, min, responses: { 202: [] }, errors: ['NOT_FOUND', 'INVALID_STATE'] },
    handler: async (req) => {
      await deleteGroupSnapshot(deps, req.ctx, await load(req));
      return { status: 202 };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/group_snapshots/:id/action',
    doc: {
      operationId: 'groupSnapshotAction', summary: 'Reset the status of a group snapshot.', tags, min: '3.19',
      actions: [{ name: 'reset_status', summary: 'Set the status without touching the backend.', min: '3.19', schema: G.resetStatusAction, status: 202, adminOnly: true }],
      responses: { 202: [] }, errors: ['NOT_FOUND', 'BAD_REQUEST', 'FORBIDDEN'],
    },
    actions: {
      reset_status: async (req: ApiRequest<{ status: string }>) => {
        const gs = await load(req);
        await resetStatus(db, GROUP_SNAPSHOT_STATES, gs.id, req.body.status);
        return { status: 202 };
      },
    },
  });
}
