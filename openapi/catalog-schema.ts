/**
 * The capability catalog as an OpenAPI schema: `VolumeTypeExtraSpecs`, one property per
 * catalog key (its value syntax, description and catalog facts under `x-ashlar-catalog`),
 * any other key allowed as driver-specific.
 */
import { capabilityCatalog, type CatalogKey } from '../core/catalog/catalog.js';

function valueSchema(entry: CatalogKey): Record<string, unknown> {
  switch (entry.type) {
    case 'boolean':
      return { type: 'string', pattern: '^(<is> )?(True|False|true|false)$' };
    case 'integer':
      return { type: 'string', pattern: '^-?(0|[1-9][0-9]*)$' };
    case 'enum':
      return { type: 'string', enum: [...(entry.values ?? [])] };
    case 'string':
      return { type: 'string', maxLength: 255 };
  }
}

/** The extra-specs schema derived from the catalog. */
export function extraSpecsSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const entry of [...capabilityCatalog().keys].sort((a, b) => a.key.localeCompare(b.key, 'en'))) {
    properties[entry.key] = {
      ...valueSchema(entry),
      description: entry.description,
      ...(entry.example !== undefined ? { examples: [entry.example] } : {}),
      'x-ashlar-catalog': {
        type: entry.type,
        userVisible: entry.userVisible,
        stats: entry.stats,
        ...(entry.minimum !== undefined ? { minimum: entry.minimum } : {}),
        ...(entry.maximum !== undefined ? { maximum: entry.maximum } : {}),
        ...(entry.capability !== undefined ? { capability: entry.capability } : {}),
      },
    };
  }
  return {
    type: 'object',
    title: 'VolumeTypeExtraSpecs',
    description:
      'Volume-type extra specs. Keys of the capability catalog (listed here) are validated by type; any other key is driver-specific and passes as a string. Project members see only the keys marked userVisible; admins see all.',
    properties,
    additionalProperties: { type: 'string', maxLength: 255 },
  };
}
