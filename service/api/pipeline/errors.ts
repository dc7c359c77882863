import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AshlarError, isAshlarError } from '../../../core/errors/ashlar-error.js';
import { echoed } from '../fault-text.js';
import { toFault } from '../faults.js';
import { MIN_API_VERSION } from '../microversion.js';
import { versionHeaders } from './microversion.js';

/**
 * The one error handler of the app: whatever failed (a hook, fastify's body parser or
 * schema validation, a handler, the response check), the client gets a Cinder fault from
 * the error registry, with the version headers of the request (the minimum when it failed
 * before negotiation) and its request id. Internal errors are logged with the request id
 * (coded 503s as warnings, without a stack); their detail never reaches the client.
 */
export function renderError(logger: Logger) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void => {
    const state = request.ashlar;
    if (reply.getHeader('OpenStack-API-Version') === undefined) versionHeaders(reply, state?.version ?? MIN_API_VERSION);
    // An error after the handler answered (the response check) must not keep the answer's own headers.
    for (const name of Object.keys(state?.reply?.headers ?? {})) reply.removeHeader(name);
    const fault = toFault(err, request);
    // A coded 503 (a backend down or served elsewhere) is a condition, not a defect: no stack.
    if (fault.status === 503 && isAshlarError(err)) logger.warn({ code: err.code, reason: err.message, requestId: state?.requestId, url: request.url }, 'request failed: service unavailable');
    else if (fault.internal) logger.error({ err, requestId: state?.requestId, url: request.url }, 'request failed');
    reply.code(fault.status).type('application/json').send(fault.body);
  };
}

/**
 * Installs the error handler and the not-found handler, once per app: unknown URLs (and
 * known URLs with another method) answer 404 itemNotFound through the same renderer.
 */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  const render = renderError(logger);
  app.setErrorHandler(render);
  app.setNotFoundHandler((request, reply) => {
    render(new AshlarError('NOT_FOUND', { message: `The resource could not be found: ${request.method} ${echoed(request.url.split('?')[0]!)}` }), request, reply);
  });
}
