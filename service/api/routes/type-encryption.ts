import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as T from '../schemas/types.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { usableType } from '../../domain/lookup.js';

/**
 * Volume type encryption. No type here is encrypted (no key manager), so every type
 * answers Cinder's "no encryption" `{}`; defining encryption is refused.
 */
export function registerTypeEncryptionRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['volume-type-encryption'];
  const notFound = (id: string) => new AshlarError('NOT_FOUND', { message: `Volume type encryption for type ${id} does not exist.`, details: { resource: 'Volume type encryption', id } });
  const refuse = async (req: ApiRequest<unknown>) => {
    await usableType(db, req.ctx, req.params.id!);
    throw new AshlarError('BAD_REQUEST', { details: { reason: 'Volume encryption needs a key manager, and this service has none: volume types cannot be encrypted.' } });
  };

  defineRoute(app, env, {
    method: 'GET', path: '/types/:id/encryption',
    doc: { operationId: 'showTypeEncryption', summary: 'The encryption of a volume type: always none here.', tags, responses: { 200: [{ schema: T.typeEncryptionResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => {
      await usableType(db, req.ctx, req.params.id!);
      return { status: 200, body: {} };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/types/:id/encryption/:spec',
    doc: { operationId: 'showTypeEncryptionSpec', summary: 'One encryption spec of a volume type: none exist here.', tags, responses: { 200: [] }, errors: ['NOT_FOUND'] },
    handler: async (req) => {
      const t = await usableType(db, req.ctx, req.params.id!);
      throw notFound(t.id);
    },
  });
  defineRoute(app, env, {
    method: 'POST', path: '/types/:id/encryption',
    doc: { operationId: 'createTypeEncryption', summary: 'Define encryption for a volume type: refused (no key manager).', tags, adminOnly: true, body: [{ schema: T.typeEncryptionRequest }], responses: { 200: [] }, errors: ['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'] },
    handler: refuse,
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/types/:id/encryption/:spec',
    doc: { operationId: 'updateTypeEncryption', summary: 'Change the encryption of a volume type: none exists.', tags, adminOnly: true, body: [{ schema: T.typeEncryptionRequest }], responses: { 200: [] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const t = await usableType(db, req.ctx, req.params.id!);
      throw notFound(t.id);
    },
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/types/:id/encryption/:spec',
    doc: { operationId: 'deleteTypeEncryption', summary: 'Remove the encryption of a volume type: none exists.', tags, adminOnly: true, responses: { 202: [] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const t = await usableType(db, req.ctx, req.params.id!);
      throw notFound(t.id);
    },
  });
}
