import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as Q from '../schemas/quotas.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { QUOTA_RESOURCES, classLimits } from '../../domain/quotas.js';

/**
 * os-quota-class-sets: named sets of default limits. As in Cinder, only the `default`
 * class matters: it overrides the configured defaults for every project without its own
 * quotas. Per-volume-type keys are refused, as for project quotas.
 */
export function registerQuotaClassRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const tags = ['quota-class-sets'];
  const validName = (name: string) => {
    if (name.length === 0 || name.length > 255) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Invalid input received: quota class name must be 1 to 255 characters.' } });
  };

  defineRoute(app, env, {
    method: 'GET', path: '/os-quota-class-sets/:class',
    doc: { operationId: 'showQuotaClassSet', summary: 'Show the limits of a quota class (the `default` class holds the defaults).', tags, adminOnly: true, responses: { 200: [{ schema: Q.quotaClassSetResponse }] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      validName(req.params.class!);
      return { status: 200, body: { quota_class_set: { id: req.params.class!, ...(await classLimits(db, req.params.class!, config.quota)) } } };
    },
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/os-quota-class-sets/:class',
    doc: { operationId: 'updateQuotaClassSet', summary: 'Change the limits of a quota class.', tags, adminOnly: true, body: [{ schema: Q.quotaClassSetUpdateRequest }], responses: { 200: [{ schema: Q.quotaClassSetResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ quota_class_set: Record<string, string | number> }>) => {
      const name = req.params.class!;
      validName(name);
      const entries = Object.entries(req.body.quota_class_set);
      for (const [key] of entries) {
        if (!(QUOTA_RESOURCES as readonly string[]).includes(key)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Bad key(s) ${key} in quota_class_set (per-type quotas are not supported).` } });
      }
      await db.transaction().execute(async (trx) => {
        for (const [key, raw] of entries) {
          await trx.deleteFrom('quota_classes').where('class_name', '=', name).where('resource', '=', key).execute();
          await trx.insertInto('quota_classes').values({ class_name: name, resource: key, hard_limit: Number(raw) }).execute();
        }
      });
      return { status: 200, body: { quota_class_set: await classLimits(db, name, config.quota) } };
    },
  });
}
