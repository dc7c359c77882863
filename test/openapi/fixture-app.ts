/**
 * A small fastify app with representative RouteDoc routes, used until the reference
 * service lands: a microversioned body, an actions route, a removed route, an
 * experimental route, routes served with and without the project id, and the root
 * versions document. Handlers are real (an in-memory store), not stubs.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { ERROR_REGISTRY } from '../../core/errors/registry.js';
import type { AppFactory } from '../../openapi/collect-routes.js';
import type { RouteDoc } from '../../service/api/route-doc.js';

const volumeId = { type: 'string', pattern: '^[0-9a-f-]{36}$', description: 'The volume UUID.' };
const volume = {
  type: 'object',
  required: ['id', 'size', 'status'],
  properties: {
    id: volumeId,
    size: { $ref: 'https://ashlar.dev/schemas/common.schema.json#/$defs/SizeGiB' },
    status: { type: 'string' },
    name: { type: ['string', 'null'] },
    metadata: { $ref: 'common.schema.json#/$defs/Metadata' },
  },
};
const createV30 = {
  type: 'object',
  required: ['volume'],
  properties: { volume: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, name: { type: 'string' } }, additionalProperties: false } },
};
const createV313 = {
  type: 'object',
  required: ['volume'],
  properties: {
    volume: {
      type: 'object',
      required: ['size'],
      properties: { size: { type: 'integer', minimum: 1 }, name: { type: 'string' }, group_id: { type: 'string' } },
      additionalProperties: false,
    },
  },
};

const docs = {
  versions: { operationId: 'versions.list', summary: 'List API versions.', tags: ['versions'], responses: { 300: [{ schema: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: { type: 'object' } } } } }] } },
  create: {
    operationId: 'volumes.create',
    summary: 'Create a volume.',
    tags: ['volumes'],
    body: [
      { max: '3.12', schema: createV30 },
      { min: '3.13', schema: createV313 },
    ],
    responses: { 202: [{ schema: { type: 'object', required: ['volume'], properties: { volume } } }] },
    errors: ['QUOTA_EXCEEDED', 'NOT_FOUND'],
  },
  show: {
    operationId: 'volumes.show',
    summary: 'Show a volume.',
    tags: ['volumes'],
    params: { type: 'object', properties: { volume_id: volumeId } },
    responses: { 200: [{ schema: { type: 'object', required: ['volume'], properties: { volume } } }] },
    errors: ['NOT_FOUND'],
  },
  action: {
    operationId: 'volumes.action',
    summary: 'Run an action on a volume.',
    tags: ['volumes'],
    params: { type: 'object', properties: { volume_id: volumeId } },
    actions: [
      { name: 'os-extend', summary: 'Extend the volume.', schema: { type: 'object', required: ['new_size'], properties: { new_size: { type: 'integer', minimum: 1 } } }, status: 202 },
      { name: 'revert', summary: 'Revert to a snapshot.', min: '3.40', schema: { type: 'object', required: ['snapshot_id'], properties: { snapshot_id: { type: 'string' } } }, status: 202 },
      {
        name: 'os-reset_status',
        summary: 'Reset the status.',
        adminOnly: true,
        schema: { type: 'object', properties: { status: { type: 'string' } } },
        status: 202,
      },
      {
        name: 'os-volume_upload_image',
        summary: 'Upload to an image.',
        schema: { type: 'object', required: ['image_name'], properties: { image_name: { type: 'string' } } },
        status: 200,
        response: { type: 'object', properties: { 'os-volume_upload_image': { type: 'object' } } },
      },
    ],
    responses: {},
    errors: ['NOT_FOUND', 'INVALID_STATE', 'VOLUME_BUSY'],
  },
  encryption: {
    operationId: 'volumes.encryptionMetadata',
    summary: 'Removed encryption metadata route.',
    tags: ['volumes'],
    removedIn: '3.64',
    params: { type: 'object', properties: { volume_id: volumeId } },
    responses: {},
  },
  stats: {
    operationId: 'backends.stats',
    summary: 'Backend stats (experimental).',
    tags: ['backends'],
    experimental: true,
    adminOnly: true,
    min: '3.60',
    responses: { 200: [{ schema: { type: 'object', properties: { backends: { type: 'array', items: { $ref: 'backend-stats.schema.json' } } } } }] },
  },
} satisfies Record<string, RouteDoc>;

/** Registers the fixture routes; `setup` runs first, as the AppFactory contract requires. */
export const createFixtureApp: AppFactory = (setup) => {
  const app: FastifyInstance = Fastify({ logger: false });
  setup(app);
  const volumes = new Map<string, { id: string; size: number; status: string; name: string | null }>();
  const fault = (code: keyof typeof ERROR_REGISTRY) => ({ [ERROR_REGISTRY[code].fault]: { code: ERROR_REGISTRY[code].status, message: ERROR_REGISTRY[code].message } });
  app.get('/', { config: { doc: docs.versions } }, async (_req, reply) => reply.code(300).send({ versions: [{ id: 'v3.0', version: '3.70', min_version: '3.0' }] }));
  for (const prefix of ['/v3/:project_id', '/v3']) {
    app.post(`${prefix}/volumes`, { config: { doc: docs.create } }, async (req, reply) => {
      const body = req.body as { volume: { size: number; name?: string } };
      const v = { id: crypto.randomUUID(), size: body.volume.size, status: 'creating', name: body.volume.name ?? null };
      volumes.set(v.id, v);
      return reply.code(202).send({ volume: v });
    });
    app.get(`${prefix}/volumes/:volume_id`, { config: { doc: docs.show } }, async (req, reply) => {
      const v = volumes.get((req.params as { volume_id: string }).volume_id);
      return v ? { volume: v } : reply.code(404).send(fault('NOT_FOUND'));
    });
    app.post(`${prefix}/volumes/:volume_id/action`, { config: { doc: docs.action } }, async (req, reply) => {
      const v = volumes.get((req.params as { volume_id: string }).volume_id);
      if (!v) return reply.code(404).send(fault('NOT_FOUND'));
      const body = req.body as Record<string, { new_size?: number }>;
      if (body['os-extend']?.new_size) v.size = body['os-extend'].new_size;
      return reply.code(202).send();
    });
    app.get(`${prefix}/volumes/:volume_id/encryption`, { config: { doc: docs.encryption } }, async (_req, reply) => reply.code(410).send(fault('GONE')));
  }
  // Served only with a project id, like an admin API that never had a project-less form.
  app.get('/v3/:project_id/backends/stats', { config: { doc: docs.stats } }, async () => ({ backends: [] }));
  return app;
};

/** The microversion range the fixture app is documented with (the reference service's). */
export const FIXTURE_VERSIONS = { min: '3.0', max: '3.70' } as const;
