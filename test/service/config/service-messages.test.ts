import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createLogger } from '../../../core/logging.js';
import { FileDriver } from '../../../drivers/file/index.js';
import { startTestService } from '../helpers.js';

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string; message?: string; details?: Record<string, unknown> }) => e);

// Issue 15, item 8: messages that pointed the operator or user the wrong way.
describe('service messages (issue 15)', () => {
  it('reports an error in a [backend_defaults] key against that section, not the backend inheriting it', async () => {
    const bad = await failure(startTestService('[DEFAULT]\nenabled_backends = a\n[backend_defaults]\nvolume_driver = file\nmax_over_subscription_ratio = 20\n[a]\ndirectory = {state}/a\n'));
    expect(bad?.code).to.equal('CONFIG_INVALID');
    expect(bad?.message).to.include('[backend_defaults] (inherited by [a]) unknown option "max_over_subscription_ratio"');
    expect(bad?.details).to.include({ section: 'backend_defaults', key: 'max_over_subscription_ratio' });
    // A key the backend sets itself stays its own.
    const own = await failure(startTestService('[DEFAULT]\nenabled_backends = a\n[backend_defaults]\nvolume_driver = file\n[a]\ndirectory = {state}/a\nbogus = 1\n'));
    expect(own?.message).to.include('[a] unknown option "bogus"');
  });

  it('words a capacity refusal below 1 GiB with decimals, not "20 × 0 GiB"', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-cap-'));
    try {
      const driver = new FileDriver({ config: { directory: dir, capacityGiB: 0.4, maxOverSubscriptionRatio: 20, reflink: 'never', reservedPercentage: 0 }, logger: createLogger({ level: 'silent' }), backendName: 'f' } as never);
      await driver.checkSetup({ signal: new AbortController().signal } as never);
      const err = await failure(driver.createVolume({ volume: { id: '00000000-0000-4000-8000-000000000001', sizeGiB: 20 }, signal: new AbortController().signal } as never));
      expect(err?.code).to.equal('INSUFFICIENT_CAPACITY');
      expect(err?.message).to.include('over the limit of 8 GiB (maxOverSubscriptionRatio 20 × capacity 0.40 GiB)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
