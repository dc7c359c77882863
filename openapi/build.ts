/**
 * Builds the OpenAPI 3.1 document from the routes the service registers (each carries a
 * {@link RouteDoc}), composing bodies from core/schemas by `$ref`.
 *
 * Conventions (the OpenStack SDK team's codegenerator extensions):
 * - a body that changes with the microversion is a `oneOf` tagged
 *   `x-openstack: {discriminator: microversion}` whose members carry
 *   `x-openstack: {min-ver, max-ver}`;
 * - all actions of a resource are one `POST .../action` whose body is a `oneOf` tagged
 *   `x-openstack: {discriminator: action}`, each member `x-openstack: {action-name}`; the
 *   operation carries `x-openstack-operation-type: action`;
 * - operations carry their own range as `x-openstack: {min-ver, max-ver}`; experimental
 *   ones `x-openstack: {experimental: true}`; removed ones `deprecated: true`,
 *   `x-openstack: {removed-in}` and a 410 response.
 *
 * Project ids: Cinder serves `/v3/{project_id}/...` and, for clients that discover the
 * endpoint without a project (openstacksdk), `/v3/...`. A route served both ways is
 * documented once at its `{project_id}` path (as Cinder's API reference does) and names
 * its twin in `x-ashlar-also-served-at`; OpenAPI has no optional path segments, and two
 * operations per route would double every client method.
 */
import type { FastifyInstance } from 'fastify';
import { ERROR_CODES } from '../core/errors/registry.js';
import { extraSpecsSchema } from './catalog-schema.js';
import { routesOfApp, type AppFactory, type CollectedRoute } from './collect-routes.js';
import { operationErrorResponses, registryResponses } from './error-responses.js';
import { loadCoreSchemas } from '../core/validation/schema-registry.js';
import type { ActionDoc, JsonSchema, Microversion, RouteDoc, VersionedSchema } from './route-doc.js';
import { pascal, SchemaBundler } from './schema-bundle.js';

/** An OpenAPI document (kept as plain JSON). */
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>>;
};

/** One operation of the document, with the fields the tests and docs read. */
export type OpenApiOperation = Record<string, unknown> & {
  operationId: string;
  summary: string;
  tags: string[];
  responses: Record<string, Record<string, unknown>>;
};

/** Options of {@link buildOpenApi}. */
export interface BuildOpenApiOptions {
  /** @defaultValue "Ashlar Block Storage API" */
  readonly title?: string;
  /**
   * The microversion range the app serves; `max` becomes `info.version`. Required: the
   * range is the app's own fact (the service's microversion module), handed over by the
   * composition root, never a second copy kept here.
   */
  readonly versions: { readonly min: Microversion; readonly max: Microversion };
  /** Routes under this prefix take the microversion header. @defaultValue "/v3/" */
  readonly versionedPrefix?: string;
  /** Schemas `$ref`s may name. @defaultValue core/schemas */
  readonly schemas?: readonly Record<string, unknown>[];
}

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const PROJECT_SEGMENT = '/:project_id';

/** `/v3/:project_id/volumes/:id(^\\d+)` → `/v3/{project_id}/volumes/{id}`. */
export function openApiPath(url: string): string {
  if (url.includes('*')) throw new Error(`wildcard route ${url} cannot be documented`);
  // A trailing slash is not part of the route: the service ignores it, and so does its router.
  const trimmed = url.length > 1 ? url.replace(/\/+$/, '') : url;
  return trimmed.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');
}

/** Path parameter names of a fastify url, in order. */
function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

interface Operation {
  readonly method: string;
  readonly url: string;
  readonly doc: RouteDoc;
  readonly alias?: string;
}

/** Pairs project-scoped routes with their unscoped twins and drops fastify's implicit HEADs. */
function operations(routes: readonly CollectedRoute[]): Operation[] {
  const undocumented = routes.filter((r) => !r.doc && !(r.method === 'HEAD' && routes.some((g) => g.method === 'GET' && g.url === r.url)));
  if (undocumented.length > 0) {
    throw new Error(`routes without config.doc cannot be documented: ${undocumented.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  }
  const key = (method: string, url: string): string => `${method} ${url}`;
  const byKey = new Map(routes.map((r) => [key(r.method, r.url), r]));
  const out: Operation[] = [];
  for (const r of routes) {
    if (r.method === 'HEAD' && byKey.has(key('GET', r.url))) continue;
    const doc = r.doc!;
    if (r.url.includes(PROJECT_SEGMENT)) {
      const twinUrl = r.url.replace(PROJECT_SEGMENT, '');
      const twin = byKey.get(key(r.method, twinUrl));
      if (twin && twin.doc?.operationId !== doc.operationId) {
        throw new Error(`${r.method} ${r.url} and ${twinUrl} are twins but document different operations (${doc.operationId}, ${twin.doc?.operationId})`);
      }
      out.push({ method: r.method, url: r.url, doc, ...(twin ? { alias: openApiPath(twinUrl) } : {}) });
    } else {
      const scoped = r.url.replace(/^(\/v\d+)(?=\/|$)/, `$1${PROJECT_SEGMENT}`);
      // An unscoped twin is documented with its scoped route.
      if (scoped !== r.url && byKey.has(key(r.method, scoped))) continue;
      out.push({ method: r.method, url: r.url, doc });
    }
  }
  const seen = new Map<string, string>();
  for (const op of out) {
    const where = `${op.method} ${op.url}`;
    const prior = seen.get(op.doc.operationId);
    if (prior) throw new Error(`operationId ${op.doc.operationId} is used by both ${prior} and ${where}`);
    seen.set(op.doc.operationId, where);
  }
  return out;
}

function mvExtension(min: Microversion | undefined, max: Microversion | undefined, defaultMin: string): Record<string, string> {
  return { 'min-ver': min ?? defaultMin, ...(max ? { 'max-ver': max } : {}) };
}

/** Builds the document from collected routes. */
export function buildOpenApi(routes: readonly CollectedRoute[], options: BuildOpenApiOptions): OpenApiDocument {
  const versions = options.versions;
  const versionedPrefix = options.versionedPrefix ?? '/v3/';
  const bundler = new SchemaBundler(options.schemas ?? loadCoreSchemas());
  // Every core schema is a component, referenced or not: the document is also their catalog.
  for (const s of loadCoreSchemas()) {
    const meta = new Set(['$schema', '$id', 'title', 'description', '$defs']);
    if (Object.keys(s).some((k) => !meta.has(k))) bundler.include(String(s.$id));
    for (const def of Object.keys((s.$defs as Record<string, unknown> | undefined) ?? {})) bundler.include(`${String(s.$id)}#/$defs/${def}`);
  }
  bundler.define('VolumeTypeExtraSpecs', extraSpecsSchema());
  const errorResponses = registryResponses(bundler);

  /** A body by microversion: one schema, or a tagged oneOf of named members. */
  const versioned = (name: string, variants: readonly VersionedSchema[]): unknown => {
    if (variants.length === 0) return undefined;
    if (variants.length === 1 && !variants[0]!.min && !variants[0]!.max) return bundler.add(variants[0]!.schema);
    const members = variants.map((v) =>
      bundler.define(`${name}_${(v.min ?? versions.min).replace('.', '')}`, {
        ...(bundler.add(v.schema) as object),
        'x-openstack': mvExtension(v.min, v.max, versions.min),
      }),
    );
    return bundler.define(name, { oneOf: members, 'x-openstack': { discriminator: 'microversion' } });
  };

  const actionBody = (name: string, actions: readonly ActionDoc[]): unknown => {
    const names = [...new Set(actions.map((a) => a.name))];
    const members = names.map((actionName) => {
      const same = actions.filter((a) => a.name === actionName);
      const memberName = `${name}_${pascal(actionName)}`;
      const one = (a: ActionDoc): Record<string, unknown> => ({
        type: 'object',
        description: a.summary,
        required: [a.name],
        additionalProperties: false,
        properties: { [a.name]: bundler.add(a.schema) },
        'x-openstack': { 'action-name': a.name, ...mvExtension(a.min, a.max, versions.min), ...(a.adminOnly ? { 'admin-only': true } : {}) },
      });
      if (same.length === 1) return bundler.define(memberName, one(same[0]!));
      const variants = same.map((a) => bundler.define(`${memberName}_${(a.min ?? versions.min).replace('.', '')}`, one(a)));
      return bundler.define(memberName, { oneOf: variants, 'x-openstack': { 'action-name': actionName, discriminator: 'microversion' } });
    });
    return bundler.define(name, { oneOf: members, 'x-openstack': { discriminator: 'action' } });
  };

  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  const tags = new Set<string>();
  for (const op of operations(routes)) {
    const doc = op.doc;
    const Name = pascal(doc.operationId);
    const isVersioned = op.url.startsWith(versionedPrefix) && op.url.length > versionedPrefix.length;
    const paramSchemas = ((doc.params as { properties?: Record<string, JsonSchema> } | undefined)?.properties ?? {}) as Record<string, JsonSchema>;
    const parameters: unknown[] = pathParams(op.url).map((p) => {
      const schema = (bundler.add(paramSchemas[p] ?? { type: 'string' }) ?? {}) as Record<string, unknown>;
      const { description, ...rest } = schema;
      return { name: p, in: 'path', required: true, ...(typeof description === 'string' ? { description } : {}), schema: rest };
    });
    const query = doc.query as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
    for (const [q, s] of Object.entries(query?.properties ?? {})) {
      const schema = bundler.add(s) as Record<string, unknown>;
      const { description, ...rest } = schema;
      parameters.push({ name: q, in: 'query', required: (query?.required ?? []).includes(q), ...(typeof description === 'string' ? { description } : {}), schema: rest });
    }
    if (isVersioned) parameters.push({ $ref: '#/components/parameters/OpenStackApiVersion' });

    let requestBody: unknown;
    if (doc.actions && doc.actions.length > 0) requestBody = actionBody(`${Name}Request`, doc.actions);
    else if (doc.body && doc.body.length > 0) requestBody = versioned(`${Name}Request`, doc.body);

    const responses: Record<string, Record<string, unknown>> = {};
    const successHeaders = isVersioned ? { headers: { 'OpenStack-API-Version': { $ref: '#/components/headers/OpenStackApiVersion' } } } : {};
    for (const status of Object.keys(doc.responses).map(Number).sort((a, b) => a - b)) {
      const schema = versioned(`${Name}Response${status === 200 ? '' : status}`, doc.responses[status] ?? []);
      responses[String(status)] = {
        description: status === 202 ? 'Accepted: the work continues asynchronously.' : status === 204 ? 'Done; no body.' : 'Success.',
        ...successHeaders,
        ...(schema ? { content: { 'application/json': { schema } } } : {}),
      };
    }
    for (const status of [...new Set((doc.actions ?? []).map((a) => a.status))].sort((a, b) => a - b)) {
      const acts = (doc.actions ?? []).filter((a) => a.status === status);
      const withBody = acts.filter((a) => a.response);
      const members = withBody.map((a) => ({ ...(bundler.add(a.response) as object), 'x-openstack': { 'action-name': a.name } }));
      responses[String(status)] = {
        description: `Answer of ${acts.map((a) => a.name).join(', ')}.`,
        ...successHeaders,
        ...(members.length === 1 ? { content: { 'application/json': { schema: members[0] } } } : {}),
        ...(members.length > 1 ? { content: { 'application/json': { schema: { oneOf: members, 'x-openstack': { discriminator: 'action' } } } } } : {}),
      };
    }
    const implicit = [
      ...(requestBody || query || pathParams(op.url).length > 0 ? ['BAD_REQUEST'] : []),
      ...(isVersioned ? ['VERSION_NOT_ACCEPTABLE'] : []),
      ...(doc.adminOnly ? ['FORBIDDEN'] : []),
      ...(doc.removedIn ? ['GONE'] : []),
      // Not enabled by the operator: answered as a route that does not exist.
      ...(doc.experimental ? ['NOT_FOUND'] : []),
    ];
    Object.assign(responses, operationErrorResponses([...(doc.errors ?? []), ...implicit]));

    const notes = [
      doc.description,
      doc.min || doc.max ? `Microversions ${doc.min ?? versions.min} to ${doc.max ?? versions.max}.` : undefined,
      doc.adminOnly ? 'Admin only.' : undefined,
      doc.experimental ? 'Experimental: served only when the operator opts in (`enable_experimental_api = true`), 404 otherwise; may change without a new microversion.' : undefined,
      doc.removedIn ? `Removed in microversion ${doc.removedIn}: answers 410 Gone.` : undefined,
      op.alias ? `Also served without the project id at \`${op.alias}\`.` : undefined,
    ].filter(Boolean);
    const xOpenstack = {
      ...(doc.min || doc.max || isVersioned ? mvExtension(doc.min, doc.max, versions.min) : {}),
      ...(doc.experimental ? { experimental: true } : {}),
      ...(doc.removedIn ? { 'removed-in': doc.removedIn } : {}),
      ...(doc.adminOnly ? { 'admin-only': true } : {}),
    };
    const operation: OpenApiOperation = {
      operationId: doc.operationId,
      summary: doc.summary,
      ...(notes.length ? { description: notes.join('\n\n') } : {}),
      tags: [...doc.tags],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody: { required: true, content: { 'application/json': { schema: requestBody } } } } : {}),
      responses,
      ...(doc.removedIn ? { deprecated: true } : {}),
      ...(Object.keys(xOpenstack).length ? { 'x-openstack': xOpenstack } : {}),
      ...(doc.actions?.length ? { 'x-openstack-operation-type': 'action' } : {}),
      ...(op.alias ? { 'x-ashlar-also-served-at': op.alias } : {}),
    };
    doc.tags.forEach((t) => tags.add(t));
    const p = openApiPath(op.url);
    paths[p] = { ...(paths[p] ?? {}), [op.method.toLowerCase()]: operation };
  }

  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((p) => [p, Object.fromEntries(Object.entries(paths[p]!).sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)))]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Ashlar Block Storage API',
      version: versions.max,
      summary: 'A Cinder v3-compatible block storage API.',
      description: [
        `Cinder v3 semantics and JSON shapes. Microversions ${versions.min} to ${versions.max} are negotiated with the \`OpenStack-API-Version: volume X.Y\` header; a version outside the range answers 406.`,
        'Routes are documented at their `/v3/{project_id}/...` path, as in Cinder\'s API reference. The same routes are served without the project id (`/v3/...`, what openstacksdk uses after version discovery); `x-ashlar-also-served-at` names that path.',
        'Extensions: `x-openstack` follows the OpenStack SDK codegenerator (`min-ver`/`max-ver` on microversioned members and operations, `action-name` on action members, `discriminator: microversion|action` on their oneOf), plus `experimental`, `removed-in` and `admin-only`. `x-ashlar-error-codes` lists the error-registry codes behind an error response.',
      ].join('\n\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [...tags].sort().map((name) => ({ name })),
    paths: sortedPaths,
    components: {
      schemas: bundler.components(),
      parameters: {
        OpenStackApiVersion: {
          name: 'OpenStack-API-Version',
          in: 'header',
          required: false,
          description: `The microversion requested, e.g. \`volume ${versions.max}\`; absent means ${versions.min}.`,
          schema: { type: 'string', pattern: '^volume (latest|[0-9]+\\.[0-9]+)$' },
        },
      },
      headers: {
        OpenStackApiVersion: { description: 'The microversion that answered, e.g. `volume 3.70`.', schema: { type: 'string' } },
      },
      responses: errorResponses,
    },
    'x-ashlar-microversions': { min: versions.min, max: versions.max },
    'x-ashlar-error-codes': [...ERROR_CODES].sort(),
  };
}

/** Builds the document of the app a factory creates (see {@link AppFactory}). */
export async function buildOpenApiFromApp(factory: AppFactory, options: BuildOpenApiOptions): Promise<OpenApiDocument> {
  return buildOpenApi(await routesOfApp(factory), options);
}

export type { AppFactory, CollectedRoute, FastifyInstance };
