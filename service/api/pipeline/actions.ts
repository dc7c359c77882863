import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { describeSchemaErrors, echoed } from '../fault-text.js';
import { inRange } from '../microversion.js';
import type { ActionDoc } from '../route-doc.js';
import { stateOf } from './request-state.js';
import type { SchemaValidators } from './schema-validators.js';

/**
 * preValidation hook of `POST .../action` routes: the body is `{"<action>": {...}}` with
 * exactly one key, and the action decides the schema, the microversions and the role, so
 * it is picked here and remembered for the handler and the response check.
 *
 * Cinder's answers: 400 for a malformed body or an action it does not know, 404 for an
 * action outside its microversions, 403 for a non-administrator on an admin action, 400
 * for arguments that fail the action's schema.
 */
export function actionBody(actions: readonly ActionDoc[], validators: SchemaValidators): preValidationAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const state = stateOf(request);
    const raw = request.body;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length !== 1) {
      throw new AshlarError('BAD_REQUEST', { details: { reason: 'An action body is an object with exactly one key, the action name.' } });
    }
    const [name, value] = Object.entries(raw)[0]!;
    const known = actions.find((a) => a.name === name);
    if (!known) throw new AshlarError('BAD_REQUEST', { details: { reason: `There is no such action: ${echoed(name)}` } });
    const v = state.version;
    if (!inRange(v, known.min, known.max)) {
      throw new AshlarError('NOT_FOUND', {
        message: `The resource could not be found: action ${name} needs microversion ${known.min ?? '3.0'}${known.max ? ` to ${known.max}` : ''}, the request asked for ${v.text}.`,
        details: { resource: 'Action', id: name },
      });
    }
    if (known.adminOnly && !state.ctx?.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action: name } });
    const validate = validators.get(known.schema);
    if (!validate(value)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input for ${name}: ${describeSchemaErrors(validate.errors, name).join('; ')}` } });
    state.actionName = name;
  };
}
