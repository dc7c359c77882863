import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from './helpers.js';

const P = 'aaaa1111';
const member = `alice:${P}`;

forEachDatabase('service API (Cinder v3 shapes)', (database) => {
  let t: TestService;
  before(async () => {
    t = await startTestService('[DEFAULT]\nallow_availability_zone_fallback = true\n[quota]\nvolumes = 6\n', { database });
  });
  after(async () => t.stop());

  it('answers GET / with the versions document (300) without authentication', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).to.equal(300);
    const body = (await res.json()) as any;
    expect(body.versions[0]).to.include({ id: 'v3.0', version: '3.70', min_version: '3.0', status: 'CURRENT' });
    expect(res.headers.get('vary')).to.equal('OpenStack-API-Version');
  });

  it('negotiates microversions: header, legacy header, latest, 406 outside the range', async () => {
    expect((await t.call('GET', '/v3/volumes', { version: '3.27' })).headers.get('openstack-api-version')).to.equal('volume 3.27');
    const legacy = await fetch(`${t.url}/v3/volumes`, { headers: { 'X-Auth-Token': member, 'X-OpenStack-Volume-API-Version': '3.12' } });
    expect(legacy.headers.get('openstack-api-version')).to.equal('volume 3.12');
    expect((await t.call('GET', '/v3/volumes', { version: 'latest' })).headers.get('openstack-api-version')).to.equal('volume 3.70');
    const tooNew = await t.call('GET', '/v3/volumes', { version: '3.71' });
    expect(tooNew.status).to.equal(406);
    expect(tooNew.body.notAcceptable.code).to.equal(406);
    expect(tooNew.headers.get('vary')).to.equal('OpenStack-API-Version');
    expect((await t.call('GET', '/v3/volumes/summary', { version: '3.11' })).status).to.equal(404);
  });

  it('answers Cinder fault bodies from the error registry', async () => {
    const r = await t.call('GET', '/v3/volumes/00000000-0000-0000-0000-000000000000');
    expect(r.status).to.equal(404);
    expect(r.body.itemNotFound).to.deep.equal({ code: 404, message: 'Volume 00000000-0000-0000-0000-000000000000 could not be found.' });
    const bad = await t.call('POST', '/v3/volumes', { body: { volume: { size: 'big' } } });
    expect(bad.status).to.equal(400);
    expect(bad.body.badRequest.code).to.equal(400);
    const noAuth = await fetch(`${t.url}/v3/volumes`);
    expect(noAuth.status).to.equal(401);
  });

  it('serves routes with and without the project id, and refuses another project in the URL', async () => {
    expect((await t.call('GET', `/v3/${P}/volumes`, { token: member })).status).to.equal(200);
    expect((await t.call('GET', '/v3/volumes', { token: member })).status).to.equal(200);
    expect((await t.call('GET', '/v3/bbbb2222/volumes', { token: member })).status).to.equal(400);
  });

  it('runs a volume through create, extend, snapshot, clone, revert and delete', async () => {
    const created = await t.call('POST', `/v3/${P}/volumes`, { token: member, body: { volume: { size: 1, name: 'data', metadata: { tier: 'a' } } } });
    expect(created.status).to.equal(202);
    const id = created.body.volume.id;
    expect((await t.waitFor(`/v3/${P}/volumes/${id}`, 'volume', ['available'], member)).size).to.equal(1);
    const snap = await t.call('POST', `/v3/${P}/snapshots`, { token: member, body: { snapshot: { volume_id: id, name: 's' } } });
    expect(snap.status).to.equal(202);
    await t.waitFor(`/v3/${P}/snapshots/${snap.body.snapshot.id}`, 'snapshot', ['available'], member);
    const revert = await t.call('POST', `/v3/${P}/volumes/${id}/action`, { token: member, body: { revert: { snapshot_id: snap.body.snapshot.id } } });
    expect(revert.status).to.equal(202);
    await t.waitFor(`/v3/${P}/volumes/${id}`, 'volume', ['available'], member);
    expect((await t.call('POST', `/v3/${P}/volumes/${id}/action`, { token: member, body: { 'os-extend': { new_size: 3 } } })).status).to.equal(202);
    expect((await t.waitFor(`/v3/${P}/volumes/${id}`, 'volume', ['available'], member)).size).to.equal(3);
    const clone = await t.call('POST', `/v3/${P}/volumes`, { token: member, body: { volume: { source_volid: id } } });
    expect(clone.body.volume.size).to.equal(3);
    const fromSnap = await t.call('POST', `/v3/${P}/volumes`, { token: member, body: { volume: { snapshot_id: snap.body.snapshot.id, size: 2 } } });
    await t.waitFor(`/v3/${P}/volumes/${clone.body.volume.id}`, 'volume', ['available'], member);
    expect((await t.waitFor(`/v3/${P}/volumes/${fromSnap.body.volume.id}`, 'volume', ['available'], member)).snapshot_id).to.equal(snap.body.snapshot.id);
    const refused = await t.call('DELETE', `/v3/${P}/volumes/${id}`, { token: member });
    expect(refused.status).to.equal(400);
    expect(refused.body.badRequest.message).to.match(/dependent snapshots/);
    expect((await t.call('DELETE', `/v3/${P}/volumes/${id}?cascade=true`, { token: member })).status).to.equal(202);
    await t.waitFor(`/v3/${P}/volumes/${id}`, 'volume', ['deleted'], member);
    expect((await t.call('GET', `/v3/${P}/snapshots/${snap.body.snapshot.id}`, { token: member })).status).to.equal(404);
    for (const v of [clone.body.volume.id, fromSnap.body.volume.id]) await t.call('DELETE', `/v3/${P}/volumes/${v}`, { token: member });
  });

  it('lists with filters, sort, limit/marker, with_count and summary', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.call('POST', '/v3/volumes', { token: 'bob:cccc3333', body: { volume: { size: i + 1, name: `n${i}`, metadata: { even: String(i % 2 === 0) } } } });
      ids.push(r.body.volume.id);
    }
    for (const id of ids) await t.waitFor(`/v3/volumes/${id}`, 'volume', ['available'], 'bob:cccc3333');
    const page1 = await t.call('GET', '/v3/volumes/detail?sort=size:asc&limit=3&with_count=true', { token: 'bob:cccc3333' });
    expect(page1.body.volumes.map((v: any) => v.size)).to.deep.equal([1, 2, 3]);
    expect(page1.body.count).to.equal(4);
    const next = new URL(page1.body.volumes_links[0].href);
    const page2 = await t.call('GET', `/v3/volumes/detail${next.search}`, { token: 'bob:cccc3333' });
    expect(page2.body.volumes.map((v: any) => v.size)).to.deep.equal([4]);
    const even = await t.call('GET', `/v3/volumes?metadata=${encodeURIComponent('{"even":"true"}')}`, { token: 'bob:cccc3333' });
    expect(even.body.volumes).to.have.length(2);
    const byName = await t.call('GET', '/v3/volumes/detail?name=n2', { token: 'bob:cccc3333' });
    expect(byName.body.volumes.map((v: any) => v.name)).to.deep.equal(['n2']);
    const summary = await t.call('GET', '/v3/volumes/summary', { token: 'bob:cccc3333' });
    expect(summary.body['volume-summary']).to.deep.include({ total_size: 10, total_count: 4 });
    // Another project sees none of them; the admin sees them with all_tenants.
    expect((await t.call('GET', '/v3/volumes', { token: member })).body.volumes.map((v: any) => v.id)).to.not.include(ids[0]);
    expect((await t.call('GET', `/v3/volumes/${ids[0]}`, { token: member })).status).to.equal(404);
    expect((await t.call('GET', '/v3/volumes?all_tenants=1')).body.volumes.map((v: any) => v.id)).to.include(ids[0]);
  });

  it('enforces admin-only actions and the quota', async () => {
    expect((await t.call('POST', '/v3/types', { token: member, body: { volume_type: { name: 'x' } } })).status).to.equal(403);
    const v = await t.call('POST', '/v3/volumes', { token: member, body: { volume: { size: 1 } } });
    await t.waitFor(`/v3/volumes/${v.body.volume.id}`, 'volume', ['available'], member);
    const reset = await t.call('POST', `/v3/volumes/${v.body.volume.id}/action`, { token: member, body: { 'os-reset_status': { status: 'error' } } });
    expect(reset.status).to.equal(403);
    expect(reset.body.forbidden.code).to.equal(403);
    const quota = await t.call('POST', '/v3/volumes', { token: member, body: { volume: { size: 5000 } } });
    expect(quota.status).to.equal(413);
    expect(quota.body.overLimit.message).to.match(/gigabytes/);
    const usage = await t.call('GET', `/v3/os-quota-sets/${P}?usage=true`, { token: member });
    expect(usage.body.quota_set.volumes.in_use).to.be.greaterThan(0);
    expect((await t.call('GET', '/v3/os-quota-sets/other?usage=true', { token: member })).status).to.equal(403);
  });

  it('records a user message when no backend fits, and falls back to the default zone', async () => {
    const type = await t.call('POST', '/v3/types', { body: { volume_type: { name: 'nowhere', extra_specs: { volume_backend_name: 'missing' } } } });
    const v = await t.call('POST', '/v3/volumes', { token: member, body: { volume: { size: 1, volume_type: type.body.volume_type.id, availability_zone: 'mars' } } });
    expect(v.status).to.equal(202);
    expect(v.body.volume.availability_zone).to.equal('nova');
    expect(v.body.volume.status).to.equal('error');
    const msgs = await t.call('GET', `/v3/messages?resource_uuid=${v.body.volume.id}`, { token: member });
    expect(msgs.body.messages[0].user_message).to.match(/Could not find any available weighted backend/);
    expect((await t.call('DELETE', `/v3/volumes/${v.body.volume.id}`, { token: member })).status).to.equal(202);
  });

  it('attaches through the attachments API (reserve, update with connector, complete, delete)', async () => {
    const v = await t.call('POST', '/v3/volumes', { token: member, body: { volume: { size: 1 } } });
    const id = v.body.volume.id;
    await t.waitFor(`/v3/volumes/${id}`, 'volume', ['available'], member);
    const a = await t.call('POST', '/v3/attachments', { token: member, body: { attachment: { volume_uuid: id, instance_uuid: '11111111-2222-3333-4444-555555555555' } } });
    expect(a.body.attachment.status).to.equal('reserved');
    const u = await t.call('PUT', `/v3/attachments/${a.body.attachment.id}`, { token: member, body: { attachment: { connector: { host: 'compute1', initiator: 'iqn.x' } } } });
    expect(u.body.attachment.connection_info.driver_volume_type).to.equal('local');
    expect((await t.call('POST', `/v3/attachments/${a.body.attachment.id}/action`, { token: member, body: { 'os-complete': {} } })).status).to.equal(204);
    const shown = await t.call('GET', `/v3/volumes/${id}`, { token: member });
    expect(shown.body.volume.status).to.equal('in-use');
    expect(shown.body.volume.attachments[0].server_id).to.equal('11111111-2222-3333-4444-555555555555');
    expect((await t.call('DELETE', `/v3/attachments/${a.body.attachment.id}`, { token: member })).status).to.equal(200);
    expect((await t.call('GET', `/v3/volumes/${id}`, { token: member })).body.volume.status).to.equal('available');
  });

  it('runs the legacy attach actions and os-initialize_connection', async () => {
    const v = await t.call('POST', '/v3/volumes', { token: member, body: { volume: { size: 1 } } });
    const id = v.body.volume.id;
    await t.waitFor(`/v3/volumes/${id}`, 'volume', ['available'], member);
    const act = (body: unknown) => t.call('POST', `/v3/volumes/${id}/action`, { token: member, body });
    expect((await act({ 'os-reserve': {} })).status).to.equal(202);
    const conn = await act({ 'os-initialize_connection': { connector: { host: 'h1' } } });
    expect(conn.status).to.equal(200);
    expect(conn.body.connection_info.data.device_path).to.be.a('string');
    expect((await act({ 'os-attach': { instance_uuid: '11111111-2222-3333-4444-555555555555', mountpoint: '/dev/vdb' } })).status).to.equal(202);
    expect((await act({ 'os-begin_detaching': {} })).status).to.equal(202);
    expect((await act({ 'os-roll_detaching': {} })).status).to.equal(202);
    expect((await act({ 'os-terminate_connection': { connector: { host: 'h1' } } })).status).to.equal(202);
    expect((await act({ 'os-detach': {} })).status).to.equal(202);
    expect((await t.call('GET', `/v3/volumes/${id}`, { token: member })).body.volume.status).to.equal('available');
    expect((await act({ 'os-bogus': {} })).status).to.equal(400);
  });

  it('lists zones, pools, services and types with extra specs for admins', async () => {
    expect((await t.call('GET', '/v3/os-availability-zone', { token: member })).body.availabilityZoneInfo).to.deep.equal([{ zoneName: 'nova', zoneState: { available: true } }]);
    const pools = await t.call('GET', '/v3/scheduler-stats/get_pools?detail=true');
    expect(pools.body.pools[0].name).to.match(/@file#file$/);
    const services = await t.call('GET', '/v3/os-services');
    expect(services.body.services.map((s: any) => s.binary).sort()).to.deep.equal(['cinder-scheduler', 'cinder-volume']);
    expect((await t.call('GET', '/v3/os-services', { token: member })).status).to.equal(403);
    expect((await t.call('GET', '/v3/clusters')).body.clusters).to.deep.equal([]);
    expect((await t.call('GET', '/v3/limits', { token: member })).body.limits.absolute.maxTotalVolumes).to.equal(6);
  });
});
