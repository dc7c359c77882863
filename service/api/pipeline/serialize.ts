import type { FastifyReply } from 'fastify';
import type { ApiReply } from '../api-request.js';
import type { ApiVersion } from '../microversion.js';
import type { JsonSchema, RouteDoc } from '../route-doc.js';
import { documentedSchema } from './response-check.js';

/** The schema the serializer compiles, per documented schema; null when it has a `$ref` (the core schemas are not the serializer's to resolve). */
const forSerializer = new WeakMap<object, Record<string, unknown> | null>();

/**
 * A copy of `schema` in which every object that does not say what its other properties are
 * says `additionalProperties: true`: fast-json-stringify drops properties a schema does not
 * name, while JSON Schema (and the document) leaves such an object open, as driver-defined
 * maps like connection info and capabilities are.
 */
function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'const' || k === 'required' ? v : k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, openObjects(s)])) : openObjects(v);
  const isObject = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object')) || 'properties' in out;
  if (isObject && !('additionalProperties' in out)) out.additionalProperties = true;
  return out;
}

function serializerSchema(schema: JsonSchema): Record<string, unknown> | null {
  let s = forSerializer.get(schema);
  if (s === undefined) {
    s = JSON.stringify(schema).includes('"$ref"') ? null : (openObjects(schema) as Record<string, unknown>);
    forSerializer.set(schema, s);
  }
  return s;
}

/**
 * The serializer of an answer: fastify's compiled one (fast-json-stringify) over the
 * response schema the route documents for this status and microversion, so the JSON text
 * is written field by field from the schema instead of by `JSON.stringify` walking each
 * object. Compiled once per route and schema (fastify keeps them). Undefined (plain
 * `JSON.stringify`) for an undocumented body and for schemas that reference the core schemas.
 *
 * @remarks A compiled serializer writes only the properties its schema names, so objects
 * the schema leaves open are compiled as open (see openObjects), closed ones list every
 * field their views build, and the response check (strict in the tests) compares the
 * serialized text with the answer built.
 */
export function compiledSerializer(reply: FastifyReply, doc: RouteDoc, out: ApiReply, version: ApiVersion, actionName: string | undefined): ((body: unknown) => string) | undefined {
  if (out.body === undefined) return undefined;
  const { schema } = documentedSchema(doc, out, version, actionName);
  const compiled = schema === undefined ? null : serializerSchema(schema);
  if (compiled === null) return undefined;
  const write = reply.compileSerializationSchema(compiled) as (body: unknown) => string;
  // An answer its schema cannot write (a required field missing) is a documentation bug,
  // not a reason to fail the request: plain JSON writes it, and the response check (when
  // on) reports the mismatch as it does for any other.
  return (body) => {
    try {
      return write(body);
    } catch {
      return JSON.stringify(body);
    }
  };
}
