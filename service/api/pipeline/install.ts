import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ResponseCache } from '../response-cache.js';
import { installErrorHandling } from './errors.js';
import { installJsonBodyParser } from './json-body.js';
import { assignRequestId } from './request-id.js';
import { SchemaValidators } from './schema-validators.js';

/** What one app's pipeline owns: its compiled validators and its response cache. */
export interface Pipeline {
  readonly validators: SchemaValidators;
  readonly responseCache: ResponseCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by {@link installPipeline}; read by defineRoute. */
    ashlarPipeline: Pipeline;
  }
}

/** Up to 4 Mi characters of cached answers per app (a detail list of 200 volumes is about 200 Ki). */
const RESPONSE_CACHE_BYTES = 4 * 1024 * 1024;

/**
 * Sets up the request pipeline of an app, once, before any route is defined: the
 * validator compiler (the project's ajv, so `$ref`s into core/schemas resolve), the
 * request-id hook of every request, the request state, the one error handler and the
 * not-found handler. The caches it creates belong to this app alone.
 */
export function installPipeline(app: FastifyInstance, options: { readonly logger: Logger }): Pipeline {
  const pipeline: Pipeline = { validators: new SchemaValidators(), responseCache: new ResponseCache(RESPONSE_CACHE_BYTES) };
  app.decorate('ashlarPipeline', pipeline);
  app.decorateRequest('ashlar', null);
  app.setValidatorCompiler(pipeline.validators.compiler);
  installJsonBodyParser(app);
  app.addHook('onRequest', assignRequestId);
  installErrorHandling(app, options.logger);
  return pipeline;
}

/**
 * The pipeline of `app`.
 *
 * @throws Error when {@link installPipeline} was not called on it (a wiring mistake).
 */
export function pipelineOf(app: FastifyInstance): Pipeline {
  if (!app.hasDecorator('ashlarPipeline')) throw new Error('defineRoute needs installPipeline(app) first');
  return app.ashlarPipeline;
}
