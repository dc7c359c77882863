import { expect } from 'chai';
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { NoAuthAuthenticator } from '../../service/auth/noauth.js';
import type { ApiRequest } from '../../service/api/api-request.js';
import { defineRoute, type RouteEnv } from '../../service/api/define-route.js';
import { installPipeline } from '../../service/api/pipeline/install.js';

/**
 * The request pipeline on an app of its own, with routes defined here through the same
 * `defineRoute` the service uses (real handlers, the real noauth authenticator, a pino
 * logger writing to memory): hook order, Cinder's answers at each step, the compiled
 * schemas, the response check, and caches that belong to one app.
 */
interface TestApp {
  readonly app: FastifyInstance;
  readonly logs: Record<string, unknown>[];
  readonly calls: { n: number };
}

const thing = { type: 'object', required: ['thing'], properties: { thing: { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, group_id: { type: 'string' } }, additionalProperties: false } } } as const;
const thingV30 = { type: 'object', required: ['thing'], properties: { thing: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } }, additionalProperties: false } } } as const;

async function testApp(options: { responseValidation?: RouteEnv['responseValidation']; generation?: () => string; answer?: string } = {}): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const app = Fastify({ logger: false });
  installPipeline(app, { logger });
  const env: RouteEnv = { authenticator: new NoAuthAuthenticator(), admin: { users: ['admin'], project: 'admin' }, responseValidation: options.responseValidation ?? 'error', logger, generation: options.generation };
  const calls = { n: 0 };
  const listed = { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } }, additionalProperties: false };
  defineRoute(app, env, {
    method: 'GET', path: '/things', cacheable: true,
    doc: { operationId: 'listThings', summary: 'List.', tags: ['t'], query: { type: 'object', properties: { limit: { type: 'string', pattern: '^[0-9]+$' } } }, responses: { 200: [{ schema: listed }] } },
    handler: async (req) => {
      calls.n++;
      return { status: 200, body: { answer: `${options.answer ?? 'a'} ${typeof req.query.limit}:${String(req.query.limit)}` } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/things/:id',
    doc: { operationId: 'showThing', summary: 'Show.', tags: ['t'], params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } }, responses: { 200: [{ schema: listed }] } },
    handler: async (req) => ({ status: req.params.id === '13' ? 201 : 200, body: { answer: req.params.id === '7' ? 7 : `thing ${req.params.id}` }, headers: { 'x-thing': 'yes' } }),
  });
  defineRoute(app, env, {
    method: 'POST', path: '/things',
    doc: { operationId: 'createThing', summary: 'Create.', tags: ['t'], body: [{ max: '3.12', schema: thingV30 }, { min: '3.13', schema: thing }], responses: { 202: [] } },
    handler: async (req: ApiRequest<{ thing: { size: number } }>) => {
      if (req.body.thing.size === 0) throw new Error('disk on fire at /dev/sda');
      return { status: 202 };
    },
  });
  defineRoute(app, env, {
    method: 'POST', path: '/things/:id/action',
    doc: {
      operationId: 'thingAction', summary: 'Act.', tags: ['t'], responses: {},
      actions: [
        { name: 'grow', summary: 'Grow.', schema: { type: 'object', required: ['by'], properties: { by: { type: 'integer' } } }, status: 200, response: listed },
        { name: 'shrink', summary: 'Shrink (3.40+).', min: '3.40', schema: { type: ['object', 'null'] }, status: 202 },
        { name: 'purge', summary: 'Purge.', schema: { type: ['object', 'null'] }, status: 202, adminOnly: true },
      ],
    },
    actions: {
      grow: async (req: ApiRequest<{ by: number }>) => ({ status: 200, body: { answer: `grew ${req.params.id} by ${req.body.by}` } }),
      shrink: async () => ({ status: 202 }),
      purge: async () => ({ status: 202 }),
    },
  });
  await app.ready();
  return { app, logs, calls };
}

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, opts: { version?: string; token?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { 'x-auth-token': opts.token ?? 'admin:admin', host: 'api.test' };
  if (opts.version) headers['openstack-api-version'] = `volume ${opts.version}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await app.inject({ method, url, headers, ...(opts.raw !== undefined ? { payload: opts.raw } : opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}) });
  return { status: res.statusCode, headers: res.headers, body: res.body ? (JSON.parse(res.body) as any) : undefined };
}

describe('service API pipeline (fastify hooks, compiled schemas, one error handler)', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(async () => t?.app.close());

  it('puts the version headers and a request id on every answer: success, 401, 406, bad JSON, 404', async () => {
    const answers = [
      [await call(t.app, 'GET', '/v3/things', { version: '3.50' }), 200, '3.50'],
      [await call(t.app, 'GET', '/v3/admin/things', { version: '3.50', token: '' }), 401, '3.50'],
      [await call(t.app, 'GET', '/v3/things', { version: '3.99' }), 406, '3.0'],
      [await call(t.app, 'POST', '/v3/things', { version: '3.50', raw: '{"thing": ' }), 400, '3.50'],
      [await call(t.app, 'GET', '/v3/no/such/<thing>', { version: '3.50' }), 404, '3.0'],
    ] as const;
    const ids = new Set<string>();
    for (const [r, status, version] of answers) {
      expect(r.status).to.equal(status);
      expect(r.headers['openstack-api-version']).to.equal(`volume ${version}`);
      expect(r.headers.vary).to.equal('OpenStack-API-Version');
      expect(r.headers['x-openstack-request-id']).to.match(/^req-[0-9a-f-]{36}$/);
      ids.add(r.headers['x-openstack-request-id'] as string);
      if (status !== 200) expect(Object.values(r.body as object)[0]).to.have.property('code', status);
    }
    expect(ids.size).to.equal(answers.length);
    expect(answers[4][0].body.itemNotFound.message).to.equal('The resource could not be found: GET /v3/no/such/%3Cthing%3E');
  });

  it('escapes request text a fault message quotes, even when the client sent it raw', async () => {
    const other = await testApp();
    try {
      const url = await other.app.listen({ host: '127.0.0.1', port: 0 });
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: new URL(url).port, path: '/v3/no/such/<script>"x"</script>' }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(JSON.parse(body).itemNotFound.message).to.equal('The resource could not be found: GET /v3/no/such/&lt;script&gt;&quot;x&quot;&lt;/script&gt;');
    } finally {
      await other.app.close();
    }
  });

  it('compiles the query-string and path schemas into the route, and hands the handler the text as sent', async () => {
    expect((await call(t.app, 'GET', '/v3/things?limit=5')).body.answer).to.equal('a string:5');
    const badQuery = await call(t.app, 'GET', '/v3/things?limit=<5>');
    expect(badQuery.status).to.equal(400);
    expect(badQuery.body.badRequest.message).to.equal('Invalid value "&lt;5&gt;" for query parameter limit: must match pattern "^[0-9]+$".');
    const badParam = await call(t.app, 'GET', '/v3/admin/things/x1');
    expect(badParam.status).to.equal(400);
    expect(badParam.body.badRequest.message).to.match(/^Invalid value "x1" for path parameter id/);
  });

  it('checks the body against the variant of the negotiated microversion', async () => {
    expect((await call(t.app, 'POST', '/v3/things', { version: '3.12', body: { thing: { size: 1, group_id: 'g' } } })).body.badRequest.message).to.equal('Invalid input for field/attribute /thing: unknown property "group_id"');
    expect((await call(t.app, 'POST', '/v3/things', { version: '3.13', body: { thing: { size: 1, group_id: 'g' } } })).status).to.equal(202);
    expect((await call(t.app, 'POST', '/v3/things', { version: '3.13' })).body.badRequest.message).to.equal('Missing request body.');
  });

  it('dispatches actions with Cinder answers: 400 unknown, 404 outside its microversions, 403 admin-only, 400 bad arguments', async () => {
    const act = (body: unknown, version = '3.30', token = 'admin:admin') => call(t.app, 'POST', '/v3/things/4/action', { version, body, token });
    expect((await act({ grow: { by: 2 } })).body).to.deep.equal({ answer: 'grew 4 by 2' });
    expect((await act({ '<grow>': {} })).body.badRequest.message).to.equal('There is no such action: &lt;grow&gt;');
    const early = await act({ shrink: null });
    expect(early.status).to.equal(404);
    expect(early.body.itemNotFound.message).to.match(/action shrink needs microversion 3.40/);
    expect((await act({ shrink: null }, '3.40')).status).to.equal(202);
    expect((await act({ purge: {} }, '3.30', 'u:p')).status).to.equal(403);
    expect((await act({ grow: { by: 'two' } })).body.badRequest.message).to.equal('Invalid input for grow: grow/by: must be integer');
    expect((await act({ grow: {}, shrink: {} })).status).to.equal(400);
  });

  it('renders an unexpected error as a generic computeFault and logs it with the request id', async () => {
    const r = await call(t.app, 'POST', '/v3/things', { body: { thing: { size: 0 } } });
    expect(r.status).to.equal(500);
    expect(r.body.computeFault.message).to.not.include('/dev/sda');
    const logged = t.logs.find((l) => l.msg === 'request failed');
    expect(logged?.requestId).to.equal(r.headers['x-openstack-request-id']);
  });

  it('checks answers against their documentation: error refuses, warn logs, off lets pass', async () => {
    const bad = await call(t.app, 'GET', '/v3/things/7');
    expect(bad.status).to.equal(500);
    expect(bad.body.computeFault.message).to.match(/Response of showThing does not match its schema: response\/answer: must be string/);
    expect(bad.headers['x-thing']).to.equal(undefined);
    expect((await call(t.app, 'GET', '/v3/things/13')).body.computeFault.message).to.match(/status 201 is not documented/);
    const warn = await testApp({ responseValidation: 'warn' });
    const off = await testApp({ responseValidation: 'off' });
    try {
      // warn and off send the answer, written through its documented schema (the compiled
      // serializer writes the documented string); only error refuses it.
      expect((await call(warn.app, 'GET', '/v3/things/7')).body).to.deep.equal({ answer: '7' });
      expect(warn.logs.map((l) => l.msg)).to.include('response does not match its schema');
      expect((await call(off.app, 'GET', '/v3/things/7')).body).to.deep.equal({ answer: '7' });
      expect(off.logs).to.deep.equal([]);
    } finally {
      await warn.app.close();
      await off.app.close();
    }
  });

  it('caches per app: two apps at the same generation and URL never see each other\'s answers', async () => {
    let generation = '1';
    const a = await testApp({ generation: () => generation, answer: 'from A' });
    const b = await testApp({ generation: () => generation, answer: 'from B' });
    try {
      expect(a.app.ashlarPipeline.responseCache).to.not.equal(b.app.ashlarPipeline.responseCache);
      expect(a.app.ashlarPipeline.validators).to.not.equal(b.app.ashlarPipeline.validators);
      expect((await call(a.app, 'GET', '/v3/things?limit=1')).body.answer).to.equal('from A string:1');
      expect((await call(b.app, 'GET', '/v3/things?limit=1')).body.answer).to.equal('from B string:1');
      expect((await call(a.app, 'GET', '/v3/things?limit=1')).body.answer).to.equal('from A string:1');
      expect(a.calls.n).to.equal(1); // the second answer of A came from A's cache
      generation = '2';
      await call(a.app, 'GET', '/v3/things?limit=1');
      expect(a.calls.n).to.equal(2);
    } finally {
      await a.app.close();
      await b.app.close();
    }
  });
});
