import type { DriverManifest } from '../contract/types.js';

/** One config option as the CLI and the generated docs show it. */
export interface ConfigOption {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

/** Flattens a manifest's config schema into options with type, default and description. */
export function configOptions(manifest: DriverManifest): ConfigOption[] {
  const schema = manifest.configSchema as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => ({
    name,
    type: prop.enum ? (prop.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ') : String(prop.type ?? 'any'),
    required: (schema.required ?? []).includes(name),
    ...(prop.default !== undefined ? { default: prop.default } : {}),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
  }));
}
