import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from '../helpers.js';

const P = '0a1b2c3d4e5f';
const ADMIN = `admin:${P}`;
const MEMBER = 'alice:fedcba987654';

/** Group types, generic groups and group snapshots through the API, over per-volume work (no driver declares `groups`). */
forEachDatabase('groups API', function (database) {
  this.timeout(300_000);
  let t: TestService;
  let volumeType: string;
  let groupType: string;
  before(async () => {
    t = await startTestService('', { database });
    volumeType = (await call('POST', `/v3/${P}/types`, { body: { volume_type: { name: 'grouped' } } })).body.volume_type.id;
    groupType = (await call('POST', `/v3/${P}/group_types`, { body: { group_type: { name: 'gt', group_specs: { consistent_group_snapshot_enabled: '<is> False' } } } })).body.group_type.id;
  });
  after(async () => t?.stop());

  const call: TestService['call'] = (method, path, opts = {}) => t.call(method, path, { token: ADMIN, ...opts });
  const wait = (path: string, key: 'volume' | 'snapshot', statuses: string[]) => t.waitFor(path, key, statuses, ADMIN);

  /** Polls a group or group snapshot until it reaches a status (or is gone, for `deleted`). */
  const settle = async (path: string, key: 'group' | 'group_snapshot', status: string): Promise<any> => {
    for (let i = 0; i < 2000; i++) {
      const r = await call('GET', path);
      if (r.status === 404 && status === 'deleted') return undefined;
      if (r.status === 200 && r.body[key].status === status) return r.body[key];
      if (r.status === 200 && r.body[key].status.startsWith('error') && !status.startsWith('error')) throw new Error(`${path} went to ${r.body[key].status}`);
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`${path} never reached ${status}`);
  };
  const newGroup = async (name: string) => (await call('POST', `/v3/${P}/groups`, { body: { group: { name, group_type: groupType, volume_types: [volumeType] } } })).body.group;
  const newVolume = async (groupId: string) => {
    const r = await call('POST', `/v3/${P}/volumes`, { body: { volume: { size: 1, volume_type: volumeType, group_id: groupId } } });
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    expect(r.body.volume.group_id).to.equal(groupId);
    return wait(`/v3/${P}/volumes/${r.body.volume.id}`, 'volume', ['available']);
  };

  it('group types: create (202), list by is_public and sort, update, group specs, delete', async () => {
    const a = await call('POST', `/v3/${P}/group_types`, { body: { group_type: { name: 'a-type', description: 'd', is_public: true } } });
    expect(a.status).to.equal(202);
    expect(a.body.group_type).to.deep.include({ name: 'a-type', description: 'd', is_public: true, group_specs: {} });
    const b = (await call('POST', `/v3/${P}/group_types`, { body: { group_type: { name: 'b-type', is_public: false } } })).body.group_type;
    expect((await call('POST', `/v3/${P}/group_types`, { body: { group_type: { name: 'a-type' } } })).status).to.equal(409);
    const names = async (q: string) => (await call('GET', `/v3/${P}/group_types?${q}`)).body.group_types.map((g: { name: string }) => g.name);
    const asc = await names('sort=name:asc&is_public=None');
    expect(asc.indexOf('a-type')).to.be.lessThan(asc.indexOf('b-type'));
    const desc = await names('sort=name:desc&is_public=None');
    expect(desc.indexOf('b-type')).to.be.lessThan(desc.indexOf('a-type'));
    expect(await names('is_public=False')).to.include('b-type').and.not.include('a-type');
    expect(await names('is_public=True')).to.include('a-type').and.not.include('b-type');
    expect((await call('GET', `/v3/${P}/group_types`, { version: '3.10' })).status, 'before 3.11').to.equal(404);

    const upd = await call('PUT', `/v3/${P}/group_types/${b.id}`, { body: { group_type: { name: 'b2-type', description: 'new' } } });
    expect(upd.body.group_type).to.deep.include({ name: 'b2-type', description: 'new' });
    expect((await call('POST', `/v3/${P}/group_types/${b.id}/group_specs`, { body: { group_specs: { k1: 'v1', k2: 'v2' } } })).status).to.equal(202);
    expect((await call('PUT', `/v3/${P}/group_types/${b.id}/group_specs/k2`, { body: { k2: 'v2b' } })).body).to.deep.equal({ k2: 'v2b' });
    expect((await call('GET', `/v3/${P}/group_types/${b.id}/group_specs`)).body.group_specs).to.deep.equal({ k1: 'v1', k2: 'v2b' });
    expect((await call('DELETE', `/v3/${P}/group_types/${b.id}/group_specs/k1`)).status).to.equal(202);
    expect((await call('GET', `/v3/${P}/group_types/${b.id}/group_specs/k1`)).status).to.equal(404);
    expect((await call('GET', `/v3/${P}/group_types/default`)).status, 'no default group type is configured').to.equal(404);
    expect((await call('POST', '/v3/fedcba987654/group_types', { token: MEMBER, body: { group_type: { name: 'm' } } })).status).to.equal(403);
    expect((await call('DELETE', `/v3/${P}/group_types/${b.id}`)).status).to.equal(202);
    expect((await call('GET', `/v3/${P}/group_types/${b.id}`)).status).to.equal(404);
  });

  it('creates groups, puts volumes in them, lists them in detail, and deletes them with their volumes', async () => {
    const g1 = await newGroup('g1');
    const g2 = await newGroup('g2');
    expect((await settle(`/v3/${P}/groups/${g1.id}`, 'group', 'available')).volume_types).to.deep.equal([volumeType]);
    const vol = await newVolume(g1.id);
    expect((await call('GET', `/v3/${P}/volumes/detail?group_id=${g1.id}`)).body.volumes.map((v: { id: string }) => v.id)).to.deep.equal([vol.id]);
    const detail = (await call('GET', `/v3/${P}/groups/detail`, { version: '3.13' })).body.groups;
    const shown = detail.find((g: { id: string }) => g.id === g1.id);
    expect(shown).to.deep.include({ group_type: groupType, volume_types: [volumeType], status: 'available', name: 'g1' });
    expect(shown, 'group_snapshot_id is 3.14').to.not.have.property('group_snapshot_id');
    expect((await call('GET', `/v3/${P}/groups/${g1.id}?list_volume=True`, { version: '3.25' })).body.group.volumes).to.deep.equal([vol.id]);
    expect((await call('GET', `/v3/${P}/groups/${g1.id}`, { version: '3.58' })).body.group.project_id).to.equal(P);

    const refused = await call('POST', `/v3/${P}/groups/${g1.id}/action`, { body: { delete: { 'delete-volumes': false } } });
    expect(refused.status, 'a group with volumes needs delete-volumes').to.equal(400);
    expect((await call('POST', `/v3/${P}/groups/${g1.id}/action`, { body: { delete: { 'delete-volumes': true } } })).status).to.equal(202);
    await wait(`/v3/${P}/volumes/${vol.id}`, 'volume', ['deleted']);
    await settle(`/v3/${P}/groups/${g1.id}`, 'group', 'deleted');
    expect((await call('POST', `/v3/${P}/groups/${g2.id}/action`, { body: { delete: { 'delete-volumes': false } } })).status).to.equal(202);
    expect((await call('GET', `/v3/${P}/groups/${g2.id}`)).status).to.equal(404);
  });

  it('renames a group and moves volumes out and back in; refuses a volume of another type', async () => {
    const g = await newGroup('upd');
    const v1 = await newVolume(g.id);
    const v2 = await newVolume(g.id);
    expect((await call('PUT', `/v3/${P}/groups/${g.id}`, { body: { group: { name: 'new_group', description: 'new desc', remove_volumes: v2.id } } })).status).to.equal(202);
    const shown = await settle(`/v3/${P}/groups/${g.id}`, 'group', 'available');
    expect(shown).to.deep.include({ name: 'new_group', description: 'new desc' });
    const members = async () => (await call('GET', `/v3/${P}/volumes/detail?group_id=${g.id}`)).body.volumes.map((v: { id: string }) => v.id).sort();
    expect(await members()).to.deep.equal([v1.id]);
    await call('PUT', `/v3/${P}/groups/${g.id}`, { body: { group: { add_volumes: v2.id } } });
    expect(await members()).to.deep.equal([v1.id, v2.id].sort());
    const plain = await call('POST', `/v3/${P}/volumes`, { body: { volume: { size: 1 } } });
    const other = await wait(`/v3/${P}/volumes/${plain.body.volume.id}`, 'volume', ['available']);
    expect((await call('PUT', `/v3/${P}/groups/${g.id}`, { body: { group: { add_volumes: other.id } } })).status).to.equal(400);
    await call('POST', `/v3/${P}/groups/${g.id}/action`, { body: { delete: { 'delete-volumes': true } } });
    await settle(`/v3/${P}/groups/${g.id}`, 'group', 'deleted');
  });

  it('snapshots a group, makes groups from the group snapshot and from the group, and deletes the group snapshot with its snapshots', async () => {
    const g = await newGroup('snapme');
    const vol = await newVolume(g.id);
    const created = await call('POST', `/v3/${P}/group_snapshots`, { body: { group_snapshot: { group_id: g.id, name: 'gs1' } } });
    expect(created.status).to.equal(202);
    expect(created.body.group_snapshot).to.deep.equal({ id: created.body.group_snapshot.id, name: 'gs1', group_type_id: groupType });
    const gsId = created.body.group_snapshot.id;
    const gs = await settle(`/v3/${P}/group_snapshots/${gsId}`, 'group_snapshot', 'available');
    expect(gs).to.deep.include({ group_id: g.id, group_type_id: groupType, name: 'gs1' });
    const snaps = (await call('GET', `/v3/${P}/snapshots/detail`, { version: '3.14' })).body.snapshots.filter((s: { volume_id: string }) => s.volume_id === vol.id);
    expect(snaps.map((s: { group_snapshot_id: string }) => s.group_snapshot_id)).to.deep.equal([gsId]);
    expect((await call('GET', `/v3/${P}/group_snapshots/detail`)).body.group_snapshots.map((x: { id: string }) => x.id)).to.include(gsId);

    const fromSnap = await call('POST', `/v3/${P}/groups/action`, { version: '3.14', body: { 'create-from-src': { group_snapshot_id: gsId, name: 'from-snap' } } });
    expect(fromSnap.status).to.equal(202);
    expect(fromSnap.body.group.name).to.equal('from-snap');
    const made = await settle(`/v3/${P}/groups/${fromSnap.body.group.id}`, 'group', 'available');
    expect(made).to.deep.include({ group_snapshot_id: gsId, source_group_id: null });
    const fromGroup = await call('POST', `/v3/${P}/groups/action`, { version: '3.14', body: { 'create-from-src': { source_group_id: g.id, name: 'from-group' } } });
    await settle(`/v3/${P}/groups/${fromGroup.body.group.id}`, 'group', 'available');
    const cloned = (await call('GET', `/v3/${P}/volumes/detail?group_id=${fromGroup.body.group.id}`)).body.volumes;
    expect(cloned.map((v: { source_volid: string }) => v.source_volid)).to.deep.equal([vol.id]);
    expect((await call('POST', `/v3/${P}/groups/action`, { version: '3.13', body: { 'create-from-src': { source_group_id: g.id } } })).status, 'before 3.14').to.equal(404);

    expect((await call('POST', `/v3/${P}/groups/${g.id}/action`, { body: { delete: { 'delete-volumes': true } } })).status, 'a group with group snapshots').to.equal(400);
    expect((await call('DELETE', `/v3/${P}/group_snapshots/${gsId}`)).status).to.equal(202);
    await settle(`/v3/${P}/group_snapshots/${gsId}`, 'group_snapshot', 'deleted');
    for (const s of snaps) await wait(`/v3/${P}/snapshots/${s.id}`, 'snapshot', ['deleted']);
  });

  it('resets group and group snapshot statuses (admin, 3.20 / 3.19), which stay as set', async () => {
    const g = await newGroup('reset');
    await newVolume(g.id);
    for (const status of ['creating', 'available', 'error']) {
      expect((await call('POST', `/v3/${P}/groups/${g.id}/action`, { version: '3.20', body: { reset_status: { status } } })).status).to.equal(202);
      expect((await call('GET', `/v3/${P}/groups/${g.id}`)).body.group.status).to.equal(status);
    }
    expect((await call('POST', `/v3/${P}/groups/${g.id}/action`, { version: '3.19', body: { reset_status: { status: 'available' } } })).status).to.equal(404);
    await call('POST', `/v3/${P}/groups/${g.id}/action`, { version: '3.20', body: { reset_status: { status: 'available' } } });
    const gs = (await call('POST', `/v3/${P}/group_snapshots`, { body: { group_snapshot: { group_id: g.id } } })).body.group_snapshot;
    await settle(`/v3/${P}/group_snapshots/${gs.id}`, 'group_snapshot', 'available');
    for (const status of ['creating', 'available', 'error']) {
      await call('POST', `/v3/${P}/group_snapshots/${gs.id}/action`, { version: '3.19', body: { reset_status: { status } } });
      expect((await call('GET', `/v3/${P}/group_snapshots/${gs.id}`)).body.group_snapshot.status).to.equal(status);
    }
  });

  it('keeps projects apart: another project neither sees nor uses a group', async () => {
    const g = await newGroup('private');
    expect((await call('GET', `/v3/fedcba987654/groups/${g.id}`, { token: MEMBER })).status).to.equal(404);
    expect((await call('GET', '/v3/fedcba987654/groups', { token: MEMBER })).body.groups).to.deep.equal([]);
    const r = await call('POST', '/v3/fedcba987654/volumes', { token: MEMBER, body: { volume: { size: 1, volume_type: volumeType, group_id: g.id } } });
    expect(r.status).to.equal(404);
  });
});
