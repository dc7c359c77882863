import { isDeepStrictEqual } from 'node:util';
import type { FastifyReply, FastifyRequest, onSendAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { describeSchemaErrors } from '../fault-text.js';
import { inRange, type ApiVersion } from '../microversion.js';
import type { ApiReply } from '../api-request.js';
import type { JsonSchema, RouteDoc } from '../route-doc.js';
import { stateOf } from './request-state.js';
import type { SchemaValidators } from './schema-validators.js';

/** What the service does with an answer that its own documentation refuses. */
export type ResponseValidation = 'off' | 'warn' | 'error';

/** The documented schema of an answer, or the reason the answer is undocumented. */
export function documentedSchema(doc: RouteDoc, out: ApiReply, v: ApiVersion, actionName: string | undefined): { schema?: JsonSchema; problem?: string } {
  if (doc.actions) {
    const action = doc.actions.find((a) => a.name === actionName);
    if (action && action.status !== out.status) return { problem: `action ${actionName} answered ${out.status}, documented ${action.status}` };
    return action?.response ? { schema: action.response } : {};
  }
  const variants = doc.responses[out.status];
  if (!variants) return { problem: `status ${out.status} is not documented` };
  const schema = variants.find((s) => inRange(v, s.min, s.max))?.schema;
  return schema ? { schema } : {};
}

/**
 * onSend hook: checks the handler's answer (status and body, before serialization was
 * needed) against the route's documented responses at the negotiated microversion. `warn`
 * logs a mismatch; `error` turns it into a 500 RESPONSE_INVALID fault through the error
 * handler; and that the serialized text says what the handler built (see
 * compiledSerializer). Faults and cached answers are not checked (the latter were when first built).
 */
export function responseCheck(doc: RouteDoc, mode: ResponseValidation, validators: SchemaValidators, logger: Logger): onSendAsyncHookHandler | undefined {
  if (mode === 'off') return undefined;
  const report = (problem: string): void => {
    if (mode === 'warn') logger.warn({ operationId: doc.operationId, problem }, 'response does not match its schema');
    else throw new AshlarError('RESPONSE_INVALID', { details: { operation: doc.operationId, reason: problem } });
  };
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const state = stateOf(request);
    const out = state.reply;
    if (out === undefined || reply.statusCode >= 400) return payload;
    const { schema, problem } = documentedSchema(doc, out, state.version, state.actionName);
    if (problem !== undefined) report(problem);
    else if (!schema) {
      if (out.body !== undefined) report(`undocumented body for status ${out.status} at ${state.version.text}`);
    } else {
      const validate = validators.get(schema);
      if (!validate(out.body)) report(describeSchemaErrors(validate.errors, 'response').join('; '));
      else if (typeof payload === 'string' && !isDeepStrictEqual(JSON.parse(payload), JSON.parse(JSON.stringify(out.body)))) {
        // The compiled serializer writes what the schema names: a field it lost is a schema to complete.
        report('the serialized answer differs from the answer built (a field the schema does not describe)');
      }
    }
    return payload;
  };
}
