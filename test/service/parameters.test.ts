import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildOpenApiFromApp, type OpenApiDocument } from '../../openapi/build.js';
import { SERVICE_API_VERSIONS, serviceAppFactory } from '../../cli/service-app.js';
import { startTestService, type TestService } from './helpers.js';

/**
 * What the OpenAPI document says about a parameter is what the service enforces: for every
 * path and query parameter of every operation in the document built from the service's
 * routes, a value outside the documented schema is sent and must answer 400 badRequest
 * naming the parameter. A parameter whose schema admits every string has no such value;
 * those must be documented as plain strings, which is checked instead.
 */
type Schema = Record<string, unknown>;
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema: Schema;
}
interface Case {
  readonly method: string;
  readonly path: string;
  readonly version: string;
  readonly params: readonly Parameter[];
  readonly hasBody: boolean;
}

// Tried in order; the first one the schema refuses is sent. They include text that must be
// escaped when a fault message quotes it.
const CANDIDATES = ['not valid', '<b>x</b>', '-1', 'x'.repeat(300), ''];
const SAMPLE_ID = '00000000-0000-0000-0000-000000000000';

function cases(doc: OpenApiDocument): Case[] {
  const components = (doc.components as { schemas?: Record<string, Schema> }).schemas ?? {};
  const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? resolve(components[s.$ref.replace('#/components/schemas/', '')]!) : s);
  const out: Case[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(ops)) {
      if (op.deprecated) continue; // removed routes answer 410 before any validation
      const params = ((op.parameters ?? []) as (Parameter & { $ref?: string })[]).filter((p) => !p.$ref && (p.in === 'path' || p.in === 'query'));
      const xo = (op['x-openstack'] ?? {}) as Record<string, string>;
      const version = xo['max-ver'] ?? SERVICE_API_VERSIONS.max;
      out.push({ method: method.toUpperCase(), path, version, params: params.map((p) => ({ ...p, schema: resolve(p.schema) })), hasBody: op.requestBody !== undefined });
    }
  }
  return out;
}

/** A value for a parameter that is not under test: one its schema accepts. */
function plausible(p: Parameter): string {
  if (p.name === 'project_id' && p.in === 'path') return 'admin';
  return p.in === 'path' ? SAMPLE_ID : 'host@backend';
}

describe('service: every documented parameter schema is enforced', function () {
  this.timeout(120_000);
  let doc: OpenApiDocument;
  let svc: TestService;
  before(async () => {
    doc = await buildOpenApiFromApp(serviceAppFactory, { versions: SERVICE_API_VERSIONS });
    svc = await startTestService();
  });
  after(async () => svc?.stop());

  it('answers 400 naming the parameter for a value outside each documented schema', async () => {
    const ajv = new Ajv2020({ strict: false });
    const checked: string[] = [];
    const plain: string[] = [];
    for (const c of cases(doc)) {
      for (const p of c.params) {
        const validate = ajv.compile(p.schema);
        const bad = CANDIDATES.find((v) => !validate(v) && !(p.in === 'path' && v === ''));
        const label = `${c.method} ${c.path} ${p.in} ${p.name}`;
        if (bad === undefined) {
          // Admits every string: then the document must say just that.
          expect(p.schema.type, label).to.equal('string');
          expect(Object.keys(p.schema).filter((k) => k !== 'type' && k !== 'description'), label).to.deep.equal([]);
          plain.push(label);
          continue;
        }
        let url = c.path;
        for (const q of c.params.filter((x) => x.in === 'path')) url = url.replace(`{${q.name}}`, encodeURIComponent(q === p ? bad : plausible(q)));
        const query = new URLSearchParams();
        for (const q of c.params.filter((x) => x.in === 'query' && x.required && x !== p)) query.set(q.name, plausible(q));
        if (p.in === 'query') query.set(p.name, bad);
        const r = await svc.call(c.method, `${url}?${query.toString()}`, { version: c.version, ...(c.hasBody ? { body: {} } : {}) });
        expect(r.status, `${label}=${JSON.stringify(bad)}: ${JSON.stringify(r.body)}`).to.equal(400);
        const message = r.body.badRequest.message as string;
        expect(message, label).to.include(`${p.in === 'query' ? 'query' : 'path'} parameter ${p.name}`);
        expect(message, label).to.not.match(/<b>/);
        expect(r.headers.get('openstack-api-version'), label).to.equal(`volume ${c.version}`);
        checked.push(`${label}=${JSON.stringify(bad)}`);
      }
    }
    // The document constrains these today; the loop above must have reached each of them.
    for (const expected of ['/volumes/detail query limit', '/volumes/detail query with_count', '/volumes/detail query sort', '/volumes/{id} query force', '/scheduler-stats/get_pools query detail', '/os-quota-sets/{project} query usage', '/manageable_volumes query offset', '/snapshots/detail query all_tenants', '/attachments query limit', '/messages query sort_dir', '/backups query with_count']) {
      expect(checked.some((l) => l.includes(expected)), `${expected} checked (checked: ${checked.length}, plain strings: ${plain.length})`).to.equal(true);
    }
  });

  it('accepts every form Cinder accepts, and hands the handlers the text as sent', async () => {
    const created = await svc.call('POST', '/v3/admin/volumes', { body: { volume: { size: 1, name: 'p1' } } });
    expect(created.status).to.equal(202);
    for (const q of ['limit=1', 'limit=%201%20', 'with_count=True', 'with_count=1', 'with_count=no', 'all_tenants=TRUE', 'sort=name:ASC,id', 'sort=created_at', 'sort_key=name,id&sort_dir=asc,DESC', 'bootable=false']) {
      const r = await svc.call('GET', `/v3/admin/volumes/detail?${q}`);
      expect(r.status, `${q}: ${JSON.stringify(r.body)}`).to.equal(200);
    }
    const withCount = await svc.call('GET', '/v3/admin/volumes?with_count=yes&limit=1');
    expect(withCount.body.count).to.equal(1);
    const unlimited = await svc.call('GET', '/v3/admin/volumes?limit=0');
    expect(unlimited.body.volumes).to.deep.equal([]);
  });
});
