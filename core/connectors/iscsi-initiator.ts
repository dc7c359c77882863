import { readFileSync } from 'node:fs';
import os from 'node:os';

/** iSCSI node names: iqn.YYYY-MM.reversed.domain[:suffix] or eui.<16 hex>. */
export const ISCSI_NAME = /^(iqn\.\d{4}-\d{2}\.[a-z0-9][a-z0-9.-]*(:[A-Za-z0-9.:_-]+)?|eui\.[0-9A-Fa-f]{16})$/;

/**
 * This host's iSCSI initiator name, as os-brick reports it in connector properties:
 * `ASHLAR_ISCSI_INITIATOR` if set, else open-iscsi's /etc/iscsi/initiatorname.iscsi,
 * else a name derived from the hostname. The iscsi connector logs in under this name, so
 * the `initiator` a caller passes to initializeConnection must be this one.
 */
export function localInitiatorName(): string {
  const fromEnv = process.env.ASHLAR_ISCSI_INITIATOR;
  if (fromEnv !== undefined && ISCSI_NAME.test(fromEnv)) return fromEnv;
  try {
    const line = readFileSync('/etc/iscsi/initiatorname.iscsi', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('InitiatorName='));
    const name = line?.slice('InitiatorName='.length).trim();
    if (name !== undefined && ISCSI_NAME.test(name)) return name;
  } catch {
    // no open-iscsi on this host: derive one
  }
  const host = os.hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+/, '') || 'host';
  return `iqn.2026-01.dev.ashlar:${host}`;
}
