import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { RouteDoc } from './route-doc.js';
import type { RouteHandler } from './api-request.js';
import { MAX_VERSION } from './microversion.js';
import { actionBody } from './pipeline/actions.js';
import { authenticate } from './pipeline/authenticate.js';
import { routeAvailability } from './pipeline/availability.js';
import { routeHandler } from './pipeline/handler.js';
import { pipelineOf } from './pipeline/install.js';
import { announceMinimumVersion, negotiateMicroversion } from './pipeline/microversion.js';
import { cachedAnswer, storeAnswer } from './pipeline/response-cache.js';
import { responseCheck } from './pipeline/response-check.js';
import { bodyVariant, routeSchema } from './pipeline/validate.js';

export { versionHeaders } from './pipeline/microversion.js';

/** Everything the route helper needs from the service. */
export interface RouteEnv {
  readonly authenticator: Authenticator;
  readonly admin: { readonly users: readonly string[]; readonly project: string };
  readonly responseValidation: 'off' | 'warn' | 'error';
  /** Serve the routes marked experimental (`enable_experimental_api`); otherwise they answer 404. */
  readonly experimentalApi?: boolean;
  readonly logger: Logger;
  /** The database generation (SQLite); without it nothing is cached. */
  readonly generation?: (() => string) | undefined;
}

/** One route: where, its documentation (also its validation data) and its handler. */
export interface RouteSpec {
  readonly method: HTTPMethods;
  /** Path after `/v3` (e.g. `/volumes/:id`), or the full path for `scope: 'root'`. */
  readonly path: string;
  readonly doc: RouteDoc;
  /**
   * `project`: served as `/v3/{project_id}{path}` and `/v3{path}`, authenticated;
   * `root`: served at `path` as is, without authentication or microversion checks
   * (version discovery).
   */
  readonly scope?: 'project' | 'root';
  /** The handler; for action routes, one handler per action name instead. */
  readonly handler?: RouteHandler<any>;
  readonly actions?: Readonly<Record<string, RouteHandler<any>>>;
  /**
   * A read whose answer depends only on the database, the caller's project and role, the
   * microversion, the Host and the URL: its 200 answers are cached per database
   * generation (see ResponseCache). Only for handlers without side effects.
   */
  readonly cacheable?: boolean;
}

type Hooks = Pick<RouteOptions, 'onRequest' | 'preValidation' | 'preHandler' | 'onSend'>;

/** The hooks of a route, in fastify's order: onRequest, preValidation, (schemas), preHandler, handler, onSend. */
function routeHooks(app: FastifyInstance, env: RouteEnv, spec: RouteSpec): Hooks {
  if (spec.scope === 'root') return { onRequest: [announceMinimumVersion] };
  const { validators, responseCache } = pipelineOf(app);
  const check = responseCheck(spec.doc, env.responseValidation, validators, env.logger);
  const body = spec.doc.actions ? actionBody(spec.doc.actions, validators) : bodyVariant(spec.doc, validators);
  const cached = spec.cacheable && env.generation !== undefined;
  return {
    onRequest: [negotiateMicroversion, authenticate(env), routeAvailability(spec.method, spec.path, spec.doc, env.experimentalApi === true)],
    ...(body ? { preValidation: [body] } : {}),
    ...(cached ? { preHandler: [cachedAnswer(responseCache, env.generation!)] } : {}),
    onSend: [...(check ? [check] : []), ...(cached ? [storeAnswer(responseCache)] : [])],
  };
}

/**
 * Registers a route with its RouteDoc as `config.doc` (the only way the service registers
 * routes, so none can go undocumented). The request pipeline is fastify's own: hooks for
 * the request id, the microversion, the caller and the route's availability, the body
 * variant or action; the route's compiled query-string, path-parameter and body schemas
 * (the very objects the OpenAPI document shows); the response cache and the response
 * check; and the app's one error handler. Needs {@link installPipeline} on `app` first.
 */
export function defineRoute(app: FastifyInstance, env: RouteEnv, spec: RouteSpec): void {
  checkSpec(spec);
  const hooks = routeHooks(app, env, spec);
  const handler = routeHandler(spec.doc, spec.handler, spec.actions);
  const schema = spec.scope === 'root' ? {} : routeSchema(spec.doc);
  const paths = spec.scope === 'root' ? [spec.path] : [`/v3/:project_id${spec.path}`, `/v3${spec.path}`];
  for (const url of paths) {
    app.route({ method: spec.method, url, handler, schema, config: { doc: spec.doc }, ...hooks });
  }
}

function checkSpec(spec: RouteSpec): void {
  if (spec.doc.actions) {
    const names = spec.doc.actions.map((a) => a.name).sort();
    const handlers = Object.keys(spec.actions ?? {}).sort();
    if (names.join() !== handlers.join()) throw new Error(`route ${spec.doc.operationId}: documented actions [${names}] differ from handled [${handlers}]`);
  } else if (!spec.handler) {
    throw new Error(`route ${spec.doc.operationId} has no handler`);
  }
}

export { installPipeline } from './pipeline/install.js';
export { MAX_VERSION };
