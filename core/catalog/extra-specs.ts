/**
 * Volume-type extra specs checked against the capability catalog: catalog keys must hold
 * a value of their type; any other key is a driver-specific key and passes untouched.
 */
import { AshlarError } from '../errors/ashlar-error.js';
import type { CatalogKey } from './catalog.js';
import { capabilityCatalog, catalogKey } from './catalog.js';

/** One extra spec that breaks the catalog. */
export interface ExtraSpecProblem {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

// Cinder writes booleans as "<is> True" for capability matching and "True"/"true" elsewhere.
const BOOLEAN = /^(<is> )?(True|False|true|false)$/;
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** Why a value does not fit a catalog entry, or undefined when it fits. */
export function extraSpecValueProblem(entry: CatalogKey, value: string): string | undefined {
  switch (entry.type) {
    case 'boolean':
      return BOOLEAN.test(value) ? undefined : 'must be a boolean: True, False or "<is> True"/"<is> False"';
    case 'integer': {
      if (!INTEGER.test(value)) return 'must be a decimal integer';
      const n = Number(value);
      if (entry.minimum !== undefined && n < entry.minimum) return `must be at least ${entry.minimum}`;
      if (entry.maximum !== undefined && n > entry.maximum) return `must be at most ${entry.maximum}`;
      return undefined;
    }
    case 'enum': {
      const values: readonly string[] = entry.values ?? [];
      return values.includes(value) ? undefined : `must be one of ${values.join(', ')}`;
    }
    case 'string':
      return value.length <= 255 ? undefined : 'must be at most 255 characters';
  }
}

/**
 * Checks extra specs against the catalog. Catalog keys are validated by type; keys the
 * catalog does not know are driver-specific and allowed.
 *
 * @returns The problems, empty when the specs are valid, in key order.
 */
export function validateExtraSpecs(specs: Readonly<Record<string, string>>): ExtraSpecProblem[] {
  const problems: ExtraSpecProblem[] = [];
  for (const key of Object.keys(specs).sort()) {
    const value = specs[key] as string;
    const entry = catalogKey(key);
    if (!entry) continue;
    const reason = typeof value === 'string' ? extraSpecValueProblem(entry, value) : 'must be a string';
    if (reason) problems.push({ key, value: String(value), reason });
  }
  return problems;
}

/**
 * Like {@link validateExtraSpecs}, for the service's request path.
 *
 * @throws BAD_REQUEST naming every offending key.
 */
export function assertValidExtraSpecs(specs: Readonly<Record<string, string>>): void {
  const problems = validateExtraSpecs(specs);
  if (problems.length > 0) {
    throw new AshlarError('BAD_REQUEST', {
      details: { reason: `Invalid extra specs: ${problems.map((p) => `${p.key}=${JSON.stringify(p.value)} ${p.reason}`).join('; ')}`, problems },
    });
  }
}

/**
 * The extra specs a caller may see: admins see every key; project members see only the
 * catalog keys marked user-visible (driver-specific keys can reveal backend layout, so
 * they stay admin-only, as in Cinder).
 */
export function visibleExtraSpecs(specs: Readonly<Record<string, string>>, viewer: { readonly admin: boolean }): Record<string, string> {
  if (viewer.admin) return { ...specs };
  const visible = new Set(capabilityCatalog().keys.filter((k) => k.userVisible).map((k) => k.key));
  return Object.fromEntries(Object.entries(specs).filter(([key]) => visible.has(key)));
}
