import { expect } from 'chai';
import { openDatabase } from '../../service/db/connect.js';
import { forEachDatabase, startTestService, type TestService } from './helpers.js';

/**
 * Volume lists are cached per database generation: these check that no write — through
 * the API, by the volume manager, or by another process on the same database — can
 * leave a stale list behind. (Only SQLite has a generation another process's commit moves;
 * on the server databases nothing is cached, and these show that too.)
 */
forEachDatabase('service: cached volume lists follow every write', (database) => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService('', { database });
  });
  after(async () => svc?.stop());

  const names = async (p: string): Promise<string[]> => {
    const r = await svc.call('GET', p);
    expect(r.status).to.equal(200);
    return (r.body.volumes as { name: string }[]).map((v) => v.name).sort();
  };

  it('shows a create, an update and the manager\'s status change at once', async () => {
    const created = await svc.call('POST', '/v3/admin/volumes', { body: { volume: { size: 1, name: 'c1' } } });
    expect(created.status).to.equal(202);
    const id = created.body.volume.id as string;
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['c1']);
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['c1']); // a cache hit
    await svc.waitFor(`/v3/admin/volumes/${id}`, 'volume', ['available']);
    const detail = await svc.call('GET', '/v3/admin/volumes/detail');
    expect(detail.body.volumes[0].status).to.equal('available');
    expect((await svc.call('PUT', `/v3/admin/volumes/${id}`, { body: { volume: { name: 'c2' } } })).status).to.equal(200);
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['c2']);
    expect(await names('/v3/admin/volumes')).to.deep.equal(['c2']);
  });

  it('keeps answers of different callers, versions and queries apart', async () => {
    await svc.call('POST', '/v3/other/volumes', { token: 'u:other', body: { volume: { size: 1, name: 'o1' } } });
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['c2']);
    const other = await svc.call('GET', '/v3/other/volumes/detail', { token: 'u:other' });
    expect(other.body.volumes.map((v: { name: string }) => v.name)).to.deep.equal(['o1']);
    expect(other.body.volumes[0]).to.not.have.property('os-vol-host-attr:host');
    const old = await svc.call('GET', '/v3/admin/volumes/detail', { version: '3.0' });
    expect(old.body.volumes[0]).to.not.have.property('group_id');
    const all = await svc.call('GET', '/v3/admin/volumes/detail?all_tenants=1');
    expect(all.body.volumes.map((v: { name: string }) => v.name).sort()).to.deep.equal(['c2', 'o1']);
  });

  it('shows a change another process committed to the same database', async () => {
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['c2']);
    // A connection of its own, as another process on the same database would have.
    const other = await openDatabase(svc.service.config.database);
    try {
      const r = await other.db.updateTable('volumes').set({ name: 'renamed elsewhere' }).where('name', '=', 'c2').executeTakeFirst();
      expect(Number(r.numUpdatedRows)).to.equal(1);
    } finally {
      await other.close();
    }
    expect(await names('/v3/admin/volumes/detail')).to.deep.equal(['renamed elsewhere']);
  });
});
