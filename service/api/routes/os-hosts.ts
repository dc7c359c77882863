import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { findServices } from '../../db/repositories/services.js';
import { hostUsage } from '../../domain/hosts/host-usage.js';
import { isServiceUp } from '../../domain/service-liveness.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import * as H from '../schemas/os-hosts.js';

const tags = ['hosts'];

/** os-hosts (admin): the hosts of every service, and what one volume host keeps per project. */
export function registerOsHostRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(app, env, {
    method: 'GET', path: '/os-hosts',
    doc: { operationId: 'listHosts', summary: 'List the hosts of every service.', tags, adminOnly: true, query: H.hostListQuery, responses: { 200: [{ schema: H.hostListResponse }] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      const zone = queryValue(req.query, 'zone');
      const rows = (await findServices(db, { binary: queryValue(req.query, 'service') || undefined })).filter((s) => !zone || s.availability_zone === zone);
      const hosts = rows.map((s) => ({
        'service-status': isServiceUp(s) ? 'available' : 'unavailable',
        service: s.binary,
        zone: s.availability_zone,
        'service-state': s.disabled ? 'disabled' : 'enabled',
        host_name: s.host,
        'last-update': s.updated_at,
      }));
      return { status: 200, body: { hosts } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/os-hosts/:host',
    doc: { operationId: 'showHost', summary: 'Volumes and snapshots of an enabled volume host, in total and per project.', tags, adminOnly: true, responses: { 200: [{ schema: H.hostShowResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const host = req.params.host!;
      const service = (await findServices(db, { binary: 'cinder-volume', host })).find((s) => !s.disabled);
      if (!service) throw new AshlarError('NOT_FOUND', { details: { resource: 'Host', id: host } });
      const usage = await hostUsage(db, host);
      const body = usage.map((u) => ({ resource: { host, project: u.project, volume_count: String(u.volumeCount), total_volume_gb: String(u.volumeGb), snapshot_count: String(u.snapshotCount), total_snapshot_gb: String(u.snapshotGb) } }));
      return { status: 200, body: { host: body } };
    },
  });
}
