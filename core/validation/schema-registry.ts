/**
 * One ajv instance holding every schema in core/schemas, so drivers' results, configs,
 * manifests and API bodies are all checked against the same source the types come from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { packagePath } from '../util/package-root.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** Base URI of every Ashlar schema `$id`. */
export const SCHEMA_BASE = 'https://ashlar.dev/schemas/';

const schemaDir = packagePath('core', 'schemas');

/** Options of {@link createAjv}. */
export interface CreateAjvOptions {
  readonly useDefaults?: boolean;
  readonly coerceTypes?: boolean;
  /**
   * Check every schema compiled later against the JSON Schema 2020-12 meta-schema
   * (default true). Compiling the meta-schema costs tens of milliseconds per ajv instance,
   * so instances that only ever compile this repository's own schemas (the API's request
   * and response schemas) turn it off: test/validation/meta-schema.test.ts checks those
   * schemas instead. Keep it on wherever a schema can come from outside (driver plugins).
   */
  readonly validateSchema?: boolean;
}

/**
 * Creates an ajv instance configured the way Ashlar validates everything. The core
 * schemas are added without a meta-schema check (they are this repository's own, checked
 * by test/validation/meta-schema.test.ts), so an instance compiles the meta-schema only
 * when it is asked to compile a schema with `validateSchema` on.
 */
export function createAjv(options: CreateAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    useDefaults: options.useDefaults ?? false,
    coerceTypes: options.coerceTypes ?? false,
    validateSchema: options.validateSchema ?? true,
  });
  addFormats(ajv);
  for (const schema of loadCoreSchemas()) ajv.addSchema(schema, undefined, undefined, false);
  return ajv;
}

let configInstance: Ajv2020 | undefined;

/**
 * The one ajv instance that validates configuration (defaults filled in, strings coerced
 * as INI values need): the service config and every driver's config section share it, so
 * the meta-schema that vendor config schemas are checked against is compiled once per
 * process.
 */
export function configAjv(): Ajv2020 {
  configInstance ??= createAjv({ useDefaults: true, coerceTypes: true });
  return configInstance;
}

let ownConfigInstance: Ajv2020 | undefined;

/**
 * Like {@link configAjv}, for config schemas shipped in this repository (the service's
 * sections): it skips the meta-schema check, which costs ~50 ms of start-up to compile;
 * test/core/validation/meta-schema.test.ts checks those schemas instead.
 */
export function ownConfigAjv(): Ajv2020 {
  ownConfigInstance ??= createAjv({ useDefaults: true, coerceTypes: true, validateSchema: false });
  return ownConfigInstance;
}

let cachedSchemas: Record<string, unknown>[] | undefined;

/** Every schema object under core/schemas, parsed once. */
export function loadCoreSchemas(): Record<string, unknown>[] {
  cachedSchemas ??= readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8')) as Record<string, unknown>);
  return cachedSchemas;
}

let shared: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * A validator for a core schema by file name (`"volume"`) or a JSON pointer into one
 * (`"connection-info#/$defs/RbdConnectionInfo"`). Compiled once and cached.
 */
export function coreValidator(ref: string): ValidateFunction {
  let fn = compiled.get(ref);
  if (!fn) {
    shared ??= createAjv();
    const [file, pointer] = ref.split('#');
    const id = `${SCHEMA_BASE}${file}.schema.json${pointer ? `#${pointer}` : ''}`;
    fn = shared.getSchema(id);
    if (!fn) throw new Error(`unknown core schema: ${ref}`);
    compiled.set(ref, fn);
  }
  return fn;
}

/** Renders ajv errors as short `path: message` lines a person can act on. */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined, rootName = ''): string[] {
  return (errors ?? []).map((e) => {
    const where = `${rootName}${e.instancePath || ''}` || '(root)';
    if (e.keyword === 'additionalProperties') {
      return `${where}: unknown property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
    }
    if (e.keyword === 'enum') {
      return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where}: ${e.message ?? e.keyword}`;
  });
}
