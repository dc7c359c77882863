import type { FastifyInstance } from 'fastify';
import { setUserMetadata } from '../../db/repositories/volumes.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { metaItemBody, metadataBody } from '../schemas/common.js';
import { parseMap } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { visibleSnapshot, visibleVolume } from '../../domain/lookup.js';

/**
 * The six metadata routes of a resource (volumes, snapshots): show all, merge (POST),
 * replace (PUT), and show/set/delete one key.
 */
export function registerMetadataRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps, kind: 'volumes' | 'snapshots'): void {
  const { db } = deps;
  const singular = kind === 'volumes' ? 'Volume' : 'Snapshot';
  const notFound = kind === 'volumes' ? 'VOLUME_NOT_FOUND' : 'SNAPSHOT_NOT_FOUND';
  const load = async (req: ApiRequest<unknown>): Promise<Record<string, string>> => {
    const row = kind === 'volumes' ? await visibleVolume(db, req.ctx, req.params.id!) : await visibleSnapshot(db, req.ctx, req.params.id!);
    return parseMap(row.metadata);
  };
  const save = async (id: string, meta: Record<string, string>): Promise<void> => {
    await setUserMetadata(db, kind, id, meta);
  };
  const tags = [`${kind}-metadata`];
  const base = `/${kind}/:id/metadata`;
  const op = (verb: string) => `${verb}${singular}Metadata`;

  defineRoute(app, env, {
    method: 'GET', path: base,
    doc: { operationId: op('show'), summary: `Show the metadata of a ${singular.toLowerCase()}.`, tags, responses: { 200: [{ schema: metadataBody }] }, errors: [notFound] },
    handler: async (req) => ({ status: 200, body: { metadata: await load(req) } }),
  });
  defineRoute(app, env, {
    method: 'POST', path: base,
    doc: { operationId: op('merge'), summary: 'Add or change metadata keys, keeping the others.', tags, body: [{ schema: metadataBody }], responses: { 200: [{ schema: metadataBody }] }, errors: [notFound, 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ metadata: Record<string, string> }>) => {
      const meta = { ...(await load(req)), ...req.body.metadata };
      await save(req.params.id!, meta);
      return { status: 200, body: { metadata: meta } };
    },
  });
  defineRoute(app, env, {
    method: 'PUT', path: base,
    doc: { operationId: op('replace'), summary: 'Replace all metadata.', tags, body: [{ schema: metadataBody }], responses: { 200: [{ schema: metadataBody }] }, errors: [notFound, 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ metadata: Record<string, string> }>) => {
      await load(req);
      await save(req.params.id!, req.body.metadata);
      return { status: 200, body: { metadata: req.body.metadata } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: `${base}/:key`,
    doc: { operationId: op('showItemOf'), summary: 'Show one metadata key.', tags, responses: { 200: [{ schema: metaItemBody }] }, errors: [notFound, 'NOT_FOUND'] },
    handler: async (req) => {
      const meta = await load(req);
      const key = req.params.key!;
      if (!(key in meta)) throw new AshlarError('NOT_FOUND', { details: { resource: `${singular} metadata key`, id: key } });
      return { status: 200, body: { meta: { [key]: meta[key] } } };
    },
  });
  defineRoute(app, env, {
    method: 'PUT', path: `${base}/:key`,
    doc: { operationId: op('setItemOf'), summary: 'Set one metadata key.', tags, body: [{ schema: metaItemBody }], responses: { 200: [{ schema: metaItemBody }] }, errors: [notFound, 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ meta: Record<string, string> }>) => {
      const key = req.params.key!;
      if (!(key in req.body.meta)) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Request body and URI mismatch' } });
      const meta = { ...(await load(req)), [key]: req.body.meta[key]! };
      await save(req.params.id!, meta);
      return { status: 200, body: { meta: { [key]: meta[key] } } };
    },
  });
  defineRoute(app, env, {
    method: 'DELETE', path: `${base}/:key`,
    doc: { operationId: op('deleteItemOf'), summary: 'Delete one metadata key.', tags, responses: { 200: [] }, errors: [notFound, 'NOT_FOUND'] },
    handler: async (req) => {
      const meta = await load(req);
      const key = req.params.key!;
      if (!(key in meta)) throw new AshlarError('NOT_FOUND', { details: { resource: `${singular} metadata key`, id: key } });
      delete meta[key];
      await save(req.params.id!, meta);
      return { status: 200 };
    },
  });
}
