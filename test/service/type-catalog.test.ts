import { expect } from 'chai';
import { forEachDatabase, startTestService, type TestService } from './helpers.js';

const member = 'bob:bbbb2222';

forEachDatabase('volume types and the capability catalog (issue 5)', (database) => {
  let t: TestService;
  before(async () => {
    t = await startTestService('', { database });
  });
  after(async () => t.stop());

  it('refuses catalog keys with values of the wrong type, naming the key, and stores nothing', async () => {
    const bad = await t.call('POST', '/v3/types', { body: { volume_type: { name: 'bad-gold', extra_specs: { multiattach: 'sometimes', 'ashlar:qos_total_iops_sec': '-5x' } } } });
    expect(bad.status).to.equal(400);
    expect(bad.body.badRequest.message).to.contain('multiattach');
    expect(bad.body.badRequest.message).to.contain('ashlar:qos_total_iops_sec');
    const list = await t.call('GET', '/v3/types');
    expect(list.body.volume_types.map((v: { name: string }) => v.name)).not.to.include('bad-gold');
  });

  it('validates catalog keys set later too, and allows driver-specific keys', async () => {
    const created = await t.call('POST', '/v3/types', { body: { volume_type: { name: 'gold', extra_specs: { multiattach: '<is> True', 'acme:tier': 'gold' } } } });
    expect(created.status).to.equal(200);
    const id = created.body.volume_type.id as string;
    expect((await t.call('POST', `/v3/types/${id}/extra_specs`, { body: { extra_specs: { 'provisioning:type': 'sparkly' } } })).status).to.equal(400);
    expect((await t.call('PUT', `/v3/types/${id}/extra_specs/ashlar:encrypted`, { body: { 'ashlar:encrypted': 'maybe' } })).status).to.equal(400);
    expect((await t.call('PUT', `/v3/types/${id}/extra_specs/ashlar:encrypted`, { body: { 'ashlar:encrypted': 'True' } })).status).to.equal(200);
    expect((await t.call('POST', `/v3/types/${id}/extra_specs`, { body: { extra_specs: { volume_backend_name: 'file', 'acme:pool': 'p1' } } })).status).to.equal(200);
  });

  it('shows members only the user-visible catalog keys, admins everything', async () => {
    const admin = await t.call('GET', '/v3/types');
    const gold = admin.body.volume_types.find((v: { name: string }) => v.name === 'gold');
    expect(gold.extra_specs).to.deep.equal({ multiattach: '<is> True', 'acme:tier': 'gold', 'ashlar:encrypted': 'True', volume_backend_name: 'file', 'acme:pool': 'p1' });
    const asMember = await t.call('GET', `/v3/types/${gold.id}`, { token: member });
    expect(asMember.status).to.equal(200);
    // volume_backend_name and driver-specific keys reveal backend layout: admin-only.
    expect(asMember.body.volume_type.extra_specs).to.deep.equal({ multiattach: '<is> True', 'ashlar:encrypted': 'True' });
  });
});
