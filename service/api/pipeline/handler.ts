import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { ApiReply, ApiRequest, RouteHandler } from '../api-request.js';
import type { RouteDoc } from '../route-doc.js';
import { stateOf } from './request-state.js';
import { compiledSerializer } from './serialize.js';

/** The handler's view of a request the hooks have accepted. */
function toApiRequest(request: FastifyRequest): ApiRequest {
  const state = stateOf(request);
  return {
    ctx: state.ctx ?? { userId: '', projectId: '', isAdmin: false, requestId: state.requestId },
    version: state.version,
    params: request.params as Record<string, string>,
    query: (request.query ?? {}) as Record<string, string | string[]>,
    body: state.actionName === undefined ? request.body : (request.body as Record<string, unknown>)[state.actionName],
    baseUrl: `${request.protocol}://${request.headers.host ?? request.hostname}`,
    urlProjectId: state.urlProjectId,
  };
}

/** Sends an ApiReply: its headers, its status and its JSON body, if any (through `serialize` when given). */
function send(reply: FastifyReply, out: ApiReply, serialize: ((body: unknown) => string) | undefined): FastifyReply {
  if (out.headers) for (const [k, v] of Object.entries(out.headers)) reply.header(k, v);
  reply.code(out.status);
  if (out.body === undefined) return reply.send();
  reply.type('application/json');
  return serialize ? reply.serializer(serialize).send(out.body) : reply.send(out.body);
}

/**
 * The fastify handler of a route: everything else (identity, microversion, validation,
 * action choice, cache) happened in hooks, so it only calls the route's handler, or the
 * handler of the action the action hook accepted, and sends its answer. The answer is
 * remembered for the response check and the response cache (onSend hooks), and written
 * by the serializer compiled from its documented schema (see compiledSerializer).
 */
export function routeHandler(doc: RouteDoc, handler: RouteHandler<any> | undefined, actions: Readonly<Record<string, RouteHandler<any>>> | undefined): RouteHandlerMethod {
  return async (request, reply) => {
    const state = stateOf(request);
    const fn = state.actionName !== undefined ? actions![state.actionName]! : handler!;
    const out = await fn(toApiRequest(request));
    state.reply = out;
    return send(reply, out, compiledSerializer(reply, doc, out, state.version, state.actionName));
  };
}
