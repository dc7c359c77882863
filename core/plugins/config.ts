import { AshlarError } from '../errors/ashlar-error.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { ValidateFunction } from 'ajv';
import { configAjv, createAjv, formatSchemaErrors } from '../validation/schema-registry.js';
import type { DriverManifest } from '../contract/types.js';

/** Options of {@link validateDriverConfig}. */
export interface ValidateDriverConfigOptions {
  /**
   * The schema was already checked against the meta-schema elsewhere: built-in drivers'
   * schemas are checked by test/core/validation/meta-schema.test.ts, which saves the
   * ~50 ms meta-schema compile at every service start. Plugins' schemas are always checked.
   */
  readonly schemaChecked?: boolean;
}

/**
 * Validates a driver's config section against its manifest's config schema, applying
 * schema defaults. Unknown keys are rejected with a "did you mean" hint.
 *
 * @param section - Where the values came from (a config file section), for messages.
 * @throws CONFIG_INVALID naming the section and key.
 */
export function validateDriverConfig<T = Record<string, unknown>>(
  manifest: DriverManifest,
  config: Readonly<Record<string, unknown>>,
  section = manifest.name,
  options: ValidateDriverConfigOptions = {},
): T {
  const schema = manifest.configSchema as { properties?: Record<string, unknown> };
  const known = Object.keys(schema.properties ?? {});
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      const hint = didYouMean(key, known);
      throw new AshlarError('CONFIG_INVALID', {
        details: { reason: `[${section}] unknown option "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known options: ${known.join(', ') || '(none)'}`, section, key },
        suggestions: hint ? [`rename "${key}" to "${hint}"`] : [],
      });
    }
  }
  const validate = configValidator(schema, options.schemaChecked ?? false);
  const copy = structuredClone(config) as Record<string, unknown>;
  if (!validate(copy)) {
    const lines = formatSchemaErrors(validate.errors, '').map((l) => `[${section}] ${l.replace(/^\//, '').replace(/^\(root\)/, 'section')}`);
    throw new AshlarError('CONFIG_INVALID', { details: { reason: lines.join('; '), section } });
  }
  return copy as T;
}

const validators = new WeakMap<object, ValidateFunction>();

/**
 * The compiled validator of a manifest's config schema, once per schema object. The
 * schema comes from a plugin, so it is checked against the meta-schema first, on the
 * shared config instance (which compiles the meta-schema once per process, not once per
 * driver instantiation); it is compiled on an instance of its own so that two plugins
 * whose schemas share an `$id` cannot collide.
 */
function configValidator(schema: DriverManifest['configSchema'], schemaChecked: boolean): ValidateFunction {
  let fn = validators.get(schema);
  if (!fn) {
    const meta = schemaChecked ? undefined : configAjv();
    if (meta && !meta.validateSchema(schema)) throw new Error(`schema is invalid: ${meta.errorsText(meta.errors)}`);
    fn = createAjv({ useDefaults: true, coerceTypes: true, validateSchema: false }).compile({ ...schema, additionalProperties: false });
    validators.set(schema, fn);
  }
  return fn;
}
