import type { BackendStats, Capability, DriverManifest } from '../core/contract/types.js';
import { coreValidator, formatSchemaErrors } from '../core/validation/schema-registry.js';

/** Numeric stats keys that must be finite (JSON has no Infinity: it would reach Cinder as null). */
const NUMERIC_KEYS = ['total_capacity_gb', 'free_capacity_gb', 'allocated_capacity_gb', 'provisioned_capacity_gb', 'reserved_percentage', 'max_over_subscription_ratio'] as const;

/**
 * What is wrong with a stats report, as readable findings (empty when it is fine):
 * schema, finite numbers, free ≤ total (backend and each pool, "infinite" free only with
 * an "infinite" or "unknown" total), unique pool names, non-negative provisioned and
 * allocated capacity, and flags that contradict the declared capabilities.
 */
export function statsFindings(stats: unknown, manifest: DriverManifest): string[] {
  const validate = coreValidator('backend-stats');
  if (!validate(stats)) return formatSchemaErrors(validate.errors, 'stats');
  const s = stats as BackendStats;
  const findings: string[] = [];
  const finite = (where: string, record: Readonly<Record<string, unknown>>): void => {
    for (const key of NUMERIC_KEYS) {
      const v = record[key];
      if (typeof v === 'number' && !Number.isFinite(v)) findings.push(`${where}${key} is ${v}; a number must be finite (Cinder's special values are the strings "infinite" and "unknown")`);
    }
  };
  const capacity = (where: string, total: unknown, free: unknown): void => {
    if (typeof total === 'number' && typeof free === 'number' && free > total + 1e-9) {
      findings.push(`${where}free_capacity_gb (${free}) exceeds total_capacity_gb (${total})`);
    }
    if (typeof total === 'number' && free === 'infinite') findings.push(`${where}free_capacity_gb is "infinite" but total_capacity_gb is ${total}`);
  };
  finite('', s as unknown as Record<string, unknown>);
  capacity('', s.total_capacity_gb, s.free_capacity_gb);
  const poolNames = new Set<string>();
  for (const pool of s.pools ?? []) {
    if (poolNames.has(pool.pool_name)) findings.push(`pool name "${pool.pool_name}" is reported twice; the scheduler addresses pools by name`);
    poolNames.add(pool.pool_name);
    finite(`pool ${pool.pool_name}: `, pool as unknown as Record<string, unknown>);
    capacity(`pool ${pool.pool_name}: `, pool.total_capacity_gb, pool.free_capacity_gb);
    const v = pool.provisioned_capacity_gb;
    if (v !== undefined && !(v >= 0)) findings.push(`pool ${pool.pool_name}: provisioned_capacity_gb is ${v}, must be ≥ 0`);
  }
  for (const key of ['provisioned_capacity_gb', 'allocated_capacity_gb'] as const) {
    const v = s[key];
    if (v !== undefined && !(v >= 0)) findings.push(`${key} is ${v}, must be ≥ 0`);
  }
  const declared = new Set<Capability>(manifest.capabilities);
  // A declared capability may be switched off by configuration (replication without
  // targets; thin provisioning and online extend on an LVM backend configured thick), so
  // only "reported but not declared" is a finding for those.
  const flag = (key: keyof BackendStats, cap: Capability, bothWays = true): void => {
    const v = s[key];
    if (v === true && !declared.has(cap)) findings.push(`stats report ${String(key)}: true but the manifest does not declare "${cap}"`);
    if (bothWays && v === false && declared.has(cap)) findings.push(`stats report ${String(key)}: false but the manifest declares "${cap}"`);
  };
  flag('multiattach', 'multiattach');
  flag('online_extend_support', 'onlineExtend', false);
  flag('thin_provisioning_support', 'thinProvisioning', false);
  flag('replication_enabled', 'replication', false);
  if (!manifest.protocols.some((p) => p.toLowerCase() === s.storage_protocol.toLowerCase() || (p === 'rbd' && s.storage_protocol.toLowerCase() === 'ceph'))) {
    findings.push(`storage_protocol "${s.storage_protocol}" is none of the manifest's protocols (${manifest.protocols.join(', ')})`);
  }
  return findings;
}
