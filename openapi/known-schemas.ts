/**
 * The schemas a route's `$ref` may name: core/schemas and the service's openapi/schemas
 * (every `*.json` below it that has an `$id`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../core/util/package-root.js';
import { loadCoreSchemas } from '../core/validation/schema-registry.js';

// JSON only, read from the source tree: the .ts schema modules beside them are imported.
const apiSchemaDir = packagePath('openapi', 'schemas');

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .flatMap((e) => (e.isDirectory() ? jsonFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
}

/** Core schemas followed by the API schemas, each with an `$id`. */
export function knownSchemas(): Record<string, unknown>[] {
  const api = jsonFiles(apiSchemaDir)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)
    .filter((s) => typeof s.$id === 'string');
  return [...loadCoreSchemas(), ...api];
}
