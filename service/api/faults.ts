import { ERROR_REGISTRY, type ErrorCode } from '../../core/errors/registry.js';
import { isAshlarError } from '../../core/errors/ashlar-error.js';

/** A Cinder fault body: `{"itemNotFound": {"code": 404, "message": "..."}}`. */
export type FaultBody = Record<string, { code: number; message: string }>;

/** Status and body of a coded error, from the error registry. */
export function faultFor(code: ErrorCode, message: string): { status: number; body: FaultBody } {
  const def = ERROR_REGISTRY[code];
  return { status: def.status, body: { [def.fault]: { code: def.status, message } } };
}

/**
 * Maps anything thrown while handling a request to a status and a Cinder fault body.
 * Coded errors use the registry; fastify's own client errors (bad JSON, too large) become
 * badRequest; anything else is a 500 computeFault with a generic message (the detail goes
 * to the log, not to the client).
 */
export function toFault(err: unknown): { status: number; body: FaultBody; internal: boolean } {
  if (isAshlarError(err)) return { ...faultFor(err.code, err.message), internal: err.status >= 500 };
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const fault = e.statusCode === 413 ? 'requestEntityTooLarge' : e.statusCode === 404 ? 'itemNotFound' : e.statusCode === 415 ? 'badRequest' : 'badRequest';
    return { status: e.statusCode === 415 ? 400 : e.statusCode, body: { [fault]: { code: e.statusCode === 415 ? 400 : e.statusCode, message: e.message ?? 'Bad request' } }, internal: false };
  }
  return { ...faultFor('BACKEND_ERROR', 'The server has either erred or is incapable of performing the requested operation.'), internal: true };
}
