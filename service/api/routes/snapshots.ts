import type { FastifyInstance } from 'fastify';
import { countSnapshots, snapshotPage, updateSnapshotFields } from '../../db/repositories/snapshots.js';
import * as S from '../schemas/snapshots.js';
import { noArgsAction } from '../schemas/volume-actions.js';
import type { SnapshotsTable } from '../../db/tables.js';
import { createSnapshot } from '../../domain/snapshots/create-snapshot.js';
import { deleteSnapshot } from '../../domain/snapshots/delete-snapshot.js';
import { SNAPSHOT_STATES } from '../../domain/snapshots/snapshot-states.js';
import { resetStatus } from '../../domain/state-machine.js';
import { now, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { foundPage, nextLink, pageParams, parseMetadataFilter, queryValue } from '../listing.js';
import { visibleSnapshot, visibleVolume } from '../../domain/lookup.js';
import { atLeast } from '../microversion.js';
import { snapshotView } from '../views.js';

const SORT_KEYS = ['id', 'name', 'status', 'size', 'created_at', 'updated_at', 'volume_id'];

/** Snapshots: create, list, detail, show, update, delete, actions. */
export function registerSnapshotRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;

  defineRoute(app, env, {
    method: 'POST',
    path: '/snapshots',
    doc: { operationId: 'createSnapshot', summary: 'Snapshot a volume.', tags: ['snapshots'], body: [{ schema: S.snapshotCreateRequest }], responses: { 202: [{ schema: S.snapshotResponse }] }, errors: ['VOLUME_NOT_FOUND', 'INVALID_STATE', 'QUOTA_EXCEEDED', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ snapshot: Record<string, unknown> & { volume_id: string; metadata?: Record<string, string> | null } }>) => {
      const b = req.body.snapshot;
      const v = await visibleVolume(db, req.ctx, b.volume_id);
      const row = await createSnapshot(deps, req.ctx, v, {
        name: (b.name ?? b.display_name ?? null) as string | null,
        description: (b.description ?? b.display_description ?? null) as string | null,
        metadata: b.metadata ?? {},
        force: toBool(b.force),
      });
      return { status: 202, body: { snapshot: snapshotView(row, req.version) } };
    },
  });

  const list = async (req: ApiRequest) => {
    const page = pageParams(req.query, SORT_KEYS, config.maxLimit);
    const allTenants = req.ctx.isAdmin && toBool(queryValue(req.query, 'all_tenants'));
    const metaText = queryValue(req.query, 'metadata');
    const filter = {
      projectId: allTenants ? undefined : req.ctx.projectId,
      status: queryValue(req.query, 'status'),
      volumeId: queryValue(req.query, 'volume_id'),
      name: queryValue(req.query, 'name'),
      metadata: metaText === undefined ? undefined : parseMetadataFilter(metaText),
    };
    const { rows: items, more } = foundPage(await snapshotPage(db, filter, page), page, 'snapshot');
    const body: Record<string, unknown> = { snapshots: items.map((s) => snapshotView(s, req.version)) };
    const links = nextLink(req.baseUrl, `/v3/${req.ctx.projectId}/snapshots`, req.query, items.at(-1)?.id, more);
    if (links) body.snapshots_links = links;
    if (atLeast(req.version, '3.45') && toBool(queryValue(req.query, 'with_count'))) body.count = await countSnapshots(db, filter);
    return { status: 200, body };
  };
  defineRoute(app, env, { method: 'GET', path: '/snapshots', doc: { operationId: 'listSnapshots', summary: 'List snapshots.', tags: ['snapshots'], query: S.snapshotListQuery, responses: { 200: [{ schema: S.snapshotListResponse }] }, errors: ['BAD_REQUEST'] }, handler: list });
  defineRoute(app, env, { method: 'GET', path: '/snapshots/detail', doc: { operationId: 'listSnapshotsDetail', summary: 'List snapshots with details.', tags: ['snapshots'], query: S.snapshotListQuery, responses: { 200: [{ schema: S.snapshotListResponse }] }, errors: ['BAD_REQUEST'] }, handler: list });

  defineRoute(app, env, {
    method: 'GET',
    path: '/snapshots/:id',
    doc: { operationId: 'showSnapshot', summary: 'Show a snapshot.', tags: ['snapshots'], responses: { 200: [{ schema: S.snapshotResponse }] }, errors: ['SNAPSHOT_NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { snapshot: snapshotView(await visibleSnapshot(db, req.ctx, req.params.id!), req.version) } }),
  });

  defineRoute(app, env, {
    method: 'PUT',
    path: '/snapshots/:id',
    doc: { operationId: 'updateSnapshot', summary: 'Rename or describe a snapshot.', tags: ['snapshots'], body: [{ schema: S.snapshotUpdateRequest }], responses: { 200: [{ schema: S.snapshotResponse }] }, errors: ['SNAPSHOT_NOT_FOUND'] },
    handler: async (req: ApiRequest<{ snapshot: Record<string, string | null> }>) => {
      const s = await visibleSnapshot(db, req.ctx, req.params.id!);
      const b = req.body.snapshot;
      const set: Partial<SnapshotsTable> = { updated_at: now() };
      if ('name' in b || 'display_name' in b) set.name = b.name ?? b.display_name ?? null;
      if ('description' in b || 'display_description' in b) set.description = b.description ?? b.display_description ?? null;
      await updateSnapshotFields(db, s.id, set);
      return { status: 200, body: { snapshot: snapshotView({ ...s, ...set }, req.version) } };
    },
  });

  const startDelete = async (req: ApiRequest<unknown>, force: boolean) => {
    await deleteSnapshot(deps, req.ctx, await visibleSnapshot(db, req.ctx, req.params.id!), force);
    return { status: 202 };
  };
  defineRoute(app, env, {
    method: 'DELETE',
    path: '/snapshots/:id',
    doc: { operationId: 'deleteSnapshot', summary: 'Delete a snapshot.', tags: ['snapshots'], responses: { 202: [] }, errors: ['SNAPSHOT_NOT_FOUND', 'INVALID_STATE'] },
    handler: (req) => startDelete(req, false),
  });

  defineRoute(app, env, {
    method: 'POST',
    path: '/snapshots/:id/action',
    doc: {
      operationId: 'snapshotAction',
      summary: 'Run an action on a snapshot.',
      tags: ['snapshot-actions'],
      actions: [
        { name: 'os-reset_status', summary: 'Set the status without touching the backend.', schema: S.snapshotResetStatusAction, status: 202, adminOnly: true },
        { name: 'os-force_delete', summary: 'Delete in any status.', schema: noArgsAction, status: 202, adminOnly: true },
      ],
      responses: { 202: [] },
      errors: ['SNAPSHOT_NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'],
    },
    actions: {
      'os-reset_status': async (req: ApiRequest<{ status: string }>) => {
        const s = await visibleSnapshot(db, req.ctx, req.params.id!);
        await resetStatus(db, SNAPSHOT_STATES, s.id, req.body.status);
        return { status: 202 };
      },
      'os-force_delete': (req) => startDelete(req, true),
    },
  });
}
