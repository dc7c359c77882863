import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as M from '../schemas/admin.js';
import type { ServicesTable } from '../../db/tables.js';
import { now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import { usableType } from '../../domain/lookup.js';
import { atLeast, type ApiVersion } from '../microversion.js';

/** Seconds without a heartbeat after which a service counts as down (Cinder's service_down_time). */
export const SERVICE_DOWN_TIME_S = 60;

function isUp(s: ServicesTable): boolean {
  return Date.now() - Date.parse(`${s.updated_at.slice(0, 23)}Z`) < SERVICE_DOWN_TIME_S * 1000;
}

function serviceView(s: ServicesTable, v: ApiVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    binary: s.binary,
    host: s.host,
    zone: s.availability_zone,
    status: s.disabled ? 'disabled' : 'enabled',
    state: isUp(s) ? 'up' : 'down',
    updated_at: s.updated_at,
    disabled_reason: s.disabled_reason,
  };
  // Cinder shows the replication fields of volume services only.
  if (s.binary === 'cinder-volume') Object.assign(out, { replication_status: s.replication_status, active_backend_id: null, frozen: s.frozen === 1 });
  if (atLeast(v, '3.7')) out.cluster = s.cluster_name;
  if (atLeast(v, '3.49') && s.binary === 'cinder-volume') out.backend_state = isUp(s) && s.capabilities ? 'up' : 'down';
  return out;
}

/** Availability zones, os-services, clusters (3.7) and scheduler-stats/get_pools. */
export function registerAdminRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(app, env, {
    method: 'GET', path: '/os-availability-zone',
    doc: { operationId: 'listAvailabilityZones', summary: 'Availability zones that have a volume backend.', tags: ['availability-zones'], responses: { 200: [{ schema: M.availabilityZoneListResponse }] } },
    handler: async () => {
      const zones = new Map<string, boolean>();
      for (const b of deps.config.backends) zones.set(b.availabilityZone, false);
      for (const p of await deps.scheduler.pools()) zones.set(p.availabilityZone, true);
      return { status: 200, body: { availabilityZoneInfo: [...zones].map(([zoneName, available]) => ({ zoneName, zoneState: { available } })) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/os-services',
    doc: { operationId: 'listServices', summary: 'Services and their state.', tags: ['services'], adminOnly: true, query: { type: 'object', properties: { host: { type: 'string' }, binary: { type: 'string' } } }, responses: { 200: [{ schema: M.serviceListResponse }] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      let q = db.selectFrom('services').selectAll().orderBy('id');
      const host = queryValue(req.query, 'host');
      const binary = queryValue(req.query, 'binary');
      if (host) q = q.where('host', '=', host);
      if (binary) q = q.where('binary', '=', binary);
      return { status: 200, body: { services: (await q.execute()).map((s) => serviceView(s, req.version)) } };
    },
  });

  const update = (disable: boolean, withReason: boolean) => async (req: ApiRequest<{ host: string; binary?: string; disabled_reason?: string }>) => {
    const binary = req.body.binary ?? 'cinder-volume';
    const reason = withReason ? (req.body.disabled_reason ?? null) : null;
    const r = await db.updateTable('services').set({ disabled: disable ? 1 : 0, disabled_reason: reason }).where('host', '=', req.body.host).where('binary', '=', binary).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new AshlarError('NOT_FOUND', { details: { resource: 'Service', id: `${binary} on ${req.body.host}` } });
    return { status: 200, body: { host: req.body.host, binary, status: disable ? 'disabled' : 'enabled', disabled: disable, ...(withReason ? { disabled_reason: reason } : {}) } };
  };
  for (const [action, disable, withReason] of [['enable', false, false], ['disable', true, false], ['disable-log-reason', true, true]] as const) {
    defineRoute(app, env, {
      method: 'PUT', path: `/os-services/${action}`,
      doc: { operationId: `service_${action.replace(/-/g, '_')}`, summary: `${action} a service.`, tags: ['services'], adminOnly: true, body: [{ schema: M.serviceUpdateRequest }], responses: { 200: [{ schema: M.serviceUpdateResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
      handler: update(disable, withReason),
    });
  }

  const clusters = async (): Promise<Record<string, unknown>[]> => {
    const rows = await db.selectFrom('services').selectAll().where('cluster_name', 'is not', null).execute();
    const byName = new Map<string, ServicesTable[]>();
    for (const r of rows) (byName.get(`${r.cluster_name}|${r.binary}`) ?? byName.set(`${r.cluster_name}|${r.binary}`, []).get(`${r.cluster_name}|${r.binary}`)!).push(r);
    return [...byName.values()].map((members) => {
      const up = members.filter(isUp);
      const last = members.map((m) => m.updated_at).sort().at(-1) ?? null;
      return {
        name: members[0]!.cluster_name!,
        binary: members[0]!.binary,
        state: up.length > 0 ? 'up' : 'down',
        status: members.every((m) => m.disabled) ? 'disabled' : 'enabled',
        num_hosts: members.length,
        num_down_hosts: members.length - up.length,
        last_heartbeat: last,
        created_at: members.map((m) => m.created_at).sort()[0] ?? null,
        updated_at: last,
        disabled_reason: null,
        replication_status: 'disabled',
        frozen: false,
        active_backend_id: null,
      };
    });
  };
  const summaryKeys = ['name', 'binary', 'state', 'status'];
  defineRoute(app, env, {
    method: 'GET', path: '/clusters',
    doc: { operationId: 'listClusters', summary: 'Clusters of volume services.', tags: ['clusters'], min: '3.7', adminOnly: true, responses: { 200: [{ schema: M.clusterListResponse }] }, errors: ['FORBIDDEN'] },
    handler: async () => ({ status: 200, body: { clusters: (await clusters()).map((c) => Object.fromEntries(summaryKeys.map((k) => [k, c[k]]))) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: '/clusters/detail',
    doc: { operationId: 'listClustersDetail', summary: 'Clusters with details.', tags: ['clusters'], min: '3.7', adminOnly: true, responses: { 200: [{ schema: M.clusterListResponse }] }, errors: ['FORBIDDEN'] },
    handler: async () => ({ status: 200, body: { clusters: await clusters() } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: '/clusters/:name',
    doc: { operationId: 'showCluster', summary: 'Show a cluster.', tags: ['clusters'], min: '3.7', adminOnly: true, responses: { 200: [{ schema: M.clusterResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const binary = queryValue(req.query, 'binary') ?? 'cinder-volume';
      const c = (await clusters()).find((x) => x.name === req.params.name && x.binary === binary);
      if (!c) throw new AshlarError('NOT_FOUND', { details: { resource: 'Cluster', id: req.params.name } });
      return { status: 200, body: { cluster: c } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/scheduler-stats/get_pools',
    doc: {
      operationId: 'listPools',
      summary: 'Pools as the scheduler sees them; detail=true adds capabilities.',
      description: 'Filters (3.28+): name (exact), volume_type (pools whose capabilities satisfy the type, by name or id), and any other capability key compared as a string.',
      tags: ['scheduler-stats'], adminOnly: true, query: { type: 'object', properties: { detail: { type: 'boolean' }, name: { type: 'string' }, volume_type: { type: 'string' } } }, responses: { 200: [{ schema: M.poolListResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
    handler: async (req) => {
      const detail = toBool(queryValue(req.query, 'detail'));
      let all = await deps.scheduler.pools();
      const name = queryValue(req.query, 'name');
      if (name !== undefined) all = all.filter((p) => p.host === name);
      const typeName = queryValue(req.query, 'volume_type');
      if (typeName !== undefined) {
        const extraSpecs = parseMap((await usableType(db, req.ctx, typeName)).extra_specs);
        const fits = await Promise.all(all.map(async (p) => (await deps.scheduler.refusal(p.host, { sizeGiB: 0, availabilityZone: p.availabilityZone, extraSpecs })) === undefined));
        all = all.filter((_, i) => fits[i]);
      }
      for (const [key, raw] of Object.entries(req.query)) {
        if (['detail', 'name', 'volume_type'].includes(key)) continue;
        const want = Array.isArray(raw) ? raw[0] : raw;
        all = all.filter((p) => String((p.capabilities as Record<string, unknown>)[key]).toLowerCase() === String(want).toLowerCase());
      }
      const pools = all.map((p) => ({
        name: p.host,
        ...(detail ? { capabilities: { ...p.capabilities, free_capacity_gb: p.freeGiB, total_capacity_gb: p.totalGiB, provisioned_capacity_gb: p.provisionedGiB, timestamp: now() } } : {}),
      }));
      return { status: 200, body: { pools } };
    },
  });
}
