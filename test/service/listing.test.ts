import { expect } from 'chai';
import { offsetParam } from '../../service/api/listing.js';
import { forEachDatabase, startTestService, type TestService } from './helpers.js';

/**
 * Lists through the API on every database: pages walked by their next links (keyset
 * pages in SQL, issue 16), Cinder's rules for numeric and boolean query parameters
 * (issue 15, item 3) and bodiless requests that carry a JSON content type (issue 16, item 5).
 */
forEachDatabase('service: lists, their query parameters and bodiless requests', function (database) {
  this.timeout(300_000);
  let svc: TestService;
  const ids: string[] = [];
  before(async () => {
    svc = await startTestService('', { database });
    for (let i = 0; i < 7; i++) {
      const r = await svc.call('POST', '/v3/admin/volumes', { body: { volume: { size: 1, name: `v${i}`, metadata: { tier: i % 2 === 0 ? 'gold' : 'tin' } } } });
      expect(r.status).to.equal(202);
      ids.push(r.body.volume.id);
    }
    await svc.call('POST', '/v3/other/volumes', { token: 'u:other', body: { volume: { size: 1, name: 'elsewhere', metadata: { tier: 'gold' } } } });
  });
  after(async () => svc?.stop());

  it('walks a project by next links, one keyset page at a time, with a count from the database (issue 16)', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/v3/admin/volumes/detail?limit=2&sort=name:asc&with_count=true&metadata=' + encodeURIComponent('{"tier": "gold"}');
    while (next !== undefined) {
      const r = await svc.call('GET', next);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.count).to.equal(4);
      seen.push(...r.body.volumes.map((v: { name: string }) => v.name));
      const href = r.body.volumes_links?.[0]?.href as string | undefined;
      next = href === undefined ? undefined : href.slice(svc.url.length);
    }
    expect(seen).to.deep.equal(['v0', 'v2', 'v4', 'v6']);
  });

  it('answers 404 for a marker outside what the caller may list, on every list', async () => {
    const other = (await svc.call('GET', '/v3/other/volumes', { token: 'u:other' })).body.volumes[0].id as string;
    for (const path of ['/v3/admin/volumes', '/v3/admin/snapshots', '/v3/admin/attachments', '/v3/admin/messages']) {
      const r = await svc.call('GET', `${path}?marker=${other}`);
      expect(r.status, path).to.equal(404);
    }
    const page = await svc.call('GET', `/v3/admin/volumes?sort=name:desc&marker=${ids[3]}`);
    expect(page.body.volumes.map((v: { name: string }) => v.name)).to.deep.equal(['v2', 'v1', 'v0']);
  });

  it('refuses malformed numbers and booleans as Cinder does, and accepts what Python reads (issue 15)', async () => {
    for (const q of ['limit=', 'limit=1e20', 'limit=0x10', 'limit=-1', 'limit=1.5', 'with_count=maybe', 'with_count=%20true', 'with_count=', 'bootable=2', 'sort=name:up']) {
      const r = await svc.call('GET', `/v3/admin/volumes/detail?${q}`);
      expect(r.status, `${q}: ${JSON.stringify(r.body)}`).to.equal(400);
      expect(r.body.badRequest.message, q).to.include(`query parameter ${q.split('=')[0]}`);
    }
    expect((await svc.call('DELETE', `/v3/admin/volumes/${ids[0]}?cascade=%20true`)).status).to.equal(400);
    for (const q of ['limit=%2B2', 'limit=%202%20', 'with_count=yes', 'with_count=N', 'bootable=%20false']) {
      const r = await svc.call('GET', `/v3/admin/volumes?${q}`);
      expect(r.status, `${q}: ${JSON.stringify(r.body)}`).to.equal(200);
    }
    // Python's int() reads any length; Cinder then caps the limit at osapi_max_limit.
    const huge = await svc.call('GET', '/v3/admin/volumes?limit=99999999999999999999999');
    expect(huge.status).to.equal(200);
    expect(huge.body.volumes).to.have.length(7);
    // A size no integer column holds matches nothing (PostgreSQL would refuse the comparison).
    const size = await svc.call('GET', '/v3/admin/volumes?size=99999999999999999999999');
    expect(size.status).to.equal(200);
    expect(size.body.volumes).to.deep.equal([]);
  });

  it('reads offset as Cinder does: at most DB_MAX_INT', () => {
    expect(offsetParam({ offset: '2147483647' })).to.equal(2147483647);
    expect(offsetParam({})).to.equal(0);
    expect(() => offsetParam({ offset: '2147483648' })).to.throw(/offset must be <= 2147483647/);
  });

  it('accepts a DELETE with a JSON content type and an empty body, and still refuses blank JSON (issue 16)', async () => {
    await svc.waitFor(`/v3/admin/volumes/${ids[6]}`, 'volume', ['available']);
    const send = (body: string) => fetch(`${svc.url}/v3/admin/volumes/${ids[6]}`, { method: 'DELETE', headers: { 'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json' }, body });
    expect((await send(' ')).status).to.equal(400);
    expect((await send('')).status).to.equal(202);
    const create = await fetch(`${svc.url}/v3/admin/volumes`, { method: 'POST', headers: { 'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json' } });
    expect(create.status).to.equal(400);
    expect(((await create.json()) as { badRequest: { message: string } }).badRequest.message).to.equal('Missing request body.');
  });
});
