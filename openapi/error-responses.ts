/**
 * Error responses from the one error registry: a fault schema per Cinder fault name, a
 * reusable response per error code, and the per-operation responses grouped by status.
 */
import { ERROR_CODES, ERROR_REGISTRY, type ErrorCode } from '../core/errors/registry.js';
import { pascal, type SchemaBundler } from './schema-bundle.js';

/** Component name of the schema of a Cinder fault body (`{"itemNotFound": {...}}`). */
export function faultSchemaName(fault: string): string {
  return `Fault${pascal(fault)}`;
}

/** Adds the fault schemas to the bundle and returns one response component per code. */
export function registryResponses(bundler: SchemaBundler): Record<string, unknown> {
  bundler.define('FaultDetail', {
    type: 'object',
    description: 'What went wrong. `code` is the HTTP status, as in Cinder; `message` is the rendered message template of the error code.',
    required: ['code', 'message'],
    properties: { code: { type: 'integer', minimum: 400, maximum: 599 }, message: { type: 'string' } },
  });
  const faults = [...new Set(ERROR_CODES.map((c) => ERROR_REGISTRY[c].fault))].sort();
  for (const fault of faults) {
    bundler.define(faultSchemaName(fault), {
      type: 'object',
      description: `Cinder fault body of kind ${fault}.`,
      required: [fault],
      additionalProperties: false,
      properties: { [fault]: { $ref: '#/components/schemas/FaultDetail' } },
    });
  }
  const responses: Record<string, unknown> = {};
  for (const code of [...ERROR_CODES].sort()) {
    const def = ERROR_REGISTRY[code];
    responses[code] = {
      description: `${code}: ${def.description}`,
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${faultSchemaName(def.fault)}` },
          example: { [def.fault]: { code: def.status, message: def.message } },
        },
      },
      'x-ashlar-error': { code, status: def.status, fault: def.fault, message: def.message },
    };
  }
  return responses;
}

/**
 * An operation's error responses, one per status; each lists the codes it stands for in
 * `x-ashlar-error-codes`.
 *
 * @throws Error naming a code the registry does not have.
 */
export function operationErrorResponses(codes: readonly string[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...new Set(codes)].sort()) {
    if (!(code in ERROR_REGISTRY)) throw new Error(`route documents error code ${code}, which is not in the error registry`);
    const status = ERROR_REGISTRY[code as ErrorCode].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code as ErrorCode]);
  }
  const out: Record<string, unknown> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const group = byStatus.get(status)!;
    const faults = [...new Set(group.map((c) => ERROR_REGISTRY[c].fault))];
    const refs = faults.map((f) => ({ $ref: `#/components/schemas/${faultSchemaName(f)}` }));
    out[String(status)] = {
      description: group.map((c) => `${c}: ${ERROR_REGISTRY[c].description}`).join('\n\n'),
      content: { 'application/json': { schema: refs.length === 1 ? refs[0] : { oneOf: refs } } },
      'x-ashlar-error-codes': group,
    };
  }
  return out;
}
