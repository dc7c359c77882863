import type { FastifyRequest, FastifySchema, preValidationAsyncHookHandler } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { ErrorObject } from 'ajv';
import { describeSchemaErrors } from '../fault-text.js';
import { inRange } from '../microversion.js';
import type { RouteDoc, VersionedSchema } from '../route-doc.js';
import { stateOf } from './request-state.js';
import type { SchemaValidators } from './schema-validators.js';

/** A body variant that holds at every microversion: fastify can compile it into the route. */
function singleBody(doc: RouteDoc): VersionedSchema | undefined {
  const only = doc.body?.length === 1 ? doc.body[0] : undefined;
  return only && only.min === undefined && only.max === undefined ? only : undefined;
}

/**
 * The schemas fastify compiles into the route and checks after the preValidation hooks:
 * the query string, the path parameters and, when it does not depend on the microversion,
 * the body. These are the same objects the OpenAPI document shows.
 */
export function routeSchema(doc: RouteDoc): FastifySchema {
  const body = singleBody(doc);
  return {
    ...(doc.query ? { querystring: doc.query } : {}),
    ...(doc.params ? { params: doc.params } : {}),
    ...(body ? { body: body.schema } : {}),
  };
}

/** The message of an invalid body, as Cinder words it. */
export function invalidBodyReason(errors: readonly ErrorObject[] | null | undefined): string {
  return `Invalid input for field/attribute ${describeSchemaErrors(errors).join('; ')}`;
}

/**
 * preValidation hook of routes that take a body (actions excepted): a missing body is a
 * 400 of its own, and a body whose shape depends on the microversion is checked against
 * the variant of the negotiated one (fastify compiles one body schema per route, so the
 * variant is picked here, before fastify validates the query string and parameters).
 */
export function bodyVariant(doc: RouteDoc, validators: SchemaValidators): preValidationAsyncHookHandler | undefined {
  if (!doc.body) return undefined;
  const fixed = singleBody(doc) !== undefined;
  return async (request: FastifyRequest) => {
    const { version } = stateOf(request);
    const variant = fixed ? undefined : doc.body!.find((s) => inRange(version, s.min, s.max));
    if (!fixed && !variant) throw new AshlarError('BAD_REQUEST', { details: { reason: `This request takes no body at microversion ${version.text}.` } });
    if (request.body === undefined || request.body === null) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Missing request body.' } });
    if (!variant) return;
    const validate = validators.get(variant.schema);
    if (!validate(request.body)) throw new AshlarError('BAD_REQUEST', { details: { reason: invalidBodyReason(validate.errors) } });
  };
}
