import { AshlarError } from '../errors/ashlar-error.js';
import { LocalTransport } from './local-transport.js';
import type { CommandTransport } from './transport.js';

/**
 * Where a driver's commands should run, as written in a config file: `{ "kind": "local" }`
 * or another kind an application registers (e.g. `{ "kind": "lvm-host", "host": ... }`).
 */
export type TransportSpec = { readonly kind: string } & Readonly<Record<string, unknown>>;

/**
 * Transport kinds beyond `local`: kind → a constructor that reads the spec and throws a
 * plain Error naming what is wrong with it. The SDK ships only `local`; the application
 * registers what else it offers (Ashlar's CLI adds its LVM test host).
 */
export type TransportKinds = Readonly<Record<string, (spec: TransportSpec) => CommandTransport>>;

/**
 * Builds the transport a spec names. `undefined` means the local host.
 *
 * @throws CONFIG_INVALID for an unknown kind or a spec its kind refuses.
 */
export function createTransport(spec: unknown, kinds: TransportKinds = {}): CommandTransport {
  if (spec === undefined) return new LocalTransport();
  const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (kind === 'local') return new LocalTransport();
  const make = typeof kind === 'string' && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  if (!make) {
    const known = ['local', ...Object.keys(kinds)].map((k) => JSON.stringify(k)).join(', ');
    throw new AshlarError('CONFIG_INVALID', { details: { reason: `unknown transport kind ${JSON.stringify(kind)} (expected one of ${known})` } });
  }
  try {
    return make(spec as TransportSpec);
  } catch (err) {
    throw new AshlarError('CONFIG_INVALID', { details: { reason: `transport "${String(kind)}": ${(err as Error).message}` }, cause: err });
  }
}
