import type { FastifyInstance } from 'fastify';
import { versionResponse, versionsResponse } from '../schemas/versions.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import { MAX_VERSION, MIN_VERSION } from '../microversion.js';

const UPDATED = '2023-03-01T00:00:00Z';

function v3(baseUrl: string): Record<string, unknown> {
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: UPDATED,
    links: [
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
      { rel: 'self', href: `${baseUrl}/v3/` },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
  };
}

/** Version discovery: GET / (300 Multiple Choices) and GET /v3/, both without authentication. */
export function registerVersionRoutes(app: FastifyInstance, env: RouteEnv): void {
  defineRoute(app, env, {
    method: 'GET',
    path: '/',
    scope: 'root',
    doc: { operationId: 'listVersions', summary: 'The API versions this service offers.', tags: ['versions'], responses: { 300: [{ schema: versionsResponse }] } },
    handler: async (req) => ({ status: 300, body: { versions: [v3(req.baseUrl)] } }),
  });
  defineRoute(app, env, {
    method: 'GET',
    path: '/v3/',
    scope: 'root',
    doc: { operationId: 'showVersionV3', summary: 'The v3 API version document.', tags: ['versions'], responses: { 200: [{ schema: versionResponse }] } },
    handler: async (req) => ({ status: 200, body: { version: v3(req.baseUrl) } }),
  });
}
