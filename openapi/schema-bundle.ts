/**
 * Bundles JSON Schemas into `components.schemas`: every `$ref` to a schema `$id` (core
 * schemas, the service's openapi/schemas, or any schema handed in) becomes a
 * `#/components/schemas/<Title>` reference and the target is copied in once.
 */
import { SCHEMA_BASE } from '../core/validation/schema-registry.js';

type Json = Record<string, unknown>;

/** Turns free text into a component-name-safe PascalCase word. */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Collects schemas into components, resolving `$ref`s against the known `$id`s. */
export class SchemaBundler {
  readonly #documents = new Map<string, Json>();
  readonly #names = new Map<string, string>();
  readonly #components: Record<string, unknown> = {};

  /** @param schemas - Every schema a `$ref` may point to; each must have an absolute `$id`. */
  constructor(schemas: readonly Json[]) {
    for (const s of schemas) {
      if (typeof s.$id !== 'string') throw new Error(`schema without $id cannot be bundled: ${JSON.stringify(s).slice(0, 80)}`);
      this.#documents.set(s.$id.replace(/#$/, ''), s);
    }
  }

  /**
   * Returns a copy of `schema` whose `$ref`s point into components, bundling their
   * targets. Relative refs in inline schemas resolve against the core schema base, so
   * `volume.schema.json` works as well as its full `$id`.
   */
  add(schema: unknown, base: string = SCHEMA_BASE): unknown {
    return this.#rewrite(schema, base);
  }

  /** Bundles a whole known schema by `$id` and returns its component name. */
  include(id: string): string {
    return this.#component(id);
  }

  /** Adds a component under a fixed name (already in OpenAPI form). */
  define(name: string, schema: unknown): { $ref: string } {
    if (name in this.#components) throw new Error(`component ${name} defined twice`);
    this.#components[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  }

  /** The bundled components, sorted by name. */
  components(): Record<string, unknown> {
    return Object.fromEntries(Object.keys(this.#components).sort().map((k) => [k, this.#components[k]]));
  }

  #rewrite(node: unknown, base: string): unknown {
    if (Array.isArray(node)) return node.map((n) => this.#rewrite(n, base));
    if (node === null || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#/components/')) {
        out.$ref = `#/components/schemas/${this.#component(new URL(value, base).href)}`;
      } else if (key === '$id' || key === '$schema' || key === '$defs') {
        // $id would change how "#/components/..." resolves inside the copy; $defs become components.
      } else if (key === 'properties' || key === 'patternProperties' || key === 'dependentSchemas') {
        out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, this.#rewrite(v, base)]));
      } else {
        out[key] = this.#rewrite(value, base);
      }
    }
    return out;
  }

  #component(rawUri: string): string {
    const uri = rawUri.replace(/#$/, '');
    const known = this.#names.get(uri);
    if (known) return known;
    const [docUri = '', fragment = ''] = uri.split('#');
    const doc = this.#documents.get(docUri);
    if (!doc) throw new Error(`$ref to an unknown schema: ${uri} (known: ${[...this.#documents.keys()].join(', ')})`);
    let target: unknown = doc;
    for (const part of fragment.split('/').filter(Boolean)) {
      target = (target as Json | undefined)?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (target === undefined || target === null || typeof target !== 'object') throw new Error(`$ref points at nothing: ${uri}`);
    const docTitle = typeof doc.title === 'string' ? doc.title : pascal(docUri.split('/').pop()!.replace(/\.schema\.json$/, ''));
    const own = (target as Json).title;
    let name = pascal(typeof own === 'string' ? own : fragment ? `${docTitle} ${fragment.split('/').pop()}` : docTitle);
    if (name in this.#components) name = `${name}${pascal(docTitle)}`;
    for (let i = 2; name in this.#components; i++) name = `${name.replace(/\d+$/, '')}${i}`;
    this.#names.set(uri, name);
    this.#components[name] = {}; // placeholder: cycles resolve to the name
    this.#components[name] = this.#rewrite(target, docUri);
    return name;
  }
}
