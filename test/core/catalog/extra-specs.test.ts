import { expect } from 'chai';
import fc from 'fast-check';
import { capabilityCatalog, catalogProblems } from '../../../core/catalog/catalog.js';
import { assertValidExtraSpecs, validateExtraSpecs, visibleExtraSpecs } from '../../../core/catalog/extra-specs.js';
import { hasErrorCode } from '../../../core/errors/ashlar-error.js';
import { coreValidator } from '../../../core/validation/schema-registry.js';

describe('capability catalog', () => {
  it('is valid against its schema and covers the standard properties', () => {
    const keys = capabilityCatalog().keys.map((k) => k.key);
    for (const k of ['multiattach', 'replication_enabled', 'provisioning:type', 'thin_provisioning_support', 'online_extend_support', 'QoS_support', 'ashlar:encrypted']) {
      expect(keys).to.include(k);
    }
  });

  it('maps every key with a stats match to a key a driver can report in backend stats', () => {
    const validate = coreValidator('backend-stats');
    for (const entry of capabilityCatalog().keys) {
      if (!entry.stats.key) continue;
      const base = { volume_backend_name: 'b', vendor_name: 'v', driver_version: '1', storage_protocol: 'local', total_capacity_gb: 1, free_capacity_gb: 1 };
      const sample = entry.type === 'boolean' || entry.stats.match === 'requires-true' ? true : entry.type === 'integer' ? 1 : 'x';
      expect(validate({ ...base, [entry.stats.key]: sample }), `${entry.key} → ${entry.stats.key}`).to.equal(true);
    }
  });

  it('rejects a catalog whose enum key has no values and whose keys repeat', () => {
    const entry = { key: 'x', type: 'enum', description: 'd', userVisible: true, stats: { match: 'none' } };
    expect(catalogProblems({ keys: [entry, entry] })).to.deep.equal(['x: an enum key needs values', 'x: listed twice', 'x: an enum key needs values']);
    expect(catalogProblems({ keys: [] })[0]).to.match(/catalog\/keys/);
  });
});

describe('validateExtraSpecs', () => {
  it('accepts Cinder boolean forms, enum values and integers in range', () => {
    expect(validateExtraSpecs({ multiattach: '<is> True', replication_enabled: 'false', 'provisioning:type': 'thin', 'ashlar:qos_total_iops_sec': '5000' })).to.deep.equal([]);
  });

  it('names each catalog key whose value breaks its type', () => {
    const problems = validateExtraSpecs({ multiattach: 'yes', 'provisioning:type': 'fat', 'ashlar:qos_total_iops_sec': '0', 'ashlar:qos_total_bytes_sec': '1.5' });
    expect(problems.map((p) => p.key)).to.deep.equal(['ashlar:qos_total_bytes_sec', 'ashlar:qos_total_iops_sec', 'multiattach', 'provisioning:type']);
    expect(problems.find((p) => p.key === 'ashlar:qos_total_iops_sec')?.reason).to.equal('must be at least 1');
  });

  it('allows any value under a driver-specific key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((k) => !capabilityCatalog().keys.some((c) => c.key === k)), fc.string(), (key, value) => {
        expect(validateExtraSpecs({ [key]: value })).to.deep.equal([]);
      }),
    );
  });

  it('throws BAD_REQUEST from the assert form', () => {
    expect(() => assertValidExtraSpecs({ multiattach: 'maybe' })).to.throw().that.satisfies((e: unknown) => hasErrorCode(e, 'BAD_REQUEST'));
    expect(() => assertValidExtraSpecs({ multiattach: 'True' })).not.to.throw();
  });
});

describe('visibleExtraSpecs', () => {
  const specs = { multiattach: '<is> True', volume_backend_name: 'file-1', 'netapp:raid_type': 'raid_dp', 'RESKEY:availability_zones': 'az1' };

  it('shows admins every key', () => {
    expect(visibleExtraSpecs(specs, { admin: true })).to.deep.equal(specs);
  });

  it('shows members only user-visible catalog keys', () => {
    expect(visibleExtraSpecs(specs, { admin: false })).to.deep.equal({ multiattach: '<is> True', 'RESKEY:availability_zones': 'az1' });
  });
});
