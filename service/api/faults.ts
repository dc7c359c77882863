import type { ErrorObject } from 'ajv';
import { describeSchemaErrors, echoed } from './fault-text.js';
import { ERROR_REGISTRY, type ErrorCode } from '../../core/errors/registry.js';
import { isAshlarError } from '../../core/errors/ashlar-error.js';

/** A Cinder fault body: `{"itemNotFound": {"code": 404, "message": "..."}}`. */
export type FaultBody = Record<string, { code: number; message: string }>;

/** Status and body of a coded error, from the error registry. */
export function faultFor(code: ErrorCode, message: string): { status: number; body: FaultBody } {
  const def = ERROR_REGISTRY[code];
  return { status: def.status, body: { [def.fault]: { code: def.status, message } } };
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
