import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MIN_API_VERSION } from '../microversion.js';

/**
 * onRequest hook of every request, unknown URLs included: gives it Cinder's
 * `x-openstack-request-id` (`req-<uuid>`), echoed as a header and carried into the
 * request context, logs and user messages.
 */
export async function assignRequestId(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const requestId = `req-${randomUUID()}`;
  request.ashlar = { requestId, version: MIN_API_VERSION, ctx: undefined, urlProjectId: undefined, actionName: undefined, reply: undefined, cacheSlot: undefined };
  reply.header('x-openstack-request-id', requestId);
}
