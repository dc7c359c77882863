import { expect } from 'chai';
import Fastify from 'fastify';
import { capabilityCatalog } from '../../core/catalog/catalog.js';
import { ERROR_REGISTRY } from '../../core/errors/registry.js';
import { loadCoreSchemas } from '../../core/validation/schema-registry.js';
import { buildOpenApi, buildOpenApiFromApp, type OpenApiDocument } from '../../openapi/build.js';
import { routesOfApp } from '../../openapi/collect-routes.js';
import { serializeOpenApi } from '../../openapi/serialize.js';
import { FIXTURE_VERSIONS, createFixtureApp } from './fixture-app.js';
import { openApiErrors } from './validate-document.js';

type Json = Record<string, any>;

describe('buildOpenApi', () => {
  let doc: OpenApiDocument;
  const schema = (ref: unknown): Json => doc.components.schemas[String((ref as Json).$ref).replace('#/components/schemas/', '')] as Json;
  before(async () => {
    doc = await buildOpenApiFromApp(createFixtureApp, { versions: FIXTURE_VERSIONS });
  });

  it('produces a document @readme/openapi-parser accepts as OpenAPI 3.1', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(await openApiErrors(doc)).to.equal('');
  });

  it('uses the maximum microversion as info.version', () => {
    expect(doc.info.version).to.equal('3.70');
  });

  it('makes a microversioned body a oneOf whose members carry min-ver and max-ver', () => {
    const body = schema(doc.paths['/v3/{project_id}/volumes']!.post!.requestBody && (doc.paths['/v3/{project_id}/volumes']!.post as Json).requestBody.content['application/json'].schema);
    expect(body['x-openstack']).to.deep.equal({ discriminator: 'microversion' });
    expect(body.oneOf.map((m: unknown) => schema(m)['x-openstack'])).to.deep.equal([
      { 'min-ver': '3.0', 'max-ver': '3.12' },
      { 'min-ver': '3.13' },
    ]);
  });

  it('makes all actions one POST .../action body tagged with each action name', () => {
    const op = doc.paths['/v3/{project_id}/volumes/{volume_id}/action']!.post as Json;
    expect(op['x-openstack-operation-type']).to.equal('action');
    const body = schema(op.requestBody.content['application/json'].schema);
    expect(body['x-openstack']).to.deep.equal({ discriminator: 'action' });
    const members = body.oneOf.map((m: unknown) => schema(m));
    expect(members.map((m: Json) => m['x-openstack']['action-name'])).to.deep.equal(['os-extend', 'revert', 'os-reset_status', 'os-volume_upload_image']);
    expect(members[1]['x-openstack']['min-ver']).to.equal('3.40');
    expect(members[2]['x-openstack']['admin-only']).to.equal(true);
    expect(members[0].required).to.deep.equal(['os-extend']);
    expect(op.responses['200'].content['application/json'].schema['x-openstack']).to.deep.equal({ 'action-name': 'os-volume_upload_image' });
  });

  it('documents a removed route as deprecated with a 410 Gone fault', () => {
    const op = doc.paths['/v3/{project_id}/volumes/{volume_id}/encryption']!.get as Json;
    expect(op.deprecated).to.equal(true);
    expect(op['x-openstack']['removed-in']).to.equal('3.64');
    expect(op.responses['410']['x-ashlar-error-codes']).to.deep.equal(['GONE']);
    expect(op.responses['410'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/FaultGone' });
  });

  it('marks experimental routes with x-openstack experimental', () => {
    const op = doc.paths['/v3/{project_id}/backends/stats']!.get as Json;
    expect(op['x-openstack']).to.deep.equal({ 'min-ver': '3.60', experimental: true, 'admin-only': true });
    expect(op.description).to.match(/Experimental/);
  });

  it('documents project-scoped routes once and names the project-less twin', () => {
    expect(Object.keys(doc.paths)).to.deep.equal([
      '/',
      '/v3/{project_id}/backends/stats',
      '/v3/{project_id}/volumes',
      '/v3/{project_id}/volumes/{volume_id}',
      '/v3/{project_id}/volumes/{volume_id}/action',
      '/v3/{project_id}/volumes/{volume_id}/encryption',
    ]);
    expect(doc.paths['/v3/{project_id}/volumes']!.post!['x-ashlar-also-served-at']).to.equal('/v3/volumes');
    expect(doc.paths['/v3/{project_id}/backends/stats']!.get!['x-ashlar-also-served-at']).to.equal(undefined);
  });

  it('answers errors with Cinder fault bodies from the error registry', () => {
    const op = doc.paths['/v3/{project_id}/volumes/{volume_id}/action']!.post as Json;
    expect(op.responses['409']['x-ashlar-error-codes']).to.deep.equal(['VOLUME_BUSY']);
    expect(op.responses['400']['x-ashlar-error-codes']).to.deep.equal(['BAD_REQUEST', 'INVALID_STATE']);
    const fault = doc.components.schemas.FaultItemNotFound as Json;
    expect(fault.required).to.deep.equal(['itemNotFound']);
    for (const [code, def] of Object.entries(ERROR_REGISTRY)) {
      expect((doc.components.responses as Json)[code]['x-ashlar-error']).to.deep.equal({ code, status: def.status, fault: def.fault, message: def.message });
    }
  });

  it('bundles every core schema into components and rewrites $refs into them', () => {
    for (const s of loadCoreSchemas()) {
      const defs = Object.values((s.$defs ?? {}) as Record<string, Json>).map((d) => d.title);
      for (const title of [s.title, ...defs].filter((t) => t !== 'Common')) expect(doc.components.schemas, String(title)).to.have.property(String(title));
    }
    const text = JSON.stringify(doc);
    expect(text).not.to.match(/"\$ref":"(?!#\/components\/)/);
    expect(text).not.to.include('"$id"');
  });

  it('includes the capability catalog as the VolumeTypeExtraSpecs schema', () => {
    const specs = doc.components.schemas.VolumeTypeExtraSpecs as Json;
    expect(Object.keys(specs.properties).sort()).to.deep.equal(capabilityCatalog().keys.map((k) => k.key).sort());
    expect(specs.properties['provisioning:type'].enum).to.deep.equal(['thin', 'thick']);
    expect(specs.additionalProperties).to.deep.equal({ type: 'string', maxLength: 255 });
  });

  it('is deterministic: two builds serialize identically', async () => {
    const again = await buildOpenApiFromApp(createFixtureApp, { versions: FIXTURE_VERSIONS });
    expect(serializeOpenApi(again, 'yaml')).to.equal(serializeOpenApi(doc, 'yaml'));
  });

  it('refuses a route without config.doc', async () => {
    const routes = await routesOfApp((setup) => {
      const app = Fastify();
      setup(app);
      app.get('/v3/:project_id/undocumented', async () => ({}));
      return app;
    });
    expect(() => buildOpenApi(routes, { versions: FIXTURE_VERSIONS })).to.throw(/without config.doc.*GET \/v3\/:project_id\/undocumented/);
  });

  it('refuses an error code the registry does not have', () => {
    const routes = [{ method: 'GET', url: '/v3/x', doc: { operationId: 'x', summary: 's', tags: ['t'], responses: {}, errors: ['NO_SUCH_CODE'] } }];
    expect(() => buildOpenApi(routes, { versions: FIXTURE_VERSIONS })).to.throw(/NO_SUCH_CODE, which is not in the error registry/);
  });
});
