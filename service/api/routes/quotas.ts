import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as Q from '../schemas/quotas.js';
import { limitsResponse } from '../schemas/admin.js';
import { requireProjectAccess } from '../../auth/policy.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import { QUOTA_RESOURCES, classLimits, projectLimits, projectUsage, type QuotaResource } from '../../domain/quotas.js';
import { toBool } from '../../util.js';

/** os-quota-sets and limits. */
export function registerQuotaRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const tags = ['quota-sets'];
  const show = async (project: string, usage: boolean) => {
    const limits = await projectLimits(db, project, config.quota);
    const set: Record<string, unknown> = { id: project };
    if (usage) {
      const used = await projectUsage(db, project);
      for (const r of QUOTA_RESOURCES) set[r] = { limit: limits[r], in_use: used[r], reserved: 0, allocated: 0 };
    } else {
      for (const r of QUOTA_RESOURCES) set[r] = limits[r];
    }
    return { status: 200, body: { quota_set: set } };
  };

  defineRoute(app, env, {
    method: 'GET', path: '/os-quota-sets/:project',
    doc: { operationId: 'showQuotaSet', summary: "Show a project's quotas, with usage when usage=true.", tags, query: { type: 'object', properties: { usage: { type: 'boolean' } } }, responses: { 200: [{ schema: Q.quotaSetResponse }] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      requireProjectAccess(req.ctx, req.params.project!, 'volume_extension:quotas:show');
      return show(req.params.project!, toBool(queryValue(req.query, 'usage')));
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/os-quota-sets/:project/defaults',
    doc: { operationId: 'showDefaultQuotaSet', summary: 'Show the default quotas.', tags, responses: { 200: [{ schema: Q.quotaSetResponse }] } },
    handler: async (req) => ({ status: 200, body: { quota_set: { id: req.params.project!, ...(await classLimits(db, 'default', config.quota)) } } }),
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/os-quota-sets/:project',
    doc: { operationId: 'updateQuotaSet', summary: "Change a project's quotas.", tags, adminOnly: true, body: [{ schema: Q.quotaSetUpdateRequest }], responses: { 200: [{ schema: Q.quotaSetResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ quota_set: Record<string, string | number> }>) => {
      const project = req.params.project!;
      for (const [key, raw] of Object.entries(req.body.quota_set)) {
        if (key === 'tenant_id' || key === 'id') continue;
        if (!(QUOTA_RESOURCES as readonly string[]).includes(key)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Bad key(s) ${key} in quota_set (per-type quotas are not supported).` } });
        const value = Number(raw);
        await db.deleteFrom('quotas').where('project_id', '=', project).where('resource', '=', key).execute();
        await db.insertInto('quotas').values({ project_id: project, resource: key as QuotaResource, hard_limit: value }).execute();
      }
      const out = await show(project, false);
      const { id: _id, ...set } = out.body.quota_set;
      return { status: 200, body: { quota_set: set } };
    },
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/os-quota-sets/:project',
    doc: { operationId: 'deleteQuotaSet', summary: "Reset a project's quotas to the defaults.", tags, adminOnly: true, responses: { 200: [] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      await db.deleteFrom('quotas').where('project_id', '=', req.params.project!).execute();
      return { status: 200 };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/limits',
    doc: { operationId: 'showLimits', summary: "The caller's absolute limits and usage.", tags: ['limits'], responses: { 200: [{ schema: limitsResponse }] } },
    handler: async (req) => {
      const limits = await projectLimits(db, req.ctx.projectId, config.quota);
      const used = await projectUsage(db, req.ctx.projectId);
      return {
        status: 200,
        body: {
          limits: {
            rate: [],
            absolute: {
              maxTotalVolumes: limits.volumes,
              maxTotalSnapshots: limits.snapshots,
              maxTotalVolumeGigabytes: limits.gigabytes,
              maxTotalBackups: limits.backups,
              maxTotalBackupGigabytes: limits.backup_gigabytes,
              totalVolumesUsed: used.volumes,
              totalSnapshotsUsed: used.snapshots,
              totalGigabytesUsed: used.gigabytes,
              totalBackupsUsed: 0,
              totalBackupGigabytesUsed: 0,
            },
          },
        },
      };
    },
  });
}
