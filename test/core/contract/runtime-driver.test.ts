import { expect } from 'chai';
import { RuntimeDriver, missingCapabilityMethods, undeclaredCapabilityMethods } from '../../../core/contract/runtime-driver.js';
import type { AnyDriver } from '../../../core/contract/driver-for.js';
import type { DriverManifest } from '../../../core/contract/types.js';
import { silentLogger } from '../../../core/logging.js';
import { codeOf } from '../../helpers/error-code.js';

const manifest: DriverManifest = {
  name: 'fake',
  version: '1.0.0',
  contract: '^1.0.0',
  description: 'in-memory driver for wrapper tests',
  vendor: 'test',
  capabilities: [],
  protocols: ['local'],
  commands: [],
  semantics: { deleteVolumeWithSnapshots: 'allowed' },
  configSchema: { type: 'object' },
};

function makeDriver(overrides: Partial<AnyDriver> = {}): AnyDriver {
  return {
    checkSetup: async () => ({}),
    getStats: async () => ({ stats: { volume_backend_name: 'x', vendor_name: 'v', driver_version: '1', storage_protocol: 'local', total_capacity_gb: 10, free_capacity_gb: 5 } }),
    createVolume: async () => ({}),
    deleteVolume: async () => ({}),
    extendVolume: async () => ({}),
    initializeConnection: async () => ({ connectionInfo: { driver_volume_type: 'local', data: { device_path: '/tmp/x' } } }),
    terminateConnection: async () => ({}),
    ...overrides,
  };
}

const wrap = (d: AnyDriver, m: DriverManifest = manifest, timeoutMs?: number): RuntimeDriver =>
  new RuntimeDriver(d, m, { logger: silentLogger(), timeoutMs });


describe('RuntimeDriver', () => {
  it('refuses an undeclared capability with NOT_SUPPORTED even when the method exists', async () => {
    let called = false;
    const d = makeDriver({ createSnapshot: async () => ((called = true), {}) });
    const code = await codeOf(wrap(d).createSnapshot({ volume: { id: 'v1', sizeGiB: 1 }, snapshot: { id: 's1', volumeId: 'v1', sizeGiB: 1 } }));
    expect(code).to.equal('NOT_SUPPORTED');
    expect(called).to.equal(false);
  });

  it('rejects hostile ids with INVALID_ARGUMENT before the driver sees them', async () => {
    let seen = 0;
    const d = makeDriver({ createVolume: async () => ((seen += 1), {}) });
    for (const id of ['../etc', 'a;rm -rf /', '$(reboot)', 'nul\0byte', 'é', 'x'.repeat(300), '', '-rf']) {
      expect(await codeOf(wrap(d).createVolume({ volume: { id, sizeGiB: 1 } })), JSON.stringify(id)).to.equal('INVALID_ARGUMENT');
    }
    expect(seen).to.equal(0);
  });

  it('rejects zero, negative, fractional and huge sizes', async () => {
    for (const sizeGiB of [0, -1, 1.5, 2 ** 40, Number.NaN]) {
      expect(await codeOf(wrap(makeDriver()).createVolume({ volume: { id: 'v1', sizeGiB } })), String(sizeGiB)).to.equal('INVALID_ARGUMENT');
    }
  });

  it('refuses to shrink on extend', async () => {
    expect(await codeOf(wrap(makeDriver()).extendVolume({ volume: { id: 'v1', sizeGiB: 4 }, newSizeGiB: 2 }))).to.equal('INVALID_ARGUMENT');
  });

  it('reports stats that break the schema or have free > total as a contract violation', async () => {
    const bad = makeDriver({ getStats: async () => ({ stats: { volume_backend_name: 'x', vendor_name: 'v', driver_version: '1', storage_protocol: 'local', total_capacity_gb: 1, free_capacity_gb: 2 } }) });
    expect(await codeOf(wrap(bad).getStats({ refresh: true }))).to.equal('DRIVER_CONTRACT_VIOLATION');
    const missingKey = makeDriver({ getStats: async () => ({ stats: { vendor_name: 'v' } as never }) });
    expect(await codeOf(wrap(missingKey).getStats({ refresh: true }))).to.equal('DRIVER_CONTRACT_VIOLATION');
  });

  it('rejects connection info of an undeclared protocol', async () => {
    const d = makeDriver({ initializeConnection: async () => ({ connectionInfo: { driver_volume_type: 'iscsi', data: { target_portal: 'p', target_iqn: 'q', target_lun: 0 } } }) });
    expect(await codeOf(wrap(d).initializeConnection({ volume: { id: 'v1', sizeGiB: 1 }, connector: { host: 'h' } }))).to.equal('DRIVER_CONTRACT_VIOLATION');
  });

  it('turns an uncoded throw into DRIVER_CONTRACT_VIOLATION and passes coded errors through', async () => {
    const d = makeDriver({
      deleteVolume: async () => {
        throw new TypeError('oops');
      },
    });
    expect(await codeOf(wrap(d).deleteVolume({ volume: { id: 'v1', sizeGiB: 1 } }))).to.equal('DRIVER_CONTRACT_VIOLATION');
  });

  it('times out a hung call with TIMEOUT and aborts its signal', async () => {
    let signalSeen: AbortSignal | undefined;
    const d = makeDriver({
      createVolume: ({ signal }) => {
        signalSeen = signal;
        return new Promise(() => undefined);
      },
    });
    expect(await codeOf(wrap(d, manifest, 50).createVolume({ volume: { id: 'v1', sizeGiB: 1 } }))).to.equal('TIMEOUT');
    expect(signalSeen?.aborted).to.equal(true);
  });

  it('finds declared-but-missing and implemented-but-undeclared capability methods', () => {
    const d = makeDriver({ createClonedVolume: async () => ({}) });
    expect(missingCapabilityMethods(d, ['snapshots'])).to.deep.equal(['snapshots.createSnapshot', 'snapshots.deleteSnapshot', 'snapshots.createVolumeFromSnapshot']);
    expect(undeclaredCapabilityMethods(d, [])).to.deep.equal(['clone.createClonedVolume']);
    expect(missingCapabilityMethods(d, ['clone', 'multiattach'])).to.deep.equal([]);
  });
});
