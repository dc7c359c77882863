import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from './helpers.js';

/** The same service code on every database: SQLite, PostgreSQL 15 and MariaDB 10.11. */
forEachDatabase('service on every database', function (database) {
  this.timeout(120_000);
  let t: TestService | undefined;

  before(async () => {
    t = await startTestService('', { database });
  });
  after(async () => t?.stop());

  it('migrates, creates, snapshots, clones, lists and deletes with the same kysely code', async () => {
    const v = await t!.call('POST', '/v3/volumes', { body: { volume: { size: 1, name: 'db', metadata: { a: 'b' } } } });
    const id = v.body.volume.id;
    await t!.waitFor(`/v3/volumes/${id}`, 'volume', ['available']);
    const s = await t!.call('POST', '/v3/snapshots', { body: { snapshot: { volume_id: id } } });
    await t!.waitFor(`/v3/snapshots/${s.body.snapshot.id}`, 'snapshot', ['available']);
    const c = await t!.call('POST', '/v3/volumes', { body: { volume: { source_volid: id } } });
    await t!.waitFor(`/v3/volumes/${c.body.volume.id}`, 'volume', ['available']);
    const list = await t!.call('GET', '/v3/volumes/detail?sort=name:asc&with_count=true');
    expect(list.body.count).to.equal(2);
    const usage = await t!.call('GET', '/v3/os-quota-sets/admin?usage=true');
    expect(usage.body.quota_set.gigabytes.in_use).to.equal(3);
    expect((await t!.call('DELETE', `/v3/volumes/${id}?cascade=true`)).status).to.equal(202);
    await t!.waitFor(`/v3/volumes/${id}`, 'volume', ['deleted']);
    const services = await t!.call('GET', '/v3/os-services');
    expect(services.body.services.length).to.equal(2);
  });

  it('serves concurrent creates without losing any, and refuses those over the quota', async () => {
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => t!.call('POST', '/v3/volumes', { token: 'u:p2', body: { volume: { size: 1, name: `c${i}` } } })));
    expect(created.map((r) => r.status)).to.deep.equal(created.map(() => 202));
    for (const r of created) await t!.waitFor(`/v3/volumes/${r.body.volume.id}`, 'volume', ['available'], 'u:p2');
    const over = await Promise.all(Array.from({ length: 4 }, () => t!.call('POST', '/v3/volumes', { token: 'u:p2', body: { volume: { size: 1 } } })));
    expect(over.map((r) => r.status).sort()).to.deep.equal([202, 202, 413, 413]);
    for (const r of over.filter((o) => o.status === 202)) await t!.waitFor(`/v3/volumes/${r.body.volume.id}`, 'volume', ['available'], 'u:p2');
  });
});
