/** The API reference, rendered from the OpenAPI document (never from the routes directly). */
import type { OpenApiDocument } from '../openapi/build.js';
import { code, link, plain, slug, type Block, type Page } from './page.js';

type Json = Record<string, any>;

const schemaAnchor = (name: string): string => `schema-${name.toLowerCase()}`;
const refName = (ref: unknown): string | undefined => (typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined);

/** Short inline description of a schema: a link to a component or its type. */
function schemaRef(schema: Json | undefined): string {
  if (!schema) return '';
  const name = refName(schema.$ref);
  if (name) return link(code(name), `api-reference.md#${schemaAnchor(name)}`);
  if (schema.oneOf) return `one of ${schema.oneOf.map((s: Json) => schemaRef(s)).join(', ')}`;
  return code(Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'object'));
}

function variantsText(doc: OpenApiDocument, schema: Json | undefined): Block[] {
  const name = refName(schema?.$ref);
  const target = name ? (doc.components.schemas[name] as Json) : schema;
  if (!target?.oneOf || !target['x-openstack']?.discriminator) return schema ? [{ para: `Body: ${schemaRef(schema)}` }] : [];
  const rows = target.oneOf.map((m: Json) => {
    const member = (refName(m.$ref) ? doc.components.schemas[refName(m.$ref)!] : m) as Json;
    const x = member['x-openstack'] ?? {};
    return [x['action-name'] ? code(x['action-name']) : '', x['min-ver'] ?? '', x['max-ver'] ?? '', schemaRef(m), plain(member.description ?? '')];
  });
  return [{ para: `Body: ${schemaRef(schema)}, one of (by ${target['x-openstack'].discriminator}):` }, { table: { head: ['Action', 'Min version', 'Max version', 'Schema', 'Description'], rows } }];
}

/** Builds the API reference page. */
export function apiReferencePage(doc: OpenApiDocument): Page {
  const blocks: Block[] = [
    { heading: `${plain(String(doc.info.title))} ${doc.info.version}`, level: 1 },
    ...String(doc.info.description ?? '')
      .split('\n\n')
      .map((p) => ({ para: p })),
    { para: `The machine-readable document: ${link('openapi.yaml', 'api/openapi.yaml')}. Error codes: ${link('error table', 'errors.md')}.` },
  ];
  const byTag = new Map<string, [string, string, Json][]>();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), [p, method, op]]);
    }
  }
  for (const tag of [...byTag.keys()].sort()) {
    blocks.push({ heading: tag, level: 2, id: `tag-${slug(tag)}` });
    for (const [p, method, op] of byTag.get(tag)!) {
      const x = op['x-openstack'] ?? {};
      blocks.push({ heading: `${method.toUpperCase()} ${code(p)}`, level: 3, id: `op-${slug(op.operationId.replace(/\./g, '-'))}` });
      blocks.push({ para: `${plain(op.summary)} (${code(op.operationId)})` });
      if (op.description) blocks.push({ para: plain(op.description) });
      const facts = [
        x['min-ver'] ? `Microversions: ${x['min-ver']}${x['max-ver'] ? ` to ${x['max-ver']}` : ' and later'}` : undefined,
        x.experimental ? '**Experimental**' : undefined,
        x['removed-in'] ? `**Removed** in ${x['removed-in']} (410 Gone)` : undefined,
        op['x-ashlar-also-served-at'] ? `Also served at ${code(op['x-ashlar-also-served-at'])}` : undefined,
      ].filter((f): f is string => Boolean(f));
      if (facts.length) blocks.push({ list: facts });
      const params = ((op.parameters ?? []) as Json[]).map((prm) => (prm.$ref ? (doc.components.parameters as Json)[String(prm.$ref).split('/').pop()!] : prm));
      if (params.length) {
        blocks.push({ table: { head: ['Parameter', 'In', 'Required', 'Schema', 'Description'], rows: params.map((prm: Json) => [code(prm.name), prm.in, prm.required ? 'yes' : 'no', schemaRef(prm.schema), plain(prm.description ?? '')]) } });
      }
      blocks.push(...variantsText(doc, op.requestBody?.content?.['application/json']?.schema));
      const rows = Object.entries(op.responses as Record<string, Json>).map(([status, r]) => [
        status,
        r['x-ashlar-error-codes'] ? (r['x-ashlar-error-codes'] as string[]).map((c) => link(code(c), `errors.md#${c.toLowerCase()}`)).join(', ') : plain(r.description ?? ''),
        schemaRef(r.content?.['application/json']?.schema),
      ]);
      blocks.push({ table: { head: ['Status', 'Meaning', 'Body'], rows } });
    }
  }
  blocks.push({ heading: 'Schemas', level: 2, id: 'schemas' });
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    blocks.push({ heading: name, level: 3, id: schemaAnchor(name) }, { code: JSON.stringify(schema, null, 2), lang: 'json' });
  }
  return { path: 'api-reference.md', title: 'API reference', blocks };
}
