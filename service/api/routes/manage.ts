import type { FastifyInstance } from 'fastify';
import { findServices } from '../../db/repositories/services.js';
import { insertVolume } from '../../db/repositories/volumes.js';
import { transition } from '../../domain/state-machine.js';
import { toDriverVolume } from '../../domain/volumes/to-driver-volume.js';
import { VOLUME_STATES } from '../../domain/volumes/volume-states.js';
import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import * as S from '../schemas/volumes.js';
import type { VolumesTable } from '../../db/tables.js';
import { newId, now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { offsetParam, pageParams, queryValue } from '../listing.js';
import { defaultType, usableType } from '../../domain/lookup.js';
import { checkQuota } from '../../domain/quotas.js';
import { volumeView } from '../views.js';
import { echoed } from '../fault-text.js';

type ManageBody = {
  volume: { host?: string | null; cluster?: string | null; ref: Record<string, string> | string; name?: string | null; description?: string | null; volume_type?: string | null; availability_zone?: string | null; bootable?: unknown; metadata?: Record<string, string> | null };
};

/**
 * Managing volumes that already exist on a backend: listing candidates (3.8) and adopting
 * one (os-volume-manage, and POST /manageable_volumes). The driver calls run in the API
 * request, so these routes need the volume service in the same process (role all), as
 * the connection calls do. Drivers without the `manage` capability answer 501, as
 * Cinder's do.
 */
export function registerManageRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const tags = ['volume-manage'];

  /**
   * The backend of `host@backend[#pool]`, which must be an enabled volume service run by
   * this process. A host that names no volume service, or a disabled one, is the request's
   * mistake (400; Cinder answers 503 for both); a backend served by another process is not.
   */
  const backendFor = async (host: string | null | undefined) => {
    if (!host) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Invalid input received: host is required (cluster names are not supported here).' } });
    const backendHost = host.split('#')[0]!;
    const [service] = await findServices(db, { binary: 'cinder-volume', host: backendHost });
    const invalid = (why: string) => new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: ${why}` } });
    if (!service) throw invalid(`no volume service runs on host '${echoed(host)}'.`);
    if (service.disabled || service.frozen) throw invalid(`the volume service ${echoed(backendHost)} is ${service.disabled ? 'disabled' : 'frozen'}.`);
    if (!deps.backends?.owns(backendHost)) {
      const why = `Backend ${echoed(backendHost)} is not served by this process; manage it through the service that runs it.`;
      throw new AshlarError('BACKEND_UNAVAILABLE', { message: why, details: { reason: why } });
    }
    return { backend: deps.backends.forHost(backendHost), backendHost, zone: service.availability_zone };
  };

  const list = (detail: boolean) => async (req: ApiRequest) => {
    const { backend } = await backendFor(queryValue(req.query, 'host'));
    const page = pageParams({ ...req.query, ...(req.query.sort === undefined && req.query.sort_key === undefined ? { sort: 'reference:asc' } : {}) }, ['reference', 'size', 'id'], config.maxLimit);
    const { volumes } = await backend.driver.listManageableVolumes({});
    const ref = (r: Readonly<Record<string, string>>) => JSON.stringify(r);
    const sorted = [...volumes].sort((a, b) => {
      for (const s of page.sort) {
        const c = s.key === 'size' ? a.sizeGiB - b.sizeGiB : s.key === 'reference' ? ref(a.reference).localeCompare(ref(b.reference)) : 0;
        if (c !== 0) return s.dir === 'asc' ? c : -c;
      }
      return 0;
    });
    let start = offsetParam(req.query);
    if (page.marker !== undefined) start = sorted.findIndex((v) => ref(v.reference) === page.marker || Object.values(v.reference).includes(page.marker!)) + 1;
    const items = sorted.slice(start, start + page.limit).map((v) => ({
      reference: { ...v.reference },
      size: v.sizeGiB,
      safe_to_manage: v.safeToManage,
      ...(detail ? { reason_not_safe: v.reasonNotSafe ?? null, cinder_id: v.cinderId ?? null, extra_info: null } : {}),
    }));
    return { status: 200, body: { 'manageable-volumes': items } };
  };
  const listDoc = (detail: boolean) => ({
    operationId: detail ? 'listManageableVolumesDetail' : 'listManageableVolumes',
    summary: detail ? 'Volumes on a backend that could be managed, with details (3.8).' : 'Volumes on a backend that could be managed (3.8).',
    tags, min: '3.8' as const, adminOnly: true,
    query: S.manageableVolumeListQuery,
    responses: { 200: [{ schema: S.manageableVolumeListResponse }] },
    errors: ['FORBIDDEN', 'BAD_REQUEST', 'BACKEND_UNAVAILABLE', 'NOT_SUPPORTED'],
  });
  defineRoute(app, env, { method: 'GET', path: '/manageable_volumes', doc: listDoc(false), handler: list(false) });
  defineRoute(app, env, { method: 'GET', path: '/manageable_volumes/detail', doc: listDoc(true), handler: list(true) });

  const manage = async (req: ApiRequest<ManageBody>) => {
    const b = req.body.volume;
    const { backend, backendHost, zone } = await backendFor(b.host ?? b.cluster);
    let type;
    try {
      type = b.volume_type ? await usableType(db, req.ctx, b.volume_type) : await defaultType(db, req.ctx.projectId, config.defaultVolumeType);
    } catch (err) {
      if (hasErrorCode(err, 'NOT_FOUND') && b.volume_type) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid volume type: Cannot find requested '${b.volume_type}' volume type` } });
      throw err;
    }
    const existingRef = typeof b.ref === 'string' ? { 'source-name': b.ref } : b.ref;
    const { sizeGiB } = await backend.driver.manageExistingGetSize({ existingRef });
    const pool = (b.host ?? '').includes('#') ? b.host! : `${backendHost}#${(backend.stats?.pool_name as string | undefined) ?? backend.config.section}`;
    const row: VolumesTable = {
      id: newId(),
      project_id: req.ctx.projectId,
      user_id: req.ctx.userId,
      name: b.name?.trim() || null,
      description: b.description?.trim() || null,
      size: sizeGiB,
      status: 'creating',
      attach_status: 'detached',
      availability_zone: b.availability_zone ?? zone,
      volume_type_id: type.id,
      host: pool,
      snapshot_id: null,
      source_volid: null,
      bootable: toBool(b.bootable) ? 1 : 0,
      multiattach: /^<is>\s*true$/i.test(parseMap(type.extra_specs).multiattach ?? '') ? 1 : 0,
      provider_location: null,
      metadata: JSON.stringify(b.metadata ?? {}),
      migration_status: null,
      created_at: now(),
      updated_at: null,
    };
    await db.transaction().execute(async (trx) => {
      await checkQuota(trx, config.database.kind, req.ctx.projectId, config.quota, { volumes: 1, gigabytes: sizeGiB }, sizeGiB);
      await insertVolume(trx, row);
    });
    let done: VolumesTable;
    try {
      const { providerLocation } = await backend.driver.manageExisting({ volume: await toDriverVolume(db, row), existingRef });
      done = { ...row, status: 'available', provider_location: providerLocation ?? null, updated_at: now() };
    } catch (err) {
      // Cinder leaves the volume in error_managing, shown as error; it can be deleted.
      await transition(db, VOLUME_STATES, { row, from: ['creating'], to: 'error', action: 'manage' });
      throw err;
    }
    await transition(db, VOLUME_STATES, { row, from: ['creating'], to: 'available', action: 'manage', set: { provider_location: done.provider_location } });
    return { status: 202, body: { volume: volumeView(done, type.name, [], req.version, req.ctx, req.baseUrl) } };
  };
  const manageDoc = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags,
    adminOnly: true,
    body: [{ schema: S.volumeManageRequest }],
    responses: { 202: [{ schema: S.volumeResponse }] },
    errors: ['FORBIDDEN', 'BAD_REQUEST', 'BACKEND_UNAVAILABLE', 'NOT_SUPPORTED', 'MANAGE_TARGET_NOT_FOUND', 'QUOTA_EXCEEDED'],
  });
  defineRoute(app, env, { method: 'POST', path: '/os-volume-manage', doc: manageDoc('manageVolume', 'Adopt a volume that exists on a backend.'), handler: manage });
  defineRoute(app, env, { method: 'POST', path: '/manageable_volumes', doc: manageDoc('manageVolumeV3', 'Adopt a volume that exists on a backend (v3 path).'), handler: manage });
}
