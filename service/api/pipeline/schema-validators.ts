import type { ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { createAjv } from '../../../core/validation/schema-registry.js';
import type { JsonSchema } from '../route-doc.js';

/**
 * The compiled request and response validators of one app: an ajv that knows the core
 * schemas (so `$ref`s into core/schemas resolve) and each schema compiled once. Owned by
 * the app instance, so two apps in one process share no compiled state.
 *
 * @remarks No type coercion: query strings and path parameters reach the handlers as the
 * strings the client sent, and their schemas describe those strings.
 */
export class SchemaValidators {
  // The API's schemas are this repository's own, checked against the meta-schema by
  // test/validation/meta-schema.test.ts rather than at every start-up.
  readonly #ajv = createAjv({ useDefaults: true, validateSchema: false });
  readonly #compiled = new WeakMap<object, ValidateFunction>();

  /** The validator of `schema`, compiled on first use. */
  get(schema: JsonSchema): ValidateFunction {
    let fn = this.#compiled.get(schema);
    if (!fn) {
      fn = this.#ajv.compile(schema as object);
      this.#compiled.set(schema, fn);
    }
    return fn;
  }

  /** fastify's validator compiler for `schema.body`, `querystring` and `params` of a route. */
  readonly compiler: FastifySchemaCompiler<JsonSchema> = ({ schema }) => this.get(schema);
}
