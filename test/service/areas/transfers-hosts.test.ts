import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from '../helpers.js';

const P = '0a1b2c3d4e5f';
const Q = 'fedcba987654';
const ADMIN = `admin:${P}`;
const GIVER = `gina:${P}`;
const TAKER = `tom:${Q}`;

/** Volume transfers (os-volume-transfer and the 3.55 volume-transfers) and os-hosts through the API. */
forEachDatabase('transfers and os-hosts API', function (database) {
  this.timeout(300_000);
  let t: TestService;
  before(async () => {
    t = await startTestService('', { database });
  });
  after(async () => t?.stop());

  const volume = async (): Promise<any> => {
    const r = await t.call('POST', `/v3/${P}/volumes`, { token: GIVER, body: { volume: { size: 1 } } });
    return t.waitFor(`/v3/${P}/volumes/${r.body.volume.id}`, 'volume', ['available'], GIVER);
  };
  const status = async (id: string, token: string, project: string) => (await t.call('GET', `/v3/${project}/volumes/${id}`, { token })).body.volume.status;

  for (const [collection, version] of [['os-volume-transfer', '3.0'], ['volume-transfers', '3.57']] as const) {
    it(`${collection}: offers a volume, lists and shows the offer, and another project accepts it with the key`, async () => {
      const v = await volume();
      const created = await t.call('POST', `/v3/${P}/${collection}`, { token: GIVER, version, body: { transfer: { volume_id: v.id, name: 'gift' } } });
      expect(created.status).to.equal(202);
      const tr = created.body.transfer;
      expect(tr.auth_key).to.match(/^[0-9a-f]{16}$/);
      expect(tr).to.include({ volume_id: v.id, name: 'gift' });
      expect(await status(v.id, GIVER, P)).to.equal('awaiting-transfer');
      const shown = (await t.call('GET', `/v3/${P}/${collection}/${tr.id}`, { token: GIVER, version })).body.transfer;
      expect(shown).to.not.have.property('auth_key');
      if (collection === 'volume-transfers') expect(shown).to.include({ no_snapshots: false, source_project_id: P, destination_project_id: null, accepted: false });
      else expect(shown).to.not.have.property('no_snapshots');
      expect((await t.call('GET', `/v3/${P}/${collection}`, { token: GIVER, version })).body.transfers.map((x: { id: string }) => x.id)).to.include(tr.id);
      expect((await t.call('GET', `/v3/${Q}/${collection}/${tr.id}`, { token: TAKER, version })).status, 'another project does not see the offer').to.equal(404);
      expect((await t.call('DELETE', `/v3/${P}/volumes/${v.id}`, { token: GIVER })).status, 'awaiting-transfer cannot be deleted').to.equal(400);

      const wrong = await t.call('POST', `/v3/${Q}/${collection}/${tr.id}/accept`, { token: TAKER, version, body: { accept: { auth_key: '0000000000000000' } } });
      expect(wrong.status).to.equal(400);
      const accepted = await t.call('POST', `/v3/${Q}/${collection}/${tr.id}/accept`, { token: TAKER, version, body: { accept: { auth_key: tr.auth_key } } });
      expect(accepted.status).to.equal(202);
      expect(accepted.body.transfer).to.include({ id: tr.id, volume_id: v.id });
      const mine = (await t.call('GET', `/v3/${Q}/volumes/${v.id}`, { token: TAKER })).body.volume;
      expect(mine).to.include({ status: 'available', user_id: 'tom', 'os-vol-tenant-attr:tenant_id': Q });
      expect((await t.call('GET', `/v3/${P}/volumes/${v.id}`, { token: GIVER })).status, 'the giver no longer sees it').to.equal(404);
      expect((await t.call('POST', `/v3/${Q}/${collection}/${tr.id}/accept`, { token: TAKER, version, body: { accept: { auth_key: tr.auth_key } } })).status, 'accepted once').to.equal(404);
      expect((await t.call('GET', `/v3/${P}/${collection}`, { token: GIVER, version })).body.transfers.map((x: { id: string }) => x.id)).to.not.include(tr.id);
    });
  }

  it('withdrawing a transfer makes the volume available again; volume-transfers is 3.55+', async () => {
    const v = await volume();
    const tr = (await t.call('POST', `/v3/${P}/os-volume-transfer`, { token: GIVER, body: { transfer: { volume_id: v.id } } })).body.transfer;
    expect((await t.call('POST', `/v3/${P}/os-volume-transfer`, { token: GIVER, body: { transfer: { volume_id: v.id } } })).status, 'only an available volume').to.equal(400);
    expect((await t.call('DELETE', `/v3/${P}/os-volume-transfer/${tr.id}`, { token: GIVER })).status).to.equal(202);
    expect(await status(v.id, GIVER, P)).to.equal('available');
    expect((await t.call('GET', `/v3/${P}/volume-transfers`, { token: GIVER, version: '3.54' })).status).to.equal(404);
  });

  it('no_snapshots (3.55) keeps the snapshots with the giver; without it they go with the volume', async () => {
    for (const noSnapshots of [true, false]) {
      const v = await volume();
      const s = await t.call('POST', `/v3/${P}/snapshots`, { token: GIVER, body: { snapshot: { volume_id: v.id } } });
      await t.waitFor(`/v3/${P}/snapshots/${s.body.snapshot.id}`, 'snapshot', ['available'], GIVER);
      const tr = (await t.call('POST', `/v3/${P}/volume-transfers`, { token: GIVER, version: '3.57', body: { transfer: { volume_id: v.id, no_snapshots: noSnapshots } } })).body.transfer;
      expect(tr.no_snapshots).to.equal(noSnapshots);
      await t.call('POST', `/v3/${Q}/volume-transfers/${tr.id}/accept`, { token: TAKER, version: '3.57', body: { accept: { auth_key: tr.auth_key } } });
      const snapOwner = (await t.call('GET', `/v3/${P}/snapshots/${s.body.snapshot.id}`, { token: ADMIN })).body.snapshot['os-extended-snapshot-attributes:project_id'];
      expect(snapOwner).to.equal(noSnapshots ? P : Q);
    }
  });

  it('os-hosts lists every service host and shows the usage of a volume host', async () => {
    const hosts = (await t.call('GET', `/v3/${P}/os-hosts`, { token: ADMIN })).body.hosts;
    expect(hosts.length).to.be.greaterThanOrEqual(2);
    const volumeHosts = hosts.filter((h: Record<string, string>) => h.service === 'cinder-volume' && h['service-state'] === 'enabled');
    expect(volumeHosts).to.not.be.empty;
    const shown = await t.call('GET', `/v3/${P}/os-hosts/${encodeURIComponent(volumeHosts[0].host_name)}`, { token: ADMIN });
    expect(shown.status).to.equal(200);
    const total = shown.body.host[0].resource;
    expect(total.project).to.equal('(total)');
    expect(Number(total.volume_count)).to.be.greaterThan(0);
    expect((await t.call('GET', `/v3/${P}/os-hosts/nohost`, { token: ADMIN })).status).to.equal(404);
    expect((await t.call('GET', `/v3/${Q}/os-hosts`, { token: TAKER })).status).to.equal(403);
  });
});
