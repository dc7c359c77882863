import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import { toContext, type Authenticator } from '../../auth/authenticator.js';
import { stateOf } from './request-state.js';

/** What authentication needs from the service. */
export interface AuthenticationEnv {
  readonly authenticator: Authenticator;
  readonly admin: { readonly users: readonly string[]; readonly project: string };
}

/**
 * onRequest hook of versioned routes: establishes the caller (401 from the authenticator
 * otherwise, with the strategy's `WWW-Authenticate` challenge; 429 with `Retry-After` while
 * failed logins are throttled) and, when the URL names a project, checks that it is the
 * caller's.
 *
 * @throws BAD_REQUEST "Malformed request url" when the URL's project is another one, as
 * Cinder answers.
 */
export function authenticate(env: AuthenticationEnv): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = stateOf(request);
    const identity = await env.authenticator.authenticate(request.headers, { address: request.ip }).catch((err: unknown) => {
      if (hasErrorCode(err, 'UNAUTHORIZED') && env.authenticator.challenge) reply.header('WWW-Authenticate', env.authenticator.challenge);
      if (hasErrorCode(err, 'LOGIN_THROTTLED')) reply.header('Retry-After', String((err.details as { retryAfter: number }).retryAfter));
      throw err;
    });
    const ctx = toContext(identity, state.requestId, env.admin);
    const urlProjectId = (request.params as Record<string, string | undefined>).project_id;
    if (urlProjectId !== undefined && urlProjectId !== ctx.projectId) {
      throw new AshlarError('BAD_REQUEST', { details: { reason: 'Malformed request url' } });
    }
    state.ctx = ctx;
    state.urlProjectId = urlProjectId;
  };
}
