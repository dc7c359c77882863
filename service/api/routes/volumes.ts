import type { FastifyInstance } from 'fastify';
import type { SelectQueryBuilder } from 'kysely';
import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/volumes.js';
import type { RequestContext } from '../../auth/context.js';
import type { AttachmentsTable, Database, VolumesTable } from '../../db/tables.js';
import { MessageRecorder } from '../../manager/messages.js';
import { VOLUME_DELETABLE } from '../../manager/states.js';
import { enqueueWork } from '../../manager/work.js';
import { newId, now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { readAux } from '../aux-metadata.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { nextLink, pageParams, paginate, parseMetadataFilter, parseTimeFilter, queryValue } from '../listing.js';
import { defaultType, usableType, visibleSnapshot, visibleVolume } from '../lookup.js';
import { atLeast } from '../microversion.js';
import { checkQuota } from '../quotas.js';
import { volumeView } from '../views.js';

const SORT_KEYS = ['id', 'name', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'bootable', 'volume_type_id', 'project_id'];

type CreateBody = { volume: Record<string, unknown> & { metadata?: Record<string, string> | null } };

/** Volumes: create, list, detail, show, update, delete, summary. */
export function registerVolumeRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const messages = new MessageRecorder(db, config.messageTtlS);

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
      const b = req.body.volume;
      if (b.imageRef) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Creating a volume from an image is not supported by this service.' } });
      if (b.backup_id) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Creating a volume from a backup is not supported by this service.' } });
      let size = b.size === undefined || b.size === null ? undefined : Number(b.size);
      let source: { kind: 'snapshot' | 'volume'; id: string } | undefined;
      let sourceVolume: VolumesTable | undefined;
      if (b.snapshot_id && b.source_volid) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Give snapshot_id or source_volid, not both.' } });
      if (b.snapshot_id) {
        const snap = await visibleSnapshot(db, req.ctx, String(b.snapshot_id));
        if (snap.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: `Originating snapshot status must be available, not ${snap.status}.` } });
        size ??= snap.size;
        if (size < snap.size) throw new AshlarError('BAD_REQUEST', { details: { reason: `Volume size ${size} GiB cannot be smaller than the snapshot size ${snap.size} GiB.` } });
        sourceVolume = await db.selectFrom('volumes').selectAll().where('id', '=', snap.volume_id).executeTakeFirstOrThrow();
        source = { kind: 'snapshot', id: snap.id };
      } else if (b.source_volid) {
        sourceVolume = await visibleVolume(db, req.ctx, String(b.source_volid));
        if (!['available', 'in-use'].includes(sourceVolume.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Source volume status must be available or in-use, not ${sourceVolume.status}.` } });
        size ??= sourceVolume.size;
        if (size < sourceVolume.size) throw new AshlarError('BAD_REQUEST', { details: { reason: `Volume size ${size} GiB cannot be smaller than the source volume size ${sourceVolume.size} GiB.` } });
        source = { kind: 'volume', id: sourceVolume.id };
      }
      if (size === undefined || !Number.isInteger(size) || size < 1) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: size must be a positive integer, got ${String(b.size)}.` } });
      const type = b.volume_type
        ? await usableType(db, req.ctx, String(b.volume_type))
        : sourceVolume?.volume_type_id
          ? await usableType(db, { ...req.ctx, isAdmin: true }, sourceVolume.volume_type_id)
          : await defaultType(db, req.ctx.projectId, config.defaultVolumeType);
      const extraSpecs = parseMap(type.extra_specs);
      const az = await resolveZone(deps, (b.availability_zone as string | null | undefined) ?? sourceVolume?.availability_zone);
      const multiattach = toBool(b.multiattach) || /^<is>\s*true$/i.test(extraSpecs.multiattach ?? '');
      let host: string | null = sourceVolume?.host ?? null;
      let scheduleError: unknown;
      if (!sourceVolume) {
        try {
          host = (await deps.scheduler.select({ sizeGiB: size, availabilityZone: az, extraSpecs })).host;
        } catch (err) {
          if (!hasErrorCode(err, 'NO_VALID_BACKEND')) throw err;
          scheduleError = err;
        }
      }
      const row: VolumesTable = {
        id: newId(),
        project_id: req.ctx.projectId,
        user_id: req.ctx.userId,
        name: (b.name ?? b.display_name ?? null) as string | null,
        description: (b.description ?? b.display_description ?? null) as string | null,
        size,
        status: scheduleError ? 'error' : 'creating',
        attach_status: 'detached',
        availability_zone: az,
        volume_type_id: type.id,
        host,
        snapshot_id: source?.kind === 'snapshot' ? source.id : null,
        source_volid: source?.kind === 'volume' ? source.id : null,
        bootable: sourceVolume?.bootable ?? (toBool(b.bootable) ? 1 : 0),
        multiattach: multiattach ? 1 : 0,
        provider_location: null,
        metadata: JSON.stringify(b.metadata ?? {}),
        migration_status: null,
        created_at: now(),
        updated_at: null,
      };
      const work = await db.transaction().execute(async (trx) => {
        await checkQuota(trx, config.database.kind, req.ctx.projectId, config.quota, { volumes: 1, gigabytes: size }, size);
        await trx.insertInto('volumes').values(row).execute();
        if (scheduleError) return undefined;
        return enqueueWork(trx, { host: host!.split('@')[0]!, resourceType: 'volume', resourceId: row.id, operation: 'create_volume', ...(source ? { args: { source } } : {}), requestId: req.ctx.requestId, projectId: req.ctx.projectId });
      });
      if (work) deps.submit(work);
      else await messages.record({ projectId: row.project_id, requestId: req.ctx.requestId, resourceType: 'VOLUME', resourceId: row.id, event: 'CREATE_VOLUME_NO_BACKEND', detail: (scheduleError as Error).message });
      return { status: 202, body: { volume: volumeView(row, type.name, [], req.version, req.ctx, req.baseUrl) } };
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

/**
 * Starts deleting a volume (and, with cascade, its snapshots): checks its status and
 * dependents, then moves it to `deleting` and queues the work in one transaction.
 */
export async function deleteVolume(deps: ApiDeps, ctx: RequestContext, v: VolumesTable, opts: { force: boolean; cascade: boolean }): Promise<void> {
  const { db } = deps;
  if (!opts.force) {
    if (!(VOLUME_DELETABLE as readonly string[]).includes(v.status)) {
      throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer, not ${v.status}.` } });
    }
    if (v.attach_status === 'attached') throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume is attached.' } });
  }
  const snaps = await db.selectFrom('snapshots').selectAll().where('volume_id', '=', v.id).execute();
  if (snaps.length > 0 && !opts.cascade) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} still has ${snaps.length} dependent snapshots.` } });
  }
  if (snaps.some((s) => !['available', 'error'].includes(s.status))) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Snapshots of the volume must be available or error to cascade the delete.' } });
  }
  const serviceHost = v.host?.split('@')[0];
  const rows = await db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('volumes').set({ status: 'deleting', updated_at: now() }).where('id', '=', v.id).where('status', '=', v.status).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Volume status changed during the request.' } });
    if (!serviceHost) {
      // Never reached a backend (scheduling failed): nothing to clean up there.
      await trx.deleteFrom('volumes').where('id', '=', v.id).execute();
      return [];
    }
    const work = [];
    for (const s of snaps) {
      await trx.updateTable('snapshots').set({ status: 'deleting', updated_at: now() }).where('id', '=', s.id).execute();
      work.push(await enqueueWork(trx, { host: serviceHost, resourceType: 'snapshot', resourceId: s.id, operation: 'delete_snapshot', requestId: ctx.requestId, projectId: v.project_id }));
    }
    work.push(await enqueueWork(trx, { host: serviceHost, resourceType: 'volume', resourceId: v.id, operation: 'delete_volume', requestId: ctx.requestId, projectId: v.project_id }));
    return work;
  });
  for (const w of rows) deps.submit(w);
}

async function resolveZone(deps: ApiDeps, requested: string | undefined | null): Promise<string> {
  const { config } = deps;
  const zones = new Set((await deps.scheduler.pools()).map((p) => p.availabilityZone));
  for (const b of config.backends) zones.add(b.availabilityZone);
  const az = requested ?? config.defaultAvailabilityZone;
  if (zones.has(az)) return az;
  if (config.allowAvailabilityZoneFallback) return config.defaultAvailabilityZone;
  throw new AshlarError('BAD_REQUEST', { details: { reason: `Availability zone '${az}' is invalid.` } });
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
