/** A monitor address as connection info carries it: host and port separately, as Cinder does. */
export interface MonitorAddress {
  readonly host: string;
  readonly port: string;
}

/** The subset of `ceph mon dump --format json` the driver reads. */
export interface MonDump {
  readonly fsid: string;
  readonly mons: readonly {
    readonly name: string;
    readonly public_addrs?: { readonly addrvec?: readonly { readonly type: string; readonly addr: string }[] };
    readonly public_addr?: string;
  }[];
}

/**
 * Monitor addresses from a mon dump, one per monitor, preferring the msgr2 address (a
 * cluster may bind msgr2 only; any client from Nautilus on tries v2 on an untyped address).
 */
export function monitorAddresses(dump: MonDump): MonitorAddress[] {
  const out: MonitorAddress[] = [];
  for (const mon of dump.mons ?? []) {
    const vec = mon.public_addrs?.addrvec ?? [];
    const chosen = vec.find((a) => a.type === 'v2') ?? vec.find((a) => a.type === 'v1');
    const raw = chosen?.addr ?? mon.public_addr?.replace(/\/\d+$/, '');
    const parsed = raw === undefined ? undefined : splitHostPort(raw);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Splits `1.2.3.4:3300` or `[::1]:3300` into host and port. */
export function splitHostPort(addr: string): MonitorAddress | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(addr.trim());
  return m ? { host: m[1]!, port: m[2]! } : undefined;
}
