import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AshlarError } from '../core/errors/ashlar-error.js';

const run = promisify(execFile);

/**
 * What the replication suite needs from the backend beyond the driver: the driver contract
 * has no "replicate now" and no "lose the primary", so the run's config file names commands
 * (argv arrays, run locally, no shell) that do it on the vendor's test backend.
 *
 * @example
 * ```json
 * "replication": {
 *   "targetId": "sec",
 *   "sync": ["scripts/ontap-sim/transfer.sh", "/tmp/sec"],
 *   "primaryDown": ["scripts/ontap-sim/fault.sh", "/tmp/prim", "unresponsive"],
 *   "primaryUp": ["scripts/ontap-sim/fault.sh", "/tmp/prim", "none"],
 *   "afterFailover": { "activeBackendId": "sec" }
 * }
 * ```
 */
export interface ReplicationHarness {
  /** The target `failover` is given as `secondaryId`. */
  readonly targetId: string;
  /** Completes one replication of everything written so far (a SnapMirror update). */
  readonly sync: readonly string[];
  /** Makes the primary stop answering (failover then runs without it). */
  readonly primaryDown?: readonly string[] | undefined;
  /** Brings the primary back (run at the end, before cleanup). */
  readonly primaryUp?: readonly string[] | undefined;
  /**
   * Merged into the driver config for an instance started after the failover, as the
   * service passes the active backend to a restarted driver (Cinder's active_backend_id).
   */
  readonly afterFailover?: Readonly<Record<string, unknown>> | undefined;
}

/** Runs one harness command; a failure names the step (the backend, not the driver, broke). */
export async function runHarness(step: string, argv: readonly string[] | undefined, signal?: AbortSignal): Promise<void> {
  if (argv === undefined) return;
  const [bin, ...args] = argv;
  if (bin === undefined) throw new AshlarError('CONFIG_INVALID', { details: { reason: `replication.${step} is an empty command` } });
  try {
    await run(bin, args, { timeout: 600_000, ...(signal !== undefined ? { signal } : {}) });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new AshlarError('CONFIG_INVALID', { details: { reason: `replication harness step ${step} (${argv.join(' ')}) failed: ${(e.stderr ?? e.message).trim().slice(0, 500)}` } });
  }
}

/** Checks the `replication` section of a run config file. @throws CONFIG_INVALID */
export function parseHarness(raw: unknown): ReplicationHarness | undefined {
  if (raw === undefined) return undefined;
  const bad = (reason: string): AshlarError => new AshlarError('CONFIG_INVALID', { details: { reason: `--config "replication": ${reason}` } });
  if (typeof raw !== 'object' || raw === null) throw bad('must be an object');
  const r = raw as Record<string, unknown>;
  const argv = (k: string, required: boolean): readonly string[] | undefined => {
    const v = r[k];
    if (v === undefined && !required) return undefined;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) throw bad(`${k} must be a non-empty array of strings (argv, no shell)`);
    return v as string[];
  };
  if (typeof r.targetId !== 'string' || r.targetId === '') throw bad('targetId must name the replication target');
  if (r.afterFailover !== undefined && (typeof r.afterFailover !== 'object' || r.afterFailover === null)) throw bad('afterFailover must be an object');
  return {
    targetId: r.targetId,
    sync: argv('sync', true)!,
    primaryDown: argv('primaryDown', false),
    primaryUp: argv('primaryUp', false),
    afterFailover: r.afterFailover as Record<string, unknown> | undefined,
  };
}
