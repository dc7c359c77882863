import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { inRange } from '../microversion.js';
import type { RouteDoc } from '../route-doc.js';
import { stateOf } from './request-state.js';

/**
 * onRequest hook of versioned routes, after authentication: whether this route exists for
 * this caller at the negotiated microversion. Cinder's answers: 410 for a removed route,
 * 404 outside the route's microversions, 403 for a non-administrator on an admin route.
 * An experimental route the operator did not opt in to (`enable_experimental_api`)
 * answers 404, as a route that does not exist: clients must not come to depend on it
 * unknowingly.
 */
export function routeAvailability(method: string, path: string, doc: RouteDoc, experimentalEnabled = false): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const { version, ctx } = stateOf(request);
    if (doc.experimental && !experimentalEnabled) {
      throw new AshlarError('NOT_FOUND', { message: `${method} ${path} is experimental and not enabled here (the operator sets enable_experimental_api = true).`, details: { resource: 'API', id: `${method} ${path}` } });
    }
    if (doc.removedIn !== undefined && inRange(version, doc.removedIn, undefined)) {
      throw new AshlarError('GONE', { details: { resource: doc.operationId, removedIn: doc.removedIn } });
    }
    if (!inRange(version, doc.min, doc.max)) {
      throw new AshlarError('NOT_FOUND', { details: { resource: 'API', id: `${method} ${path} at microversion ${version.text}` } });
    }
    if (doc.adminOnly && !ctx?.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: doc.operationId } });
  };
}
