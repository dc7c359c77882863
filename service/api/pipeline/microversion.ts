import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateVersion, type ApiVersion } from '../microversion.js';
import { stateOf } from './request-state.js';

/** Headers every answer carries, whatever its status (errors and 404s included). */
export function versionHeaders(reply: FastifyReply, v: ApiVersion): void {
  reply.header('OpenStack-API-Version', `volume ${v.text}`);
  reply.header('Vary', 'OpenStack-API-Version');
}

/**
 * onRequest hook of versioned routes: negotiates the microversion from the request
 * headers and announces it. A request outside the served range fails here with 406,
 * before authentication, as in Cinder; the error handler still adds the headers, with the
 * minimum version.
 */
export async function negotiateMicroversion(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const state = stateOf(request);
  state.version = negotiateVersion(request.headers);
  versionHeaders(reply, state.version);
}

/** onRequest hook of unversioned routes (version discovery): they answer at the minimum. */
export async function announceMinimumVersion(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  versionHeaders(reply, stateOf(request).version);
}
