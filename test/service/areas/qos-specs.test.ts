import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from '../helpers.js';

const P = '0a1b2c3d4e5f';
const ADMIN = `admin:${P}`;
const MEMBER = 'alice:fedcba987654';

/** QoS specs through the API, with Cinder's shapes, statuses and faults. */
forEachDatabase('QoS specs API', function (database) {
  this.timeout(120_000);
  let t: TestService;
  before(async () => {
    t = await startTestService('', { database });
  });
  after(async () => t?.stop());

  it('creates specs whose extra keys are the specs, shows, lists and deletes them', async () => {
    const created = await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'fast', consumer: 'front-end', read_iops_sec: '2000' } } });
    expect(created.status).to.equal(200);
    const q = created.body.qos_specs;
    expect(q).to.deep.include({ name: 'fast', consumer: 'front-end', specs: { read_iops_sec: '2000' } });
    expect(created.body.links[0].href).to.contain(`/v3/${P}/qos-specs/${q.id}`);
    const list = await t.call('GET', `/v3/${P}/qos-specs`, { token: ADMIN });
    expect(list.body.qos_specs).to.deep.include(q);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}`, { token: ADMIN })).body.qos_specs).to.deep.equal(q);
    expect((await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'fast' } } })).status, 'a taken name').to.equal(409);
    const defaulted = await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'plain' } } });
    expect(defaulted.body.qos_specs.consumer).to.equal('back-end');
    expect((await t.call('DELETE', `/v3/${P}/qos-specs/${defaulted.body.qos_specs.id}?force=False`, { token: ADMIN })).status).to.equal(202);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${defaulted.body.qos_specs.id}`, { token: ADMIN })).status).to.equal(404);
  });

  it('sets and unsets keys; unsetting a key the specs lack is a 400', async () => {
    const q = (await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'keys', total_iops_sec: '100' } } })).body.qos_specs;
    const set = await t.call('PUT', `/v3/${P}/qos-specs/${q.id}`, { token: ADMIN, body: { qos_specs: { iops_bytes: '500' } } });
    expect(set.status).to.equal(200);
    expect(set.body).to.deep.equal({ qos_specs: { iops_bytes: '500' } });
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}`, { token: ADMIN })).body.qos_specs.specs).to.deep.equal({ total_iops_sec: '100', iops_bytes: '500' });
    expect((await t.call('PUT', `/v3/${P}/qos-specs/${q.id}/delete_keys`, { token: ADMIN, body: { keys: ['iops_bytes'] } })).status).to.equal(202);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}`, { token: ADMIN })).body.qos_specs.specs).to.deep.equal({ total_iops_sec: '100' });
    const missing = await t.call('PUT', `/v3/${P}/qos-specs/${q.id}/delete_keys`, { token: ADMIN, body: { keys: ['nope'] } });
    expect(missing.status).to.equal(400);
    expect(missing.body.badRequest.message).to.contain('nope');
  });

  it('associates with volume types, refuses a delete while associated unless forced, and disassociates', async () => {
    const q = (await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'assoc' } } })).body.qos_specs;
    const other = (await t.call('POST', `/v3/${P}/qos-specs`, { token: ADMIN, body: { qos_specs: { name: 'other' } } })).body.qos_specs;
    const types: string[] = [];
    for (const name of ['qa', 'qb', 'qc']) types.push((await t.call('POST', `/v3/${P}/types`, { token: ADMIN, body: { volume_type: { name } } })).body.volume_type.id);
    for (const id of types) expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associate?vol_type_id=${id}`, { token: ADMIN })).status).to.equal(202);
    const assoc = await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associations`, { token: ADMIN });
    expect(assoc.body.qos_associations.map((a: { id: string }) => a.id).sort()).to.deep.equal([...types].sort());
    expect(assoc.body.qos_associations[0].association_type).to.equal('volume_type');
    expect((await t.call('GET', `/v3/${P}/types/${types[0]}`, { token: ADMIN })).body.volume_type.qos_specs_id).to.equal(q.id);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${other.id}/associate?vol_type_id=${types[0]}`, { token: ADMIN })).status, 'a type carries one QoS specs').to.equal(400);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associate`, { token: ADMIN })).status, 'no vol_type_id').to.equal(400);
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associate?vol_type_id=00000000-0000-0000-0000-000000000000`, { token: ADMIN })).status).to.equal(404);
    expect((await t.call('DELETE', `/v3/${P}/qos-specs/${q.id}`, { token: ADMIN })).status, 'in use').to.equal(400);

    await t.call('GET', `/v3/${P}/qos-specs/${q.id}/disassociate?vol_type_id=${types[0]}`, { token: ADMIN });
    const left = (await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associations`, { token: ADMIN })).body.qos_associations;
    expect(left.map((a: { id: string }) => a.id).sort()).to.deep.equal(types.slice(1).sort());
    await t.call('GET', `/v3/${P}/qos-specs/${q.id}/disassociate_all`, { token: ADMIN });
    expect((await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associations`, { token: ADMIN })).body.qos_associations).to.deep.equal([]);

    await t.call('GET', `/v3/${P}/qos-specs/${q.id}/associate?vol_type_id=${types[1]}`, { token: ADMIN });
    expect((await t.call('DELETE', `/v3/${P}/qos-specs/${q.id}?force=True`, { token: ADMIN })).status).to.equal(202);
    expect((await t.call('GET', `/v3/${P}/types/${types[1]}`, { token: ADMIN })).body.volume_type.qos_specs_id).to.equal(null);
  });

  it('is admin-only: a member gets 403 on every QoS route', async () => {
    expect((await t.call('GET', '/v3/fedcba987654/qos-specs', { token: MEMBER })).status).to.equal(403);
    expect((await t.call('POST', '/v3/fedcba987654/qos-specs', { token: MEMBER, body: { qos_specs: { name: 'x' } } })).status).to.equal(403);
  });
});
