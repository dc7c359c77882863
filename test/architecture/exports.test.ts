/** The package's public entry points resolve by name, as a vendor imports them. */
import { expect } from 'chai';

describe('package exports (issue 11)', () => {
  it('ashlar/conformance is importable and exposes the runner', async () => {
    const mod = (await import('ashlar/conformance')) as Record<string, unknown>;
    expect(mod.runConformance).to.be.a('function');
  });

  it('ashlar exposes the SDK but no service, built-in driver list or test-host transport', async () => {
    const mod = (await import('ashlar')) as Record<string, unknown>;
    expect(mod.definePlugin).to.be.a('function');
    expect(mod.loadPlugin).to.be.a('function');
    for (const name of ['BUILTIN_DRIVERS', 'LvmHostTransport', 'startService', 'builtinDriverNames']) expect(mod, name).to.not.have.property(name);
  });
});
