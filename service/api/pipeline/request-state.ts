import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../auth/context.js';
import type { ApiReply } from '../api-request.js';
import type { ApiVersion } from '../microversion.js';

/**
 * What the pipeline's hooks learn about one request, in the order they learn it: its id
 * (onRequest), the negotiated microversion and the caller (onRequest), the action named by
 * the body (preValidation), the handler's answer (handler) and the response-cache slot
 * (preHandler). Held on the request itself, so nothing outlives the request.
 */
export interface RequestState {
  readonly requestId: string;
  /** The negotiated microversion; the minimum until negotiation succeeded. */
  version: ApiVersion;
  /** The caller; absent on unauthenticated routes (version discovery) and before authentication. */
  ctx: RequestContext | undefined;
  /** The project id in the URL, when the route was reached through `/v3/{project_id}/...`. */
  urlProjectId: string | undefined;
  /** For action routes: the body's single key, once the action hook accepted it. */
  actionName: string | undefined;
  /** The handler's answer, for the response check (before fastify serializes it). */
  reply: ApiReply | undefined;
  /** Where a cacheable answer goes, when the route and the database allow caching. */
  cacheSlot: { readonly generation: string; readonly key: string } | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the request-id hook, the first hook of every request (404s included). */
    ashlar: RequestState | null;
  }
}

/**
 * The state of a request that went through the request-id hook.
 *
 * @throws Error when called before that hook ran (a wiring mistake, not a client error).
 */
export function stateOf(request: FastifyRequest): RequestState {
  const state = request.ashlar;
  if (!state) throw new Error('request state missing: installPipeline(app) was not called before the routes were defined');
  return state;
}
