import type { FastifyInstance } from 'fastify';
import { updateVolumeFields } from '../../db/repositories/volumes.js';
import { attachmentsByVolume, countVolumes, findVolumes, volumePage, type TimeComparison, type VolumeFilter } from '../../db/repositories/volume-listing.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/volumes.js';
import type { RequestContext } from '../../auth/context.js';
import type { AttachmentsTable, VolumesTable } from '../../db/tables.js';
import { createVolume } from '../../domain/volumes/create-volume.js';
import { deleteVolume } from '../../domain/volumes/delete-volume.js';
import { now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { readAux } from '../../domain/volumes/aux-metadata.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { DB_MAX_INT, foundPage, nextLink, pageParams, parseMetadataFilter, parseTimeFilter, queryValue } from '../listing.js';
import { visibleVolume } from '../../domain/lookup.js';
import { atLeast } from '../microversion.js';
import { volumeView } from '../views.js';

const SORT_KEYS = ['id', 'name', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'bootable', 'volume_type_id', 'project_id'];

type CreateBody = { volume: Record<string, unknown> & { metadata?: Record<string, string> | null } };

/** Volumes: create, list, detail, show, update, delete, summary. */
export function registerVolumeRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(app, env, {
    method: 'POST',
    path: '/volumes',
    doc: {
      operationId: 'createVolume',
      summary: 'Create a volume: empty, from a snapshot, or a clone of another volume.',
      tags: ['volumes'],
      body: [{ schema: S.volumeCreateRequest }],
      responses: { 202: [{ schema: S.volumeResponse }] },
      errors: ['BAD_REQUEST', 'NOT_FOUND', 'VOLUME_NOT_FOUND', 'SNAPSHOT_NOT_FOUND', 'QUOTA_EXCEEDED', 'INVALID_STATE'],
    },
    handler: async (req: ApiRequest<CreateBody>) => {
      const { row, typeName } = await createVolume(deps, req.ctx, req.body.volume);
      return { status: 202, body: { volume: volumeView(row, typeName, [], req.version, req.ctx, req.baseUrl) } };
    },
  });

  const list = (detail: boolean) => async (req: ApiRequest) => {
    const { rows, count, more } = await listVolumes(deps, req);
    const typeNames = await deps.typeNames.get();
    const attachments = await attachmentsOf(deps, rows);
    const volumes = detail
      ? rows.map((v) => volumeView(v, v.volume_type_id ? (typeNames.get(v.volume_type_id) ?? null) : null, attachments.get(v.id) ?? [], req.version, req.ctx, req.baseUrl))
      : rows.map((v) => ({ id: v.id, name: v.name, links: volumeView(v, null, [], req.version, req.ctx, req.baseUrl).links }));
    const body: Record<string, unknown> = { volumes };
    const links = nextLink(req.baseUrl, `/v3/${req.ctx.projectId}/volumes${detail ? '/detail' : ''}`, req.query, rows.at(-1)?.id, more);
    if (links) body.volumes_links = links;
    if (count !== undefined) body.count = count;
    return { status: 200, body };
  };
  const listQuery = S.volumeListQuery;
  defineRoute(app, env, {
    method: 'GET',
    path: '/volumes',
    doc: { operationId: 'listVolumes', summary: 'List volumes (id, name, links).', tags: ['volumes'], query: listQuery, responses: { 200: [{ schema: S.volumeListResponse }] }, errors: ['BAD_REQUEST'] },
    handler: list(false),
    cacheable: true,
  });
  defineRoute(app, env, {
    method: 'GET',
    path: '/volumes/detail',
    doc: { operationId: 'listVolumesDetail', summary: 'List volumes with details.', tags: ['volumes'], query: listQuery, responses: { 200: [{ schema: S.volumeDetailListResponse }] }, errors: ['BAD_REQUEST'] },
    handler: list(true),
    cacheable: true,
  });

  defineRoute(app, env, {
    method: 'GET',
    path: '/volumes/summary',
    doc: { operationId: 'volumeSummary', summary: 'Count and total size of the visible volumes.', tags: ['volumes'], min: '3.12', responses: { 200: [{ schema: S.volumeSummaryResponse }] } },
    handler: async (req) => {
      const rows = await findVolumes(db, volumeFilter(req.ctx, req.query));
      const summary: Record<string, unknown> = { total_size: rows.reduce((n, r) => n + r.size, 0), total_count: rows.length };
      if (atLeast(req.version, '3.36')) {
        const meta: Record<string, string[]> = {};
        for (const r of rows) for (const [k, v] of Object.entries(parseMap(r.metadata))) if (!(meta[k] ??= []).includes(v)) meta[k]!.push(v);
        summary.metadata = meta;
      }
      return { status: 200, body: { 'volume-summary': summary } };
    },
  });

  defineRoute(app, env, {
    method: 'GET',
    path: '/volumes/:id',
    doc: { operationId: 'showVolume', summary: 'Show a volume.', tags: ['volumes'], responses: { 200: [{ schema: S.volumeResponse }] }, errors: ['VOLUME_NOT_FOUND'] },
    handler: async (req) => {
      const v = await visibleVolume(db, req.ctx, req.params.id!);
      return { status: 200, body: { volume: await fullView(deps, v, req) } };
    },
  });

  defineRoute(app, env, {
    method: 'PUT',
    path: '/volumes/:id',
    doc: { operationId: 'updateVolume', summary: 'Change the name, description or metadata of a volume.', tags: ['volumes'], body: [{ schema: S.volumeUpdateRequest }], responses: { 200: [{ schema: S.volumeResponse }] }, errors: ['VOLUME_NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ volume: Record<string, unknown> }>) => {
      const v = await visibleVolume(db, req.ctx, req.params.id!);
      const b = req.body.volume;
      const set: Partial<VolumesTable> = {};
      if ('name' in b || 'display_name' in b) set.name = (b.name ?? b.display_name ?? null) as string | null;
      if ('description' in b || 'display_description' in b) set.description = (b.description ?? b.display_description ?? null) as string | null;
      if (b.metadata) set.metadata = JSON.stringify(b.metadata);
      await updateVolumeFields(db, v.id, set);
      return { status: 200, body: { volume: await fullView(deps, { ...v, ...set, updated_at: now() }, req) } };
    },
  });

  defineRoute(app, env, {
    method: 'DELETE',
    path: '/volumes/:id',
    doc: {
      operationId: 'deleteVolume',
      summary: 'Delete a volume; with cascade=true its snapshots too.',
      tags: ['volumes'],
      query: S.volumeDeleteQuery,
      responses: { 202: [] },
      errors: ['VOLUME_NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
    },
    handler: async (req) => {
      const force = toBool(queryValue(req.query, 'force'));
      if (force && !req.ctx.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: 'volume:force_delete' } });
      await deleteVolume(deps, req.ctx, await visibleVolume(db, req.ctx, req.params.id!), { force, cascade: toBool(queryValue(req.query, 'cascade')) });
      return { status: 202 };
    },
  });

}

/** Cinder's volume list filters (resource_filters) read from the query string. */
function volumeFilter(ctx: RequestContext, q: ApiRequest['query']): VolumeFilter {
  const allTenants = ctx.isAdmin && toBool(queryValue(q, 'all_tenants'));
  const size = queryValue(q, 'size');
  if (size !== undefined && !/^\d+$/.test(size)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid size filter ${size}: expected a whole number of GiB.` } });
  const migration = queryValue(q, 'migration_status');
  const bootable = queryValue(q, 'bootable');
  const consumes = queryValue(q, 'consumes_quota');
  const times: TimeComparison[] = [];
  for (const key of ['created_at', 'updated_at'] as const) {
    const text = queryValue(q, key);
    if (text !== undefined) times.push({ key, ...parseTimeFilter(text, key) });
  }
  return {
    projectId: allTenants ? (queryValue(q, 'project_id') || undefined) : ctx.projectId,
    status: queryValue(q, 'status'),
    availabilityZone: queryValue(q, 'availability_zone'),
    name: queryValue(q, 'name') ?? queryValue(q, 'display_name'),
    nameContains: queryValue(q, 'name~'),
    bootable: bootable === undefined ? undefined : toBool(bootable),
    size: size === undefined || Number(size) > DB_MAX_INT ? undefined : Number(size),
    migrationStatus: migration === undefined ? undefined : migration.toLowerCase() === 'none' ? null : migration,
    groupId: queryValue(q, 'group_id'),
    // Every volume consumes quota; no size exceeds the databases' integer (PostgreSQL would
    // refuse to compare with a larger one).
    matchesNothing: (consumes !== undefined && !toBool(consumes)) || (size !== undefined && Number(size) > DB_MAX_INT),
    times,
  };
}

async function listVolumes(deps: ApiDeps, req: ApiRequest): Promise<{ rows: VolumesTable[]; count: number | undefined; more: boolean }> {
  const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
  const metaText = queryValue(req.query, 'metadata');
  const filter: VolumeFilter = { ...volumeFilter(req.ctx, req.query), metadata: metaText === undefined ? undefined : parseMetadataFilter(metaText) };
  const withCount = atLeast(req.version, '3.45') && toBool(queryValue(req.query, 'with_count'));
  const { rows, more } = foundPage(await volumePage(deps.db, filter, page), page, 'volume');
  return { rows, count: withCount ? await countVolumes(deps.db, filter) : undefined, more };
}

function attachmentsOf(deps: ApiDeps, rows: readonly VolumesTable[]): Promise<Map<string, AttachmentsTable[]>> {
  return attachmentsByVolume(deps.db, rows.filter((r) => r.attach_status === 'attached').map((r) => r.id));
}

/** A volume with its type name and attachments, as show/update answer it. */
export async function fullView(deps: ApiDeps, v: VolumesTable, req: ApiRequest<unknown>): Promise<Record<string, unknown>> {
  const names = await deps.typeNames.get();
  const attachments = (await attachmentsOf(deps, [v])).get(v.id) ?? [];
  const view = volumeView(v, v.volume_type_id ? (names.get(v.volume_type_id) ?? null) : null, attachments, req.version, req.ctx, req.baseUrl);
  // Cinder's os-vol-image-meta extension adds the image metadata when there is some.
  const image = await readAux(deps.db, 'image', v.id);
  if (Object.keys(image).length > 0) view.volume_image_metadata = image;
  return view;
}
