import type { ErrorObject } from 'ajv';
import { ERROR_REGISTRY, type ErrorCode } from '../../core/errors/registry.js';
import { isAshlarError } from '../../core/errors/ashlar-error.js';

/** A Cinder fault body: `{"itemNotFound": {"code": 404, "message": "..."}}`. */
export type FaultBody = Record<string, { code: number; message: string }>;

/** Status and body of a coded error, from the error registry. */
export function faultFor(code: ErrorCode, message: string): { status: number; body: FaultBody } {
  const def = ERROR_REGISTRY[code];
  return { status: def.status, body: { [def.fault]: { code: def.status, message } } };
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MAX_ECHO = 255;

/**
 * Request text (a URL, a name, a parameter value) made safe to echo in a fault message:
 * HTML-escaped, because clients and dashboards show fault messages in web pages, and cut
 * to 255 characters, because the message is not a place to reflect a megabyte back.
 */
export function echoed(text: string): string {
  const cut = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
  return cut.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * ajv errors as `where: problem` lines; `where` and unknown property names come from the
 * request, so they are {@link echoed}; ajv's own wording is kept as is.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, rootName = ''): string[] {
  return (errors ?? []).map((e) => {
    const where = echoed(`${rootName}${e.instancePath || ''}`) || '(root)';
    if (e.keyword === 'additionalProperties') {
      return `${where}: unknown property "${echoed(String((e.params as { additionalProperty: string }).additionalProperty))}"`;
    }
    if (e.keyword === 'enum') {
      return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where}: ${e.message ?? e.keyword}`;
  });
}

/** A fastify request-validation error: which part of the request failed, and ajv's errors. */
interface ValidationFailure {
  readonly validation: readonly ErrorObject[];
  readonly validationContext?: string;
}

function isValidationFailure(err: unknown): err is ValidationFailure {
  return typeof err === 'object' && err !== null && Array.isArray((err as { validation?: unknown }).validation);
}

/** The message of a request that fails its route's compiled body, query-string or path schema. */
function validationMessage(err: ValidationFailure, query: Readonly<Record<string, unknown>>, params: Readonly<Record<string, unknown>>): string {
  if (err.validationContext === 'body' || err.validationContext === undefined) {
    return `Invalid input for field/attribute ${describeSchemaErrors(err.validation).join('; ')}`;
  }
  const where = err.validationContext === 'params' ? { what: 'path parameter', values: params } : { what: 'query parameter', values: query };
  return err.validation
    .map((e) => {
      const name = e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : e.instancePath.replace(/^\//, '').split('/')[0]!;
      const value = where.values[name];
      const shown = value === undefined ? '' : typeof value === 'string' ? ` "${echoed(value)}"` : ` ${echoed(JSON.stringify(value))}`;
      return e.keyword === 'required' ? `Missing ${where.what} ${echoed(name)}.` : `Invalid value${shown} for ${where.what} ${echoed(name)}: ${e.message ?? e.keyword}.`;
    })
    .join(' ');
}

/** The parts of a request a fault message may quote. */
export interface FaultRequest {
  readonly query?: unknown;
  readonly params?: unknown;
}

/**
 * Maps anything thrown while handling a request to a status and a Cinder fault body.
 * Coded errors use the registry; a request that fails its route's compiled schemas is a
 * badRequest naming the field or parameter; fastify's other client errors (bad JSON, too
 * large, unsupported media type) become badRequest (413 requestEntityTooLarge); anything
 * else is a 500 computeFault with a generic message (the detail goes to the log, not to
 * the client).
 */
export function toFault(err: unknown, request: FaultRequest = {}): { status: number; body: FaultBody; internal: boolean } {
  if (isAshlarError(err)) return { ...faultFor(err.code, err.message), internal: err.status >= 500 };
  if (isValidationFailure(err)) {
    const asRecord = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
    return { ...faultFor('BAD_REQUEST', validationMessage(err, asRecord(request.query), asRecord(request.params))), internal: false };
  }
  const e = err as { statusCode?: number; message?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode === 415 ? 400 : e.statusCode;
    const fault = status === 413 ? 'requestEntityTooLarge' : status === 404 ? 'itemNotFound' : 'badRequest';
    return { status, body: { [fault]: { code: status, message: e.message ?? 'Bad request' } }, internal: false };
  }
  return { ...faultFor('BACKEND_ERROR', 'The server has either erred or is incapable of performing the requested operation.'), internal: true };
}
