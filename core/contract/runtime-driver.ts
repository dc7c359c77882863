import type { Logger } from 'pino';
import { AshlarError, isAshlarError } from '../errors/ashlar-error.js';
import { coreValidator, formatSchemaErrors } from '../validation/schema-registry.js';
import { CAPABILITY_METHODS, capabilityOfMethod } from './capability-map.js';
import type { AnyDriver } from './driver-for.js';
import { assertValidResourceId, assertValidSize } from './names.js';
import type { Capability, ConnectorProperties, DriverManifest, DriverSnapshot, DriverVolume } from './types.js';
import type * as C from './index.js';

/** Per-call options of the wrapper. */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Overrides the wrapper's default time limit. */
  readonly timeoutMs?: number | undefined;
}

/** Options of {@link RuntimeDriver}. */
export interface RuntimeDriverOptions {
  readonly logger: Logger;
  /** @defaultValue 300000 (5 minutes) */
  readonly timeoutMs?: number | undefined;
}

type WithoutSignal<T> = Omit<T, 'signal'>;

/**
 * How the core calls a driver. Checks arguments against the contract schemas before the
 * driver sees them, checks results after, refuses optional calls the manifest does not
 * declare (NOT_SUPPORTED), applies a time limit through the AbortSignal, turns
 * anything but a coded error into DRIVER_CONTRACT_VIOLATION, and logs each call.
 */
export class RuntimeDriver {
  readonly manifest: DriverManifest;
  readonly #driver: AnyDriver;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #declared: ReadonlySet<Capability>;

  constructor(driver: AnyDriver, manifest: DriverManifest, options: RuntimeDriverOptions) {
    this.#driver = driver;
    this.manifest = manifest;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 300_000;
    this.#declared = new Set(manifest.capabilities);
  }

  /** The raw driver, for conformance suites that must bypass the wrapper's own checks. */
  get raw(): AnyDriver {
    return this.#driver;
  }

  /** True when the manifest declares the capability. */
  supports(capability: Capability): boolean {
    return this.#declared.has(capability);
  }

  async checkSetup(opts: CallOptions = {}): Promise<C.CheckSetupResult> {
    return this.#call('checkSetup', {}, opts, () => undefined);
  }

  async getStats(args: WithoutSignal<C.GetStatsArgs>, opts: CallOptions = {}): Promise<C.GetStatsResult> {
    return this.#call('getStats', args, opts, (r: C.GetStatsResult) => {
      this.#checkSchema('backend-stats', r?.stats, 'getStats', 'stats');
      const { total_capacity_gb: total, free_capacity_gb: free } = r.stats;
      if (typeof total === 'number' && typeof free === 'number' && free > total + 1e-9) {
        throw this.#violation('getStats', `free_capacity_gb (${free}) exceeds total_capacity_gb (${total})`);
      }
    });
  }

  async createVolume(args: WithoutSignal<C.CreateVolumeArgs>, opts: CallOptions = {}): Promise<C.CreateVolumeResult> {
    this.#checkVolume(args.volume);
    return this.#call('createVolume', args, opts, (r) => this.#checkCreateResult('createVolume', r));
  }

  async deleteVolume(args: WithoutSignal<C.DeleteVolumeArgs>, opts: CallOptions = {}): Promise<C.DeleteVolumeResult> {
    this.#checkVolume(args.volume);
    return this.#call('deleteVolume', args, opts, () => undefined);
  }

  async extendVolume(args: WithoutSignal<C.ExtendVolumeArgs>, opts: CallOptions = {}): Promise<C.ExtendVolumeResult> {
    this.#checkVolume(args.volume);
    assertValidSize(args.newSizeGiB, 'newSizeGiB');
    if (args.newSizeGiB < args.volume.sizeGiB) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink volume ${args.volume.id} from ${args.volume.sizeGiB} to ${args.newSizeGiB} GiB` } });
    }
    return this.#call('extendVolume', args, opts, () => undefined);
  }

  async initializeConnection(args: WithoutSignal<C.InitializeConnectionArgs>, opts: CallOptions = {}): Promise<C.InitializeConnectionResult> {
    this.#checkVolume(args.volume);
    this.#checkConnector(args.connector);
    return this.#call('initializeConnection', args, opts, (r: C.InitializeConnectionResult) => {
      this.#checkSchema('connection-info', r?.connectionInfo, 'initializeConnection', 'connectionInfo');
      const type = r.connectionInfo.driver_volume_type;
      if (!this.manifest.protocols.includes(type)) {
        throw this.#violation('initializeConnection', `returned protocol "${type}" not declared in manifest.protocols`);
      }
    });
  }

  async terminateConnection(args: WithoutSignal<C.TerminateConnectionArgs>, opts: CallOptions = {}): Promise<C.TerminateConnectionResult> {
    this.#checkVolume(args.volume);
    if (args.connector !== undefined) this.#checkConnector(args.connector);
    return this.#call('terminateConnection', args, opts, () => undefined);
  }

  async createSnapshot(args: WithoutSignal<C.CreateSnapshotArgs>, opts: CallOptions = {}): Promise<C.CreateSnapshotResult> {
    this.#checkVolume(args.volume);
    this.#checkSnapshot(args.snapshot);
    return this.#call('createSnapshot', args, opts, (r) => this.#checkCreateResult('createSnapshot', r));
  }

  async deleteSnapshot(args: WithoutSignal<C.DeleteSnapshotArgs>, opts: CallOptions = {}): Promise<C.DeleteSnapshotResult> {
    this.#checkSnapshot(args.snapshot);
    return this.#call('deleteSnapshot', args, opts, () => undefined);
  }

  async createVolumeFromSnapshot(args: WithoutSignal<C.CreateVolumeFromSnapshotArgs>, opts: CallOptions = {}): Promise<C.CreateVolumeResult> {
    this.#checkVolume(args.volume);
    this.#checkSnapshot(args.snapshot);
    if (args.volume.sizeGiB < args.snapshot.sizeGiB) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume size ${args.volume.sizeGiB} GiB is smaller than snapshot size ${args.snapshot.sizeGiB} GiB` } });
    }
    return this.#call('createVolumeFromSnapshot', args, opts, (r) => this.#checkCreateResult('createVolumeFromSnapshot', r));
  }

  async createClonedVolume(args: WithoutSignal<C.CreateClonedVolumeArgs>, opts: CallOptions = {}): Promise<C.CreateVolumeResult> {
    this.#checkVolume(args.volume);
    this.#checkVolume(args.source);
    if (args.volume.sizeGiB < args.source.sizeGiB) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `clone size ${args.volume.sizeGiB} GiB is smaller than source size ${args.source.sizeGiB} GiB` } });
    }
    return this.#call('createClonedVolume', args, opts, (r) => this.#checkCreateResult('createClonedVolume', r));
  }

  async revertToSnapshot(args: WithoutSignal<C.RevertToSnapshotArgs>, opts: CallOptions = {}): Promise<C.RevertToSnapshotResult> {
    this.#checkVolume(args.volume);
    this.#checkSnapshot(args.snapshot);
    return this.#call('revertToSnapshot', args, opts, () => undefined);
  }

  async manageExistingGetSize(args: WithoutSignal<C.ManageExistingGetSizeArgs>, opts: CallOptions = {}): Promise<C.ManageExistingGetSizeResult> {
    return this.#call('manageExistingGetSize', args, opts, (r: C.ManageExistingGetSizeResult) => {
      if (!Number.isInteger(r?.sizeGiB) || r.sizeGiB < 1) throw this.#violation('manageExistingGetSize', `sizeGiB must be a whole number ≥ 1, got ${String(r?.sizeGiB)}`);
    });
  }

  async manageExisting(args: WithoutSignal<C.ManageExistingArgs>, opts: CallOptions = {}): Promise<C.ManageExistingResult> {
    this.#checkVolume(args.volume);
    return this.#call('manageExisting', args, opts, (r) => this.#checkCreateResult('manageExisting', r));
  }

  async unmanage(args: WithoutSignal<C.UnmanageArgs>, opts: CallOptions = {}): Promise<C.UnmanageResult> {
    this.#checkVolume(args.volume);
    return this.#call('unmanage', args, opts, () => undefined);
  }

  async listManageableVolumes(args: WithoutSignal<C.ListManageableVolumesArgs>, opts: CallOptions = {}): Promise<C.ListManageableVolumesResult> {
    return this.#call('listManageableVolumes', args, opts, (r: C.ListManageableVolumesResult) => {
      if (!Array.isArray(r?.volumes)) throw this.#violation('listManageableVolumes', 'volumes must be an array');
    });
  }

  async createGroup(args: WithoutSignal<C.CreateGroupArgs>, opts: CallOptions = {}): Promise<C.GroupResult> {
    assertValidResourceId(args.group.id, 'group.id');
    return this.#call('createGroup', args, opts, () => undefined);
  }

  async deleteGroup(args: WithoutSignal<C.DeleteGroupArgs>, opts: CallOptions = {}): Promise<C.GroupResult> {
    assertValidResourceId(args.group.id, 'group.id');
    return this.#call('deleteGroup', args, opts, () => undefined);
  }

  async updateGroup(args: WithoutSignal<C.UpdateGroupArgs>, opts: CallOptions = {}): Promise<C.GroupResult> {
    assertValidResourceId(args.group.id, 'group.id');
    return this.#call('updateGroup', args, opts, () => undefined);
  }

  async createGroupSnapshot(args: WithoutSignal<C.CreateGroupSnapshotArgs>, opts: CallOptions = {}): Promise<C.GroupResult> {
    assertValidResourceId(args.groupSnapshotId, 'groupSnapshotId');
    return this.#call('createGroupSnapshot', args, opts, () => undefined);
  }

  async deleteGroupSnapshot(args: WithoutSignal<C.DeleteGroupSnapshotArgs>, opts: CallOptions = {}): Promise<C.GroupResult> {
    assertValidResourceId(args.groupSnapshotId, 'groupSnapshotId');
    return this.#call('deleteGroupSnapshot', args, opts, () => undefined);
  }

  async failover(args: WithoutSignal<C.FailoverArgs>, opts: CallOptions = {}): Promise<C.FailoverResult> {
    return this.#call('failover', args, opts, (r: C.FailoverResult) => {
      if (typeof r?.activeBackendId !== 'string' || !Array.isArray(r.volumeUpdates)) throw this.#violation('failover', 'result needs activeBackendId and volumeUpdates');
    });
  }

  async failoverCompleted(args: WithoutSignal<C.FailoverCompletedArgs>, opts: CallOptions = {}): Promise<C.FailoverCompletedResult> {
    return this.#call('failoverCompleted', args, opts, () => undefined);
  }

  async retype(args: WithoutSignal<C.RetypeArgs>, opts: CallOptions = {}): Promise<C.RetypeResult> {
    this.#checkVolume(args.volume);
    return this.#call('retype', args, opts, (r: C.RetypeResult) => {
      if (typeof r?.retyped !== 'boolean') throw this.#violation('retype', 'result needs a boolean "retyped"');
    });
  }

  async migrateVolume(args: WithoutSignal<C.MigrateVolumeArgs>, opts: CallOptions = {}): Promise<C.MigrateVolumeResult> {
    this.#checkVolume(args.volume);
    return this.#call('migrateVolume', args, opts, (r: C.MigrateVolumeResult) => {
      if (typeof r?.moved !== 'boolean') throw this.#violation('migrateVolume', 'result needs a boolean "moved"');
    });
  }

  /** Releases the driver's resources; safe to call when the driver has no `close`. */
  async close(opts: CallOptions = {}): Promise<void> {
    if (typeof this.#driver.close === 'function') await this.#call('close', {}, opts, () => undefined);
  }

  async #call<R>(method: string, args: object, opts: CallOptions, checkResult: (r: R) => void): Promise<R> {
    const capability = capabilityOfMethod(method);
    if (capability && !this.#declared.has(capability)) {
      throw new AshlarError('NOT_SUPPORTED', { details: { operation: method, driver: this.manifest.name, capability } });
    }
    const fn = (this.#driver as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') {
      // Load-time checks make this unreachable for declared capabilities; keep the coded error anyway.
      throw new AshlarError('NOT_SUPPORTED', { details: { operation: method, driver: this.manifest.name } });
    }
    const timeoutMs = opts.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    let abortListener: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      abortListener = () =>
        reject(
          timeout.aborted
            ? new AshlarError('TIMEOUT', { details: { operation: method, ms: timeoutMs } })
            : new AshlarError('ABORTED', { details: { operation: method } }),
        );
      if (signal.aborted) abortListener();
      else signal.addEventListener('abort', abortListener, { once: true });
    });
    try {
      const result = (await Promise.race([(fn as (a: object) => Promise<R>).call(this.#driver, { ...args, signal }), aborted])) as R;
      checkResult(result);
      this.#logger.debug({ driver: this.manifest.name, method, ms: Math.round(performance.now() - started) }, 'driver call');
      return result;
    } catch (err) {
      const coded = isAshlarError(err)
        ? err
        : this.#violation(method, `threw an uncoded error: ${err instanceof Error ? err.message : String(err)}`, err);
      this.#logger.info({ driver: this.manifest.name, method, code: coded.code, ms: Math.round(performance.now() - started) }, 'driver call failed');
      throw coded;
    } finally {
      if (abortListener) signal.removeEventListener('abort', abortListener);
    }
  }

  #checkVolume(volume: DriverVolume): void {
    if (!volume || typeof volume !== 'object') throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'volume is required' } });
    assertValidResourceId(volume.id, 'volume.id');
    assertValidSize(volume.sizeGiB, 'volume.sizeGiB');
    this.#checkInput('volume', volume, 'volume');
  }

  #checkSnapshot(snapshot: DriverSnapshot): void {
    if (!snapshot || typeof snapshot !== 'object') throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'snapshot is required' } });
    assertValidResourceId(snapshot.id, 'snapshot.id');
    assertValidResourceId(snapshot.volumeId, 'snapshot.volumeId');
    this.#checkInput('snapshot', snapshot, 'snapshot');
  }

  #checkConnector(connector: ConnectorProperties): void {
    this.#checkInput('connector', connector, 'connector');
  }

  #checkInput(schema: string, value: unknown, name: string): void {
    const validate = coreValidator(schema);
    if (!validate(value)) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: formatSchemaErrors(validate.errors, name).join('; ') } });
    }
  }

  #checkSchema(schema: string, value: unknown, method: string, name: string): void {
    const validate = coreValidator(schema);
    if (!validate(value)) throw this.#violation(method, formatSchemaErrors(validate.errors, name).join('; '));
  }

  #checkCreateResult(method: string, r: C.CreateVolumeResult | undefined): void {
    if (r === undefined || r === null || typeof r !== 'object') throw this.#violation(method, 'must return a result object');
    if (r.providerLocation !== undefined && typeof r.providerLocation !== 'string') throw this.#violation(method, 'providerLocation must be a string');
  }

  #violation(method: string, reason: string, cause?: unknown): AshlarError {
    return new AshlarError('DRIVER_CONTRACT_VIOLATION', { details: { driver: this.manifest.name, operation: method, reason }, cause });
  }
}

/** Methods a declared capability requires that the instance lacks (load-time check). */
export function missingCapabilityMethods(driver: object, capabilities: readonly Capability[]): string[] {
  const missing: string[] = [];
  for (const cap of capabilities) {
    for (const m of CAPABILITY_METHODS[cap]) {
      if (typeof (driver as Record<string, unknown>)[m] !== 'function') missing.push(`${cap}.${m}`);
    }
  }
  return missing;
}

/** Optional methods the instance has although their capability is not declared. */
export function undeclaredCapabilityMethods(driver: object, capabilities: readonly Capability[]): string[] {
  const declared = new Set(capabilities);
  const extra: string[] = [];
  for (const [cap, methods] of Object.entries(CAPABILITY_METHODS) as [Capability, readonly string[]][]) {
    if (declared.has(cap)) continue;
    for (const m of methods) if (typeof (driver as Record<string, unknown>)[m] === 'function') extra.push(`${cap}.${m}`);
  }
  return extra;
}
