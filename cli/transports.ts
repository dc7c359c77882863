/**
 * Command transports the CLI offers beyond the SDK's `local`: the throwaway UML host that
 * runs lvm2 for the LVM driver's tests (scripts/lvm-host/start.sh writes its host.json).
 */
import type { TransportKinds } from '../core/executor/transport-factory.js';
import { LvmHostTransport } from '../drivers/lvm/test-host/transport.js';

/** `{ "kind": "lvm-host", "host": "/path/to/host.json" }`. */
export const CLI_TRANSPORTS: TransportKinds = {
  'lvm-host': (spec) => {
    const host = spec.host;
    if (typeof host !== 'string' || host.length === 0) {
      throw new Error('needs "host": the path of the host.json written by scripts/lvm-host/start.sh');
    }
    try {
      return new LvmHostTransport(host);
    } catch (err) {
      throw new Error(`cannot use ${host}: ${(err as Error).message}`);
    }
  },
};
