import type { FastifyReply, FastifyRequest, onSendAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { ResponseCache } from '../response-cache.js';
import { stateOf } from './request-state.js';

/**
 * preHandler hook of cacheable reads: answers from the app's response cache when the
 * database generation still matches, and otherwise reserves the slot the answer will fill.
 * The generation is read here, before the handler reads any data, so an entry can only be
 * older than its generation says, never newer (see DataGeneration). The key holds
 * everything such an answer depends on: the caller's project and role, the microversion,
 * the host (links) and the URL.
 */
export function cachedAnswer(cache: ResponseCache, generation: () => string): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = stateOf(request);
    const ctx = state.ctx!;
    const key = `${ctx.projectId}\n${ctx.isAdmin}\n${state.version.text}\n${request.protocol}://${request.headers.host ?? request.hostname}\n${request.url}`;
    const slot = { generation: generation(), key };
    const hit = cache.get(slot.generation, key);
    if (hit !== undefined) return reply.code(200).type('application/json').send(hit);
    state.cacheSlot = slot;
    return undefined;
  };
}

/**
 * onSend hook of cacheable reads: keeps a 200 JSON answer as fastify serialized it, unless
 * the handler set headers of its own (they are not part of the cached text).
 */
export function storeAnswer(cache: ResponseCache): onSendAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const { cacheSlot, reply: out } = stateOf(request);
    if (cacheSlot && reply.statusCode === 200 && out?.body !== undefined && !out.headers && typeof payload === 'string') {
      cache.set(cacheSlot.generation, cacheSlot.key, payload);
    }
    return payload;
  };
}
