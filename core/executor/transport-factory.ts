import { AshlarError } from '../errors/ashlar-error.js';
import { LocalTransport } from './local-transport.js';
import { LvmHostTransport } from '../../drivers/lvm/test-host/transport.js';
import type { CommandTransport } from './transport.js';

/**
 * Where a driver's commands should run, as written in a config file:
 * `{ "kind": "local" }` or `{ "kind": "lvm-host", "host": "/path/to/host.json" }`.
 */
export type TransportSpec = { readonly kind: 'local' } | { readonly kind: 'lvm-host'; readonly host: string };

/**
 * Builds the transport a spec names. `undefined` means the local host.
 *
 * @throws CONFIG_INVALID for an unknown kind or a missing/unreadable `host`.
 */
export function createTransport(spec: unknown): CommandTransport {
  if (spec === undefined) return new LocalTransport();
  const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (kind === 'local') return new LocalTransport();
  if (kind === 'lvm-host') {
    const host = (spec as { host?: unknown }).host;
    if (typeof host !== 'string' || host.length === 0) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: 'transport "lvm-host" needs "host": the path of the host.json written by scripts/lvm-host/start.sh' } });
    }
    try {
      return new LvmHostTransport(host);
    } catch (err) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `transport "lvm-host": cannot use ${host}: ${(err as Error).message}` }, cause: err });
    }
  }
  throw new AshlarError('CONFIG_INVALID', { details: { reason: `unknown transport kind ${JSON.stringify(kind)} (expected "local" or "lvm-host")` } });
}
