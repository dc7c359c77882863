/**
 * The capability catalog: standard volume-type property keys (extra specs) with their
 * types, descriptions, visibility and the stats key they map to. Data lives in
 * capability-keys.json, checked against core/schemas/capability-catalog.schema.json
 * when first read, so a malformed entry fails loudly instead of silently validating
 * nothing.
 */
import { readFileSync } from 'node:fs';
import type { CapabilityCatalog, CatalogKey } from '../generated/schemas.js';
import { packagePath } from '../util/package-root.js';
import { coreValidator, formatSchemaErrors } from '../validation/schema-registry.js';

export type { CapabilityCatalog, CatalogKey };

const catalogFile = packagePath('core', 'catalog', 'capability-keys.json');

/** Checks a catalog against its schema and the rules a schema cannot say; returns problems. */
export function catalogProblems(catalog: unknown): string[] {
  const validate = coreValidator('capability-catalog');
  if (!validate(catalog)) return formatSchemaErrors(validate.errors, 'catalog');
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of (catalog as CapabilityCatalog).keys) {
    if (seen.has(entry.key)) problems.push(`${entry.key}: listed twice`);
    seen.add(entry.key);
    if (entry.type === 'enum' && !entry.values) problems.push(`${entry.key}: an enum key needs values`);
    if (entry.type !== 'enum' && entry.values) problems.push(`${entry.key}: only enum keys take values`);
    if (entry.type !== 'integer' && (entry.minimum !== undefined || entry.maximum !== undefined)) {
      problems.push(`${entry.key}: only integer keys take minimum/maximum`);
    }
    if (entry.minimum !== undefined && entry.maximum !== undefined && entry.minimum > entry.maximum) {
      problems.push(`${entry.key}: minimum is above maximum`);
    }
    if (entry.stats.match !== 'none' && !entry.stats.key) problems.push(`${entry.key}: match "${entry.stats.match}" needs a stats key`);
    if (entry.stats.match === 'none' && entry.stats.key) problems.push(`${entry.key}: match "none" takes no stats key`);
  }
  return problems;
}

let cached: CapabilityCatalog | undefined;

/**
 * The built-in catalog, validated once.
 *
 * @throws Error when capability-keys.json breaks its schema (a build defect, not a user error).
 */
export function capabilityCatalog(): CapabilityCatalog {
  if (!cached) {
    const data: unknown = JSON.parse(readFileSync(catalogFile, 'utf8'));
    const problems = catalogProblems(data);
    if (problems.length > 0) throw new Error(`core/catalog/capability-keys.json is invalid:\n${problems.join('\n')}`);
    cached = data as CapabilityCatalog;
  }
  return cached;
}

/** The catalog entry for a key, or undefined for a driver-specific key. */
export function catalogKey(key: string): CatalogKey | undefined {
  return capabilityCatalog().keys.find((k) => k.key === key);
}
