import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Logger } from 'pino';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { createAjv, formatSchemaErrors } from '../../core/validation/schema-registry.js';
import type { JsonSchema, RouteDoc, VersionedSchema } from './route-doc.js';
import { toContext, type Authenticator } from '../auth/authenticator.js';
import type { RequestContext } from '../auth/context.js';
import type { ApiReply, ApiRequest, RouteHandler } from './api-request.js';
import { faultFor, toFault } from './faults.js';
import { ResponseCache } from './response-cache.js';
import { MAX_VERSION, MIN_API_VERSION, inRange, negotiateVersion, type ApiVersion } from './microversion.js';

/** Everything the route helper needs from the service. */
export interface RouteEnv {
  readonly authenticator: Authenticator;
  readonly admin: { readonly users: readonly string[]; readonly project: string };
  readonly responseValidation: 'off' | 'warn' | 'error';
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

// Request and response schemas are this repository's own (openapi/schemas), checked against
// the meta-schema by test/validation/meta-schema.test.ts rather than at every start-up.
/** Up to 16 MiB of cached answers (about 70 detail lists of 200 volumes). */
const responseCache = new ResponseCache(4 * 1024 * 1024);

const ajv = createAjv({ useDefaults: true, validateSchema: false });
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let fn = validators.get(schema);
  if (!fn) {
    fn = ajv.compile(schema as object);
    validators.set(schema, fn);
  }
  return fn;
}

function pickVariant(variants: readonly VersionedSchema[] | undefined, v: ApiVersion): VersionedSchema | undefined {
  return variants?.find((s) => inRange(v, s.min, s.max));
}

/** Headers every answer carries, whatever its status. */
export function versionHeaders(reply: FastifyReply, v: ApiVersion): void {
  reply.header('OpenStack-API-Version', `volume ${v.text}`);
  reply.header('Vary', 'OpenStack-API-Version');
}

/**
 * Registers a route with its RouteDoc as `config.doc` (the only way the service registers
 * routes, so none can go undocumented). Wraps the handler with authentication, the
 * microversion range of the route, request body validation (always), action dispatch and
 * response validation (off/warn/error), and renders coded errors as Cinder faults.
 */
export function defineRoute(app: FastifyInstance, env: RouteEnv, spec: RouteSpec): void {
  const scope = spec.scope ?? 'project';
  checkSpec(spec);
  const run = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const requestId = `req-${randomUUID()}`;
    reply.header('x-openstack-request-id', requestId);
    let version = MIN_API_VERSION;
    try {
      if (scope === 'root') {
        versionHeaders(reply, version);
        const out = await spec.handler!(makeRequest(request, { userId: '', projectId: '', isAdmin: false, requestId }, version, undefined));
        return send(reply, out);
      }
      version = negotiateVersion(request.headers);
      versionHeaders(reply, version);
      const identity = await env.authenticator.authenticate(request.headers);
      const ctx = toContext(identity, requestId, env.admin);
      const urlProjectId = (request.params as Record<string, string>).project_id;
      if (urlProjectId !== undefined && urlProjectId !== ctx.projectId) {
        throw new AshlarError('BAD_REQUEST', { details: { reason: 'Malformed request url' } });
      }
      if (spec.doc.removedIn !== undefined && inRange(version, spec.doc.removedIn, undefined)) {
        throw new AshlarError('GONE', { details: { resource: spec.doc.operationId, removedIn: spec.doc.removedIn } });
      }
      if (!inRange(version, spec.doc.min, spec.doc.max)) {
        throw new AshlarError('NOT_FOUND', { details: { resource: 'API', id: `${spec.method} ${spec.path} at microversion ${version.text}` } });
      }
      if (spec.doc.adminOnly && !ctx.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: spec.doc.operationId } });
      const base = makeRequest(request, ctx, version, urlProjectId);
      // The generation is read before the handler reads any data, so an entry can only be
      // older than its generation says, never newer (see DataGeneration).
      const generation = spec.cacheable ? env.generation?.() : undefined;
      const cacheKey = generation === undefined ? undefined : `${ctx.projectId}\n${ctx.isAdmin}\n${version.text}\n${base.baseUrl}\n${request.url}`;
      if (cacheKey !== undefined) {
        const hit = responseCache.get(generation!, cacheKey);
        if (hit !== undefined) return void reply.code(200).type('application/json').send(hit);
      }
      const out = spec.actions ? await dispatchAction(spec, base, version, ctx, request.body) : await spec.handler!(withBody(base, validateBody(spec.doc, request.body, version)));
      checkResponse(env, spec, out, version, request);
      if (cacheKey !== undefined && out.status === 200 && out.body !== undefined && !out.headers) {
        // Serialized here exactly as fastify would (JSON.stringify: no response schemas are registered with fastify).
        const text = JSON.stringify(out.body);
        responseCache.set(generation!, cacheKey, text);
        return void reply.code(200).type('application/json').send(text);
      }
      return send(reply, out);
    } catch (err) {
      if (reply.getHeader('OpenStack-API-Version') === undefined) versionHeaders(reply, version);
      const fault = toFault(err);
      if (fault.internal) env.logger.error({ err, requestId, url: request.url }, 'request failed');
      reply.code(fault.status).send(fault.body);
    }
  };
  const paths = scope === 'root' ? [spec.path] : [`/v3/:project_id${spec.path}`, `/v3${spec.path}`];
  for (const url of paths) {
    app.route({ method: spec.method, url, handler: run, config: { doc: spec.doc } });
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

function makeRequest(request: FastifyRequest, ctx: RequestContext, version: ApiVersion, urlProjectId: string | undefined): ApiRequest {
  return {
    ctx,
    version,
    params: request.params as Record<string, string>,
    query: (request.query ?? {}) as Record<string, string | string[]>,
    body: undefined,
    baseUrl: `${request.protocol}://${request.headers.host ?? `${request.hostname}`}`,
    urlProjectId,
  };
}

function withBody<B>(req: ApiRequest, body: B): ApiRequest<B> {
  return { ...req, body };
}

function validateBody(doc: RouteDoc, body: unknown, v: ApiVersion): unknown {
  if (!doc.body) return body;
  const variant = pickVariant(doc.body, v);
  if (!variant) throw new AshlarError('BAD_REQUEST', { details: { reason: `This request takes no body at microversion ${v.text}.` } });
  if (body === undefined || body === null) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Missing request body.' } });
  const validate = validatorFor(variant.schema);
  if (!validate(body)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input for field/attribute ${formatSchemaErrors(validate.errors, '').join('; ')}` } });
  return body;
}

async function dispatchAction(spec: RouteSpec, base: ApiRequest, v: ApiVersion, ctx: RequestContext, raw: unknown): Promise<ApiReply> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length !== 1) {
    throw new AshlarError('BAD_REQUEST', { details: { reason: 'An action body is an object with exactly one key, the action name.' } });
  }
  const [name, value] = Object.entries(raw)[0]!;
  const known = spec.doc.actions!.find((a) => a.name === name);
  // Cinder's answers: 400 for an action it does not know, 404 for one outside its microversions.
  if (!known) throw new AshlarError('BAD_REQUEST', { details: { reason: `There is no such action: ${name}` } });
  const action = inRange(v, known.min, known.max) ? known : undefined;
  if (!action) throw new AshlarError('NOT_FOUND', { message: `The resource could not be found: action ${name} needs microversion ${known.min ?? '3.0'}${known.max ? ` to ${known.max}` : ''}, the request asked for ${v.text}.`, details: { resource: 'Action', id: name } });
  if (action.adminOnly && !ctx.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: name } });
  const validate = validatorFor(action.schema);
  if (!validate(value)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input for ${name}: ${formatSchemaErrors(validate.errors, name).join('; ')}` } });
  return spec.actions![name]!(withBody(base, value));
}

function send(reply: FastifyReply, out: ApiReply): void {
  if (out.headers) for (const [k, val] of Object.entries(out.headers)) reply.header(k, val);
  reply.code(out.status);
  if (out.body === undefined) reply.send();
  else reply.type('application/json').send(out.body);
}

function checkResponse(env: RouteEnv, spec: RouteSpec, out: ApiReply, v: ApiVersion, request: FastifyRequest): void {
  if (env.responseValidation === 'off') return;
  let schema: JsonSchema | undefined;
  if (spec.doc.actions) {
    const name = Object.keys((request.body ?? {}) as object)[0];
    const action = spec.doc.actions.find((a) => a.name === name);
    if (action && action.status !== out.status) return report(env, spec, `action ${name} answered ${out.status}, documented ${action.status}`);
    schema = action?.response;
  } else {
    const variants = spec.doc.responses[out.status];
    if (!variants) return report(env, spec, `status ${out.status} is not documented`);
    schema = pickVariant(variants, v)?.schema;
  }
  if (!schema) {
    if (out.body !== undefined) return report(env, spec, `undocumented body for status ${out.status} at ${v.text}`);
    return;
  }
  const validate = validatorFor(schema);
  if (!validate(out.body)) report(env, spec, formatSchemaErrors(validate.errors, 'response').join('; '));
}

function report(env: RouteEnv, spec: RouteSpec, problem: string): void {
  if (env.responseValidation === 'warn') {
    env.logger.warn({ operationId: spec.doc.operationId, problem }, 'response does not match its schema');
    return;
  }
  throw new AshlarError('RESPONSE_INVALID', { details: { operation: spec.doc.operationId, reason: problem } });
}

/** Answers 404 itemNotFound for unknown URLs and 405 for known URLs with other methods, with version headers. */
export function installNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    versionHeaders(reply, MIN_API_VERSION);
    const f = faultFor('NOT_FOUND', `The resource could not be found: ${request.method} ${request.url.split('?')[0]}`);
    reply.code(f.status).send(f.body);
  });
}

export { MAX_VERSION };
