import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { inRange } from '../microversion.js';
import type { RouteDoc } from '../route-doc.js';
import { stateOf } from './request-state.js';

/**
 * onRequest hook of versioned routes, after authentication: whether this route exists for
 * this caller at the negotiated microversion. Cinder's answers: 410 for a removed route,
 * 404 outside the route's microversions, 403 for a non-administrator on an admin route.
 */
export function routeAvailability(method: string, path: string, doc: RouteDoc): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const { version, ctx } = stateOf(request);
    if (doc.removedIn !== undefined && inRange(version, doc.removedIn, undefined)) {
      throw new AshlarError('GONE', { details: { resource: doc.operationId, removedIn: doc.removedIn } });
    }
    if (!inRange(version, doc.min, doc.max)) {
      throw new AshlarError('NOT_FOUND', { details: { resource: 'API', id: `${method} ${path} at microversion ${version.text}` } });
    }
    if (doc.adminOnly && !ctx?.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: doc.operationId } });
  };
}
