import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { presentationDocument, versionRange } from '../../docs-gen/site/api-presentation.js';
import type { OpenApiDocument } from '../../openapi/build.js';

const committed = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/api/openapi.yaml');
type Json = Record<string, any>;

async function serviceDocument(): Promise<OpenApiDocument> {
  return parse(await readFile(committed, 'utf8')) as OpenApiDocument;
}

/** Every example the document carries, with the JSON pointer of the schema it must match. */
function examples(doc: Json): { where: string; schema: string; value: unknown }[] {
  const out: { where: string; schema: string; value: unknown }[] = [];
  const esc = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');
  const walk = (node: unknown, pointer: string): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (n.schema && 'example' in n) out.push({ where: `${pointer}/example`, schema: `${pointer}/schema`, value: n.example });
    if (Array.isArray(n.examples) && (n.type || n.$ref || n.enum || n.pattern)) n.examples.forEach((v: unknown, i: number) => out.push({ where: `${pointer}/examples/${i}`, schema: pointer, value: v }));
    for (const [k, v] of Object.entries(n)) walk(v, `${pointer}/${esc(k)}`);
  };
  walk(doc, '#');
  return out;
}

describe('API reference presentation document', () => {
  it('gives each action of an action route its own entry, request schema and answer', async () => {
    const doc = presentationDocument(await serviceDocument());
    const entries = Object.keys(doc.paths).filter((p) => p.startsWith('/v3/{project_id}/volumes/{id}/action#'));
    expect(entries).to.include.members(['/v3/{project_id}/volumes/{id}/action#os-extend', '/v3/{project_id}/volumes/{id}/action#os-initialize_connection', '/v3/{project_id}/volumes/{id}/action#revert']);
    const init = doc.paths['/v3/{project_id}/volumes/{id}/action#os-initialize_connection'].post;
    expect(init.operationId).to.equal('volumeAction-os-initialize_connection');
    expect(init.requestBody.content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/VolumeActionRequest_OsInitializeConnection' });
    // Its own answer only: the connection info, not the union of every action's answer.
    expect(init.responses['200'].content['application/json'].schema.title).to.equal('ConnectionInfoResponse');
    expect(Object.keys(init.responses).filter((s) => s.startsWith('2'))).to.deep.equal(['200']);
    const extend = doc.paths['/v3/{project_id}/volumes/{id}/action#os-extend'].post;
    expect(Object.keys(extend.responses).filter((s) => s.startsWith('2'))).to.deep.equal(['202']);
    expect(extend.responses['404'].description).to.match(/^\[[A-Z_]+\]\(errors\.html#[a-z_]+\):/);
  });

  it('states microversions, admin-only, experimental and removed as badges and text', async () => {
    const doc = presentationDocument(await serviceDocument());
    const attachments = doc.paths['/v3/{project_id}/attachments'].get;
    expect(attachments['x-badges']).to.deep.include({ name: '3.27+', color: '#1f5fae' });
    expect(attachments.description).to.match(/^\*\*Microversions:\*\* 3\.27 and later/);
    const forceDelete = doc.paths['/v3/{project_id}/snapshots/{id}/action#os-force_delete'].post;
    expect(forceDelete['x-badges'].map((b: Json) => b.name)).to.include('admin');
    const removed = presentationDocument({ ...(await serviceDocument()), paths: { '/x': { get: { operationId: 'x', summary: 'x', tags: ['t'], responses: {}, 'x-openstack': { 'min-ver': '3.0', 'max-ver': '3.63', 'removed-in': '3.64', experimental: true } } } } });
    const x = removed.paths['/x'].get;
    expect(x.deprecated).to.equal(true);
    expect(x['x-badges'].map((b: Json) => b.name)).to.deep.equal(['3.0–3.63', 'experimental', 'removed 3.64']);
    expect(versionRange({ 'max-ver': '3.10' })).to.equal('3.0 to 3.10');
  });

  it('leaves the committed document untouched', async () => {
    const source = await serviceDocument();
    const copy = structuredClone(source);
    presentationDocument(source);
    expect(source).to.deep.equal(copy);
  });

  it('every example in the OpenAPI document validates against its schema', async () => {
    const doc = (await serviceDocument()) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...doc, $id: 'openapi' });
    const found = examples(doc);
    const invalid = found.flatMap((e) => {
      const validate = ajv.getSchema(`openapi${e.schema}`)!;
      return validate(e.value) ? [] : [`${e.where}: ${ajv.errorsText(validate.errors)}`];
    });
    expect(invalid).to.deep.equal([]);
    expect(found.length).to.be.greaterThan(30);
  });
});
