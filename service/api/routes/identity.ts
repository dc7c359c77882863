import type { FastifyInstance } from 'fastify';
import { projectIdsInUse } from '../../db/repositories/volumes.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as I from '../schemas/identity.js';
import type { RequestContext } from '../../auth/context.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';

/** Project ids as the auth strategies produce them (noauth tokens, http_basic's user map). */
const PROJECT_ID = /^[A-Za-z0-9_.@-]{1,255}$/;

/**
 * Project lookups in Keystone's v3 shape, for deployments without Keystone. In noauth and
 * http_basic mode the projects are whatever the auth strategy says, so this service is the
 * only authority on them. openstackclient resolves every `--project` argument (quota set,
 * volume type access, volume list --project) through the identity endpoint, which with
 * `--os-endpoint` is this service; Cinder itself would answer 404 and the command would
 * fail. A project is shown under its id, which is also its name. Members see only their
 * own project.
 */
export function registerIdentityRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['identity'];
  const view = (id: string, baseUrl: string) => ({ id, name: id, domain_id: 'default', description: '', enabled: true, parent_id: 'default', is_domain: false, tags: [], options: {}, links: { self: `${baseUrl}/v3/projects/${id}` } });
  const visible = (ctx: RequestContext, id: string) => PROJECT_ID.test(id) && (ctx.isAdmin || ctx.projectId === id);
  /** Projects that own something here, plus the caller's. */
  const known = async (ctx: RequestContext): Promise<string[]> => {
    if (!ctx.isAdmin) return [ctx.projectId];
    const ids = new Set<string>([ctx.projectId]);
    for (const id of await projectIdsInUse(db)) if (PROJECT_ID.test(id)) ids.add(id);
    return [...ids].sort();
  };

  defineRoute(app, env, {
    method: 'GET', path: '/projects/:id',
    doc: {
      operationId: 'showIdentityProject',
      summary: 'A project, in Keystone v3 shape (for clients that resolve --project without Keystone).',
      description: 'Answers for any project id an auth strategy could produce; members only for their own project.',
      tags, responses: { 200: [{ schema: I.projectResponse }] }, errors: ['NOT_FOUND'],
    },
    handler: async (req) => {
      const id = req.params.id!;
      if (!visible(req.ctx, id)) throw new AshlarError('NOT_FOUND', { message: `Could not find project: ${id}.`, details: { resource: 'Project', id } });
      return { status: 200, body: { project: view(id, req.baseUrl) } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/projects',
    doc: {
      operationId: 'listIdentityProjects',
      summary: 'Projects, in Keystone v3 shape: those owning volumes, snapshots, quotas or type access here, and the caller’s.',
      description: 'With name=X: the project X (names are ids).',
      tags, query: { type: 'object', properties: { name: { type: 'string' }, domain_id: { type: 'string' } } }, responses: { 200: [{ schema: I.projectListResponse }] },
    },
    handler: async (req) => {
      const name = queryValue(req.query, 'name');
      const ids = name !== undefined ? (visible(req.ctx, name) ? [name] : []) : await known(req.ctx);
      return { status: 200, body: { projects: ids.map((id) => view(id, req.baseUrl)), links: { self: `${req.baseUrl}/v3/projects`, next: null, previous: null } } };
    },
  });
}
