import { expect } from 'chai';
import { capabilitiesFilter, capacityFilter, matches } from '../../service/scheduler/filters.js';
import { poolsFromStats, type PoolState } from '../../service/scheduler/pool-state.js';
import { Scheduler } from '../../service/scheduler/scheduler.js';
import { excludedBackendHosts } from '../../service/scheduler/enabled-pools.js';
import { forEachDatabase, startTestService } from './helpers.js';

const pool = (over: Partial<PoolState>): PoolState => ({
  host: 'h@b#p', backendHost: 'h@b', availabilityZone: 'nova', capabilities: {}, totalGiB: 100, freeGiB: 50, provisionedGiB: 50,
  reservedPercentage: 0, maxOverSubscriptionRatio: 1, thin: false, thick: true, ...over,
});
const req = (sizeGiB: number, extraSpecs: Record<string, string> = {}) => ({ sizeGiB, availabilityZone: 'nova', extraSpecs });

describe('scheduler', () => {
  it('capacity filter: thick pools keep the reserved share free', () => {
    expect(capacityFilter.check(pool({ reservedPercentage: 10 }), req(40))).to.equal(undefined);
    expect(capacityFilter.check(pool({ reservedPercentage: 10 }), req(41))).to.match(/after 10% reserved/);
  });

  it('capacity filter: thin pools over-subscribe up to the ratio', () => {
    const thin = pool({ thin: true, thick: false, maxOverSubscriptionRatio: 2, provisionedGiB: 150, freeGiB: 80 });
    expect(capacityFilter.check(thin, req(50))).to.equal(undefined);
    expect(capacityFilter.check(thin, req(51))).to.match(/max_over_subscription_ratio 2/);
    expect(capacityFilter.check(thin, req(10, { 'provisioning:type': 'thick' }))).to.match(/thick provisioning/);
  });

  it('capabilities filter: operators and scopes', () => {
    expect(matches(true, '<is> True')).to.equal(true);
    expect(matches('abc', '<in> b')).to.equal(true);
    expect(matches('x', '<or> y <or> x')).to.equal(true);
    expect(matches(10, '>= 5')).to.equal(true);
    expect(matches(10, '<= 5')).to.equal(false);
    const p = pool({ capabilities: { volume_backend_name: 'gold', multiattach: true } });
    expect(capabilitiesFilter.check(p, req(1, { volume_backend_name: 'gold', 'capabilities:multiattach': '<is> True', 'qos:iops': '9' }))).to.equal(undefined);
    expect(capabilitiesFilter.check(p, req(1, { volume_backend_name: 'silver' }))).to.match(/wants "silver"/);
  });

  it('weighs by free capacity and charges placements until the next stats report', async () => {
    const stats = (name: string, free: number) => poolsFromStats(`h@${name}`, 'nova', { volume_backend_name: name, vendor_name: 'x', driver_version: '1', storage_protocol: 'local', total_capacity_gb: 100, free_capacity_gb: free });
    const s = new Scheduler({ pools: async () => [...stats('a', 60), ...stats('b', 50)] }, { capacityWeightMultiplier: 1 });
    expect((await s.select(req(20))).backendHost).to.equal('h@a');
    expect((await s.select(req(20))).backendHost).to.equal('h@b');
    const stacking = new Scheduler({ pools: async () => [...stats('a', 60), ...stats('b', 50)] }, { capacityWeightMultiplier: -1 });
    expect((await stacking.select(req(1))).backendHost).to.equal('h@b');
    const err = await s.select({ ...req(1), availabilityZone: 'mars' }).catch((e: unknown) => e as { code: string });
    expect((err as { code: string }).code).to.equal('NO_VALID_BACKEND');
  });
});

forEachDatabase('scheduler in the service', (database) => {
  it('places volumes on several configured backends by volume_backend_name and zone', async function () {
    this.timeout(30_000);
    const t = await startTestService('[DEFAULT]\nenabled_backends = small, big\n[backend_defaults]\nvolume_driver = file\n[small]\ndirectory = {state}/small\ncapacityGiB = 10\nmaxOverSubscriptionRatio = 1\nbackend_availability_zone = az-s\n[big]\ndirectory = {state}/big\ncapacityGiB = 1000\nvolume_backend_name = bigpool\n', { database });
    try {
      const type = await t.call('POST', '/v3/types', { body: { volume_type: { name: 'big', extra_specs: { volume_backend_name: 'bigpool' } } } });
      const v = await t.call('POST', '/v3/volumes', { body: { volume: { size: 5, volume_type: type.body.volume_type.id } } });
      expect((await t.waitFor(`/v3/volumes/${v.body.volume.id}`, 'volume', ['available']))['os-vol-host-attr:host']).to.match(/@big#bigpool$/);
      const small = await t.call('POST', '/v3/volumes', { body: { volume: { size: 5, availability_zone: 'az-s' } } });
      expect((await t.waitFor(`/v3/volumes/${small.body.volume.id}`, 'volume', ['available']))['os-vol-host-attr:host']).to.match(/@small#small$/);
      const tooBig = await t.call('POST', '/v3/volumes', { body: { volume: { size: 11, availability_zone: 'az-s' } } });
      expect(tooBig.body.volume.status).to.equal('error');
      const zones = (await t.call('GET', '/v3/os-availability-zone')).body.availabilityZoneInfo.map((z: { zoneName: string }) => z.zoneName).sort();
      expect(zones).to.deep.equal(['az-s', 'nova']);
    } finally {
      await t.stop();
    }
  });
});

describe('pools of disabled services and clusters', () => {
  const svc = (host: string, cluster: string | null, disabled = 0, frozen = 0) => ({ host, cluster_name: cluster, disabled, frozen });

  it('drops a disabled or frozen service, and a cluster only once no member is left enabled and thawed', () => {
    expect([...excludedBackendHosts([svc('solo@b', null, 1), svc('n1@b', 'c@b', 1), svc('n2@b', 'c@b')])].sort()).to.deep.equal(['n1@b', 'solo@b']);
    expect([...excludedBackendHosts([svc('n1@b', 'c@b', 1), svc('n2@b', 'c@b', 0, 1)])].sort()).to.deep.equal(['c@b', 'n1@b', 'n2@b']);
    expect([...excludedBackendHosts([svc('n1@b', 'c@b'), svc('solo@b', null)])]).to.deep.equal([]);
  });
});
