import type { FastifyInstance } from 'fastify';
import type { SelectQueryBuilder } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/volumes.js';
import type { RequestContext } from '../../auth/context.js';
import type { AttachmentsTable, Database, VolumesTable } from '../../db/tables.js';
import { createVolume } from '../../domain/volumes/create-volume.js';
import { deleteVolume } from '../../domain/volumes/delete-volume.js';
import { now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { readAux } from '../../domain/volumes/aux-metadata.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { nextLink, pageParams, paginate, parseMetadataFilter, parseTimeFilter, queryValue } from '../listing.js';
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
    const typeNames = await typeNameMap(deps);
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
  const listQuery = {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: 0 },
      marker: { type: 'string' },
      sort: { type: 'string', description: 'key[:asc|desc][,key...]' },
      sort_key: { type: 'string' },
      sort_dir: { type: 'string' },
      name: { type: 'string' },
      'name~': { type: 'string', description: 'Substring match (3.34+).' },
      status: { type: 'string' },
      availability_zone: { type: 'string' },
      bootable: { type: 'string' },
      metadata: { type: 'string', description: 'JSON object of metadata that must match.' },
      all_tenants: { type: 'string' },
      project_id: { type: 'string' },
      with_count: { type: 'boolean', description: '3.45+' },
    },
  };
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
      const rows = await scopedVolumes(deps, req.ctx, req.query).execute();
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
      const set: Partial<VolumesTable> = { updated_at: now() };
      if ('name' in b || 'display_name' in b) set.name = (b.name ?? b.display_name ?? null) as string | null;
      if ('description' in b || 'display_description' in b) set.description = (b.description ?? b.display_description ?? null) as string | null;
      if (b.metadata) set.metadata = JSON.stringify(b.metadata);
      await db.updateTable('volumes').set(set).where('id', '=', v.id).execute();
      return { status: 200, body: { volume: await fullView(deps, { ...v, ...set }, req) } };
    },
  });

  defineRoute(app, env, {
    method: 'DELETE',
    path: '/volumes/:id',
    doc: {
      operationId: 'deleteVolume',
      summary: 'Delete a volume; with cascade=true its snapshots too.',
      tags: ['volumes'],
      query: { type: 'object', properties: { cascade: { type: 'boolean' }, force: { type: 'boolean', description: 'Administrators: delete in any status (3.23+).' } } },
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

function scopedVolumes(deps: ApiDeps, ctx: RequestContext, q: ApiRequest['query']) {
  let query = deps.db.selectFrom('volumes').selectAll();
  const allTenants = ctx.isAdmin && toBool(queryValue(q, 'all_tenants'));
  const project = queryValue(q, 'project_id');
  if (!allTenants) query = query.where('project_id', '=', ctx.projectId);
  else if (project) query = query.where('project_id', '=', project);
  for (const key of ['status', 'availability_zone'] as const) {
    const val = queryValue(q, key);
    if (val !== undefined) query = query.where(key, '=', val);
  }
  const name = queryValue(q, 'name') ?? queryValue(q, 'display_name');
  if (name !== undefined) query = query.where('name', '=', name);
  const like = queryValue(q, 'name~');
  if (like !== undefined) query = query.where('name', 'like', `%${like.replace(/[%_]/g, '')}%`);
  const bootable = queryValue(q, 'bootable');
  if (bootable !== undefined) query = query.where('bootable', '=', toBool(bootable) ? 1 : 0);
  return moreVolumeFilters(query, q);
}

/** The rest of Cinder's volume filters (resource_filters): size, migration_status, group_id, consumes_quota, and created_at/updated_at comparisons (3.60). */
function moreVolumeFilters<Q extends SelectQueryBuilder<Database, 'volumes', VolumesTable>>(query: Q, q: ApiRequest['query']): Q {
  let out = query as SelectQueryBuilder<Database, 'volumes', VolumesTable>;
  const size = queryValue(q, 'size');
  if (size !== undefined) {
    if (!/^\d+$/.test(size)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid size filter ${size}: expected a whole number of GiB.` } });
    out = out.where('size', '=', Number(size));
  }
  const migration = queryValue(q, 'migration_status');
  if (migration !== undefined) out = migration.toLowerCase() === 'none' ? out.where('migration_status', 'is', null) : out.where('migration_status', '=', migration);
  // No volume here belongs to a group, and every volume consumes quota.
  if (queryValue(q, 'group_id') !== undefined) out = out.where('id', 'is', null);
  const consumes = queryValue(q, 'consumes_quota');
  if (consumes !== undefined && !toBool(consumes)) out = out.where('id', 'is', null);
  for (const key of ['created_at', 'updated_at'] as const) {
    const text = queryValue(q, key);
    if (text === undefined) continue;
    const { op, value } = parseTimeFilter(text, key);
    out = out.where(key, op, value);
  }
  return out as Q;
}

async function listVolumes(deps: ApiDeps, req: ApiRequest): Promise<{ rows: VolumesTable[]; count: number | undefined; more: boolean }> {
  const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
  let query = scopedVolumes(deps, req.ctx, req.query);
  for (const s of page.sort) query = query.orderBy(s.key as 'id', s.dir);
  let metaFilter: Record<string, string> | undefined;
  const metaText = queryValue(req.query, 'metadata');
  if (metaText !== undefined) {
    metaFilter = parseMetadataFilter(metaText);
  }
  const withCount = atLeast(req.version, '3.45') && toBool(queryValue(req.query, 'with_count'));
  // Without a marker, metadata filter or count, the database can stop at the page size.
  const simple = page.marker === undefined && !metaFilter && !withCount;
  let rows = await (simple ? query.limit(page.limit + 1) : query).execute();
  if (metaFilter) {
    const want = Object.entries(metaFilter);
    rows = rows.filter((r) => {
      const m = parseMap(r.metadata);
      return want.every(([k, v]) => m[k] === String(v));
    });
  }
  const { items, more } = paginate(rows, page, 'volume');
  return { rows: items, count: withCount ? rows.length : undefined, more };
}

let typeCache: { at: number; map: Map<string, string> } | undefined;
async function typeNameMap(deps: ApiDeps): Promise<Map<string, string>> {
  // Type names change rarely; a one-second cache keeps list requests to one query.
  if (typeCache && Date.now() - typeCache.at < 1000) return typeCache.map;
  const rows = await deps.db.selectFrom('volume_types').select(['id', 'name']).execute();
  typeCache = { at: Date.now(), map: new Map(rows.map((r) => [r.id, r.name])) };
  return typeCache.map;
}

/** Forgets cached type names (after a type is renamed or deleted). */
export function invalidateTypeNames(): void {
  typeCache = undefined;
}

async function attachmentsOf(deps: ApiDeps, rows: readonly VolumesTable[]): Promise<Map<string, AttachmentsTable[]>> {
  const ids = rows.filter((r) => r.attach_status === 'attached').map((r) => r.id);
  const map = new Map<string, AttachmentsTable[]>();
  if (ids.length === 0) return map;
  for (const a of await deps.db.selectFrom('attachments').selectAll().where('volume_id', 'in', ids).execute()) {
    (map.get(a.volume_id) ?? map.set(a.volume_id, []).get(a.volume_id)!).push(a);
  }
  return map;
}

/** A volume with its type name and attachments, as show/update answer it. */
export async function fullView(deps: ApiDeps, v: VolumesTable, req: ApiRequest<unknown>): Promise<Record<string, unknown>> {
  const names = await typeNameMap(deps);
  const attachments = (await attachmentsOf(deps, [v])).get(v.id) ?? [];
  const view = volumeView(v, v.volume_type_id ? (names.get(v.volume_type_id) ?? null) : null, attachments, req.version, req.ctx, req.baseUrl);
  // Cinder's os-vol-image-meta extension adds the image metadata when there is some.
  const image = await readAux(deps.db, 'image', v.id);
  if (Object.keys(image).length > 0) view.volume_image_metadata = image;
  return view;
}
