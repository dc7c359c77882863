import type { BackendStats, Capability, DriverManifest } from '../core/contract/types.js';
import { coreValidator, formatSchemaErrors } from '../core/validation/schema-registry.js';

/**
 * What is wrong with a stats report, as readable findings (empty when it is fine):
 * schema, free ≤ total (backend and each pool), non-negative provisioned and allocated
 * capacity, and flags that contradict the declared capabilities.
 */
export function statsFindings(stats: unknown, manifest: DriverManifest): string[] {
  const validate = coreValidator('backend-stats');
  if (!validate(stats)) return formatSchemaErrors(validate.errors, 'stats');
  const s = stats as BackendStats;
  const findings: string[] = [];
  const capacity = (where: string, total: unknown, free: unknown): void => {
    if (typeof total === 'number' && typeof free === 'number' && free > total + 1e-9) {
      findings.push(`${where}free_capacity_gb (${free}) exceeds total_capacity_gb (${total})`);
    }
  };
  capacity('', s.total_capacity_gb, s.free_capacity_gb);
  for (const pool of s.pools ?? []) capacity(`pool ${pool.pool_name}: `, pool.total_capacity_gb, pool.free_capacity_gb);
  for (const key of ['provisioned_capacity_gb', 'allocated_capacity_gb'] as const) {
    const v = s[key];
    if (v !== undefined && !(v >= 0)) findings.push(`${key} is ${v}, must be ≥ 0`);
  }
  const declared = new Set<Capability>(manifest.capabilities);
  // A declared capability may be switched off by configuration (replication without
  // targets), so only "reported but not declared" is a finding for it.
  const flag = (key: keyof BackendStats, cap: Capability, bothWays = true): void => {
    const v = s[key];
    if (v === true && !declared.has(cap)) findings.push(`stats report ${String(key)}: true but the manifest does not declare "${cap}"`);
    if (bothWays && v === false && declared.has(cap)) findings.push(`stats report ${String(key)}: false but the manifest declares "${cap}"`);
  };
  flag('multiattach', 'multiattach');
  flag('online_extend_support', 'onlineExtend');
  flag('thin_provisioning_support', 'thinProvisioning');
  flag('replication_enabled', 'replication', false);
  if (!manifest.protocols.some((p) => p.toLowerCase() === s.storage_protocol.toLowerCase() || (p === 'rbd' && s.storage_protocol.toLowerCase() === 'ceph'))) {
    findings.push(`storage_protocol "${s.storage_protocol}" is none of the manifest's protocols (${manifest.protocols.join(', ')})`);
  }
  return findings;
}
