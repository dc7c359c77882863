import type { Logger } from 'pino';
import type * as C from '../../core/contract/index.js';
import { assertValidSize } from '../../core/contract/names.js';
import { AshlarError, hasErrorCode } from '../../core/errors/index.js';
import type { Executor } from '../../core/executor/executor.js';
import { DataPath } from './data-path.js';
import { LvmCommands, type VgListing } from './lvm-commands.js';
import { lvmFailure } from './lvm-errors.js';
import { lvmManifest, type LvmDriverCapabilities, type LvmDriverConfig } from './manifest.js';
import { isVolumeLike, manageableEntry, notManageableReason } from './manageable.js';
import { assertLvName, lvNameProblem, SNAPSHOT_PREFIX, snapshotLvName, unmanagedLvName, VOLUME_PREFIX, volumeLvName } from './names.js';
import { isCowSnapshot, type LvInfo } from './report.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** lvm2 reports a merge it could not start now (origin open) with these words. */
/**
 * The signal of clean-up commands run after a failure or an abort: the caller's signal may
 * be aborted already, and a wall-clock signal of its own would cut them short on a slow
 * host. Each command is still bounded by the executor's own (named) time limit.
 */
const CLEANUP = new AbortController().signal;
const DEFERRED_MERGE = /next activation|Delaying merge|merge.*deferred/i;

/**
 * Volumes as logical volumes of one volume group, thick or thin (Cinder's `lvm_type`).
 * All state is LVM's own (LV names, origins, sizes), so a new instance sees exactly what
 * the last one left. Every command goes through the executor given in the context; the
 * driver never knows which host its transport reaches.
 */
export class LvmDriver implements C.DriverWith<LvmDriverCapabilities> {
  readonly #config: LvmDriverConfig;
  readonly #cmds: LvmCommands;
  readonly #data: DataPath;
  readonly #executor: Executor;
  readonly #logger: Logger;
  readonly #backendName: string;
  readonly #thin: boolean;
  readonly #pool: string;

  constructor(context: C.DriverContext<LvmDriverConfig>) {
    const config = context.config;
    this.#config = config;
    this.#backendName = context.backendName;
    this.#logger = context.logger;
    this.#executor = context.executor;
    this.#thin = config.lvmType === 'thin';
    this.#pool = config.thinPoolName ?? `${config.volumeGroup}-pool`;
    for (const [key, name] of [['volumeGroup', config.volumeGroup], ['thinPoolName', this.#pool]] as const) {
      const problem = lvNameProblem(name);
      if (problem) throw new AshlarError('CONFIG_INVALID', { details: { reason: `[${context.backendName}] ${key} "${name}" ${problem}` } });
    }
    this.#cmds = new LvmCommands(context.executor, config.volumeGroup);
    this.#data = new DataPath(this.#cmds, config.copyTimeoutSecondsPerGiB);
  }

  async checkSetup({ signal }: C.CheckSetupArgs): Promise<C.CheckSetupResult> {
    const vg = await this.#cmds.vgInfo(signal);
    if (!this.#thin) return {};
    const pool = await this.#cmds.lv(this.#pool, signal);
    if (pool === undefined) {
      // As Cinder does: a thin backend creates its pool on first start.
      this.#logger.info({ pool: this.#pool, percentOfFree: this.#config.thinPoolSizePercent, vgFreeBytes: vg.freeBytes }, 'creating thin pool');
      const argv = ['lvcreate', '--type', 'thin-pool', '-l', `${this.#config.thinPoolSizePercent}%FREE`, '-n', this.#pool, '--yes', this.#cmds.vg];
      await this.#cmds.run(argv, { id: this.#pool }, signal);
    } else if (pool.kind !== 'thin-pool') {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `[${this.#backendName}] ${this.#cmds.path(this.#pool)} exists but is a ${pool.kind} LV, not a thin pool` } });
    }
    return {};
  }

  async getStats({ signal }: C.GetStatsArgs): Promise<C.GetStatsResult> {
    const listing = await this.#cmds.list(signal);
    const vg = listing.vg ?? (await this.#cmds.vgInfo(signal));
    const volumes = listing.lvs.filter((lv) => lv.name.startsWith(VOLUME_PREFIX));
    const volumeBytes = volumes.reduce((sum, lv) => sum + lv.sizeBytes, 0);
    let total: number;
    let free: number;
    let provisioned: number;
    const extra: Record<string, unknown> = {};
    if (this.#thin) {
      const pool = this.#poolOf(listing);
      const used = (pool.sizeBytes * (pool.dataPercent ?? 0)) / 100;
      total = pool.sizeBytes;
      free = pool.sizeBytes - used;
      // What lvm2 itself sums for its over-provisioning warning: every thin LV of the pool.
      provisioned = listing.lvs.filter((lv) => lv.pool === this.#pool).reduce((sum, lv) => sum + lv.sizeBytes, 0);
      extra.thin_pool_name = this.#pool;
      extra.thin_pool_data_percent = pool.dataPercent ?? 0;
      extra.vg_free_capacity_gb = floor2(vg.freeBytes / GiB);
    } else {
      total = vg.sizeBytes;
      free = vg.freeBytes;
      provisioned = vg.sizeBytes - vg.freeBytes;
    }
    return {
      stats: {
        volume_backend_name: this.#backendName,
        vendor_name: lvmManifest.vendor,
        driver_version: lvmManifest.version,
        storage_protocol: 'host_device',
        total_capacity_gb: floor2(total / GiB),
        free_capacity_gb: Math.min(floor2(free / GiB), floor2(total / GiB)),
        provisioned_capacity_gb: floor2(provisioned / GiB),
        allocated_capacity_gb: floor2(volumeBytes / GiB),
        reserved_percentage: this.#config.reservedPercentage,
        max_over_subscription_ratio: this.#thin ? this.#config.maxOverSubscriptionRatio : 1,
        thin_provisioning_support: this.#thin,
        thick_provisioning_support: !this.#thin,
        multiattach: true,
        // Thick origins with snapshots can only grow while inactive, so only thin is online.
        online_extend_support: this.#thin,
        QoS_support: false,
        location_info: `lvm:${this.#executor.transport.description}:${this.#cmds.vg}:${this.#config.lvmType}`,
        total_volumes: volumes.length,
        ...extra,
      },
    };
  }

  async createVolume({ volume, signal }: C.CreateVolumeArgs): Promise<C.CreateVolumeResult> {
    const name = volumeLvName(volume.id);
    assertValidSize(volume.sizeGiB);
    const ctx = { id: volume.id, exists: 'VOLUME_EXISTS' } as const;
    if (this.#thin) {
      this.#checkThinRoom(await this.#cmds.list(signal), volume.sizeGiB * GiB);
      await this.#cmds.run(['lvcreate', '--type', 'thin', '-V', `${volume.sizeGiB}g`, '--thinpool', this.#pool, '-n', name, this.#cmds.vg], ctx, signal);
    } else {
      await this.#cmds.run(['lvcreate', '-L', `${volume.sizeGiB}g`, '-n', name, '--yes', this.#cmds.vg], ctx, signal);
    }
    return { providerLocation: this.#cmds.device(name) };
  }

  async deleteVolume({ volume, signal }: C.DeleteVolumeArgs): Promise<C.DeleteVolumeResult> {
    const name = volumeLvName(volume.id);
    const listing = await this.#cmds.list(signal);
    const lv = find(listing, name);
    if (lv === undefined) return {};
    // Thick: lvremove would take every CoW snapshot with the origin. Thin snapshots would
    // survive, but the manifest states one rule for both modes (deleteVolumeWithSnapshots: busy).
    const snapshots = listing.lvs.filter((s) => s.origin === name && (s.name.startsWith(SNAPSHOT_PREFIX) || isCowSnapshot(s)));
    if (snapshots.length > 0) {
      throw new AshlarError('VOLUME_BUSY', { details: { id: volume.id, reason: `it has ${snapshots.length} snapshot(s): ${snapshots.map((s) => s.name).join(', ')}` } });
    }
    if (lv.open) throw new AshlarError('VOLUME_BUSY', { details: { id: volume.id, reason: `${this.#cmds.device(name)} is open on the storage host` } });
    if (this.#clears(lv)) await this.#data.zero(this.#cmds.device(name), 0, this.#clearBytes(lv.sizeBytes), volume.id, signal);
    await this.#remove(name, volume.id, 'VOLUME_BUSY', signal);
    return {};
  }

  async extendVolume({ volume, newSizeGiB, signal }: C.ExtendVolumeArgs): Promise<C.ExtendVolumeResult> {
    const name = volumeLvName(volume.id);
    assertValidSize(newSizeGiB, 'newSizeGiB');
    if (this.#thin) {
      const listing = await this.#cmds.list(signal);
      const lv = find(listing, name);
      if (lv === undefined) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volume.id } });
      if (newSizeGiB * GiB === lv.sizeBytes) return {};
      if (newSizeGiB * GiB < lv.sizeBytes) throw shrinkError(volume.id, lv.sizeBytes, newSizeGiB);
      this.#checkThinRoom(listing, newSizeGiB * GiB - lv.sizeBytes);
      await this.#lvextend(name, newSizeGiB, volume.id, signal);
      return {};
    }
    // Thick: try directly (one command); only an origin with CoW snapshots needs more.
    try {
      await this.#lvextend(name, newSizeGiB, volume.id, signal);
    } catch (err) {
      if (!hasErrorCode(err, 'VOLUME_BUSY') || !/only while inactive/.test(String((err as AshlarError).details.reason))) throw err;
      await this.#extendInactive(name, newSizeGiB, volume.id, signal);
    }
    return {};
  }

  async initializeConnection({ volume, signal }: C.InitializeConnectionArgs): Promise<C.InitializeConnectionResult> {
    const name = volumeLvName(volume.id);
    const lv = await this.#cmds.lv(name, signal);
    if (lv === undefined) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volume.id } });
    // -K: also LVs flagged to skip activation (thin snapshots made by other tools).
    if (!lv.active) await this.#cmds.run(['lvchange', '-ay', '-K', this.#cmds.path(name)], { id: volume.id, missing: 'VOLUME_NOT_FOUND' }, signal);
    return {
      connectionInfo: {
        driver_volume_type: 'host_device',
        data: { device_path: this.#cmds.device(name), transport: this.#executor.transport.description, access_mode: 'rw', volume_id: volume.id },
      },
    };
  }

  async terminateConnection({ volume }: C.TerminateConnectionArgs): Promise<C.TerminateConnectionResult> {
    // Nothing is exported per host: the device stays on the storage host. Validate anyway.
    volumeLvName(volume.id);
    return {};
  }

  async createSnapshot({ snapshot, volume, signal }: C.CreateSnapshotArgs): Promise<C.CreateSnapshotResult> {
    const name = snapshotLvName(snapshot.id);
    await this.#snapshot(volumeLvName(volume.id), name, volume.id, snapshot.id, signal);
    return { providerLocation: this.#cmds.device(name) };
  }

  async deleteSnapshot({ snapshot, signal }: C.DeleteSnapshotArgs): Promise<C.DeleteSnapshotResult> {
    const name = snapshotLvName(snapshot.id);
    if (!this.#thin && this.#config.volumeClear === 'zero') {
      const lv = await this.#cmds.lv(name, signal);
      if (lv === undefined) return {};
      if (lv.open) throw new AshlarError('SNAPSHOT_BUSY', { details: { id: snapshot.id, reason: `${this.#cmds.device(name)} is open on the storage host` } });
      // The CoW area holds the origin's old chunks: clear it as Cinder does (the -cow dm device).
      if (lv.active && isCowSnapshot(lv)) await this.#data.zero(`/dev/mapper/${dmName(this.#cmds.vg, name)}-cow`, 0, this.#clearBytes(lv.sizeBytes), snapshot.id, signal);
      else this.#logger.warn({ snapshot: name }, 'snapshot is not active: its CoW area is removed without clearing');
    }
    await this.#remove(name, snapshot.id, 'SNAPSHOT_BUSY', signal);
    return {};
  }

  async createVolumeFromSnapshot({ volume, snapshot, signal }: C.CreateVolumeFromSnapshotArgs): Promise<C.CreateVolumeResult> {
    const target = volumeLvName(volume.id);
    const source = snapshotLvName(snapshot.id);
    assertValidSize(volume.sizeGiB);
    const listing = await this.#cmds.list(signal);
    const snap = find(listing, source);
    if (snap === undefined) throw new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } });
    return this.#createFrom(listing, target, volume, source, this.#snapshotBytes(snap, snapshot.sizeGiB), { code: 'SNAPSHOT_NOT_FOUND', id: snapshot.id }, signal);
  }

  async createClonedVolume({ volume, source, signal }: C.CreateClonedVolumeArgs): Promise<C.CreateVolumeResult> {
    const target = volumeLvName(volume.id);
    const from = volumeLvName(source.id);
    assertValidSize(volume.sizeGiB);
    const listing = await this.#cmds.list(signal);
    const lv = find(listing, from);
    if (lv === undefined) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: source.id } });
    return this.#createFrom(listing, target, volume, from, lv.sizeBytes, { code: 'VOLUME_NOT_FOUND', id: source.id }, signal);
  }

  async revertToSnapshot({ volume, snapshot, signal }: C.RevertToSnapshotArgs): Promise<C.RevertToSnapshotResult> {
    const name = volumeLvName(volume.id);
    const snapName = snapshotLvName(snapshot.id);
    const listing = await this.#cmds.list(signal);
    const lv = find(listing, name);
    if (lv === undefined) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volume.id } });
    const snap = find(listing, snapName);
    if (snap === undefined) throw new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } });
    if (snap.origin !== name) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `snapshot ${snapshot.id} is a snapshot of ${snap.origin || 'a deleted volume'}, not of volume ${volume.id}` } });
    }
    // An open origin would only merge at its next activation: refuse rather than defer.
    if (lv.open || snap.open) throw new AshlarError('VOLUME_BUSY', { details: { id: volume.id, reason: 'the volume or the snapshot is open on the storage host; lvm2 can only merge closed LVs' } });
    const snapBytes = this.#thin ? snap.sizeBytes : (snap.originSizeBytes ?? lv.sizeBytes);
    // lvconvert --merge consumes the snapshot; the contract keeps it, so it is re-created
    // from the reverted volume right after (its data is then identical to the merged one).
    const merge = await this.#cmds.run(['lvconvert', '--merge', this.#cmds.path(snapName)], { id: snapshot.id, missing: 'SNAPSHOT_NOT_FOUND', busy: 'VOLUME_BUSY' }, signal, {
      timeoutMs: 60_000 + Math.ceil((snapBytes / GiB) * this.#config.copyTimeoutSecondsPerGiB * 1000),
      budget: '60 s + copyTimeoutSecondsPerGiB per GiB of snapshot (merge)',
    });
    if (DEFERRED_MERGE.test(merge.stdout.toString('utf8') + merge.stderr.toString('utf8'))) {
      // Something opened the volume between the report and the merge: finish it now.
      await this.#cmds.run(['lvchange', '-an', this.#cmds.path(name)], { id: volume.id, busy: 'VOLUME_BUSY' }, signal);
      await this.#cmds.run(['lvchange', '-ay', this.#cmds.path(name)], { id: volume.id }, signal);
    }
    if (this.#thin) {
      // A thin merge gives the volume the snapshot's size: snapshot first, then grow back
      // (the regrown tail is unprovisioned and reads as zeros).
      await this.#snapshot(name, snapName, volume.id, snapshot.id, signal);
      if (lv.sizeBytes > snapBytes) await this.#lvextend(name, lv.sizeBytes / GiB, volume.id, signal);
    } else {
      // A CoW merge keeps the volume's size; what lies past the snapshot was written later.
      if (lv.sizeBytes > snapBytes) await this.#data.zero(this.#cmds.device(name), snapBytes, lv.sizeBytes - snapBytes, volume.id, signal);
      await this.#snapshot(name, snapName, volume.id, snapshot.id, signal);
    }
    return {};
  }

  async manageExistingGetSize({ existingRef, signal }: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    const lv = await this.#manageTarget(existingRef, signal);
    return { sizeGiB: Math.max(1, Math.ceil(lv.sizeBytes / GiB)) };
  }

  async manageExisting({ volume, existingRef, signal }: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    const target = volumeLvName(volume.id);
    const lv = await this.#manageTarget(existingRef, signal);
    // Cinder sizes are whole GiB: grow the LV so its size is exact.
    if (lv.sizeBytes < volume.sizeGiB * GiB) await this.#lvextend(lv.name, volume.sizeGiB, volume.id, signal);
    await this.#cmds.run(['lvrename', this.#cmds.vg, lv.name, target], { id: volume.id, exists: 'VOLUME_EXISTS', missing: 'VOLUME_NOT_FOUND' }, signal);
    return { providerLocation: this.#cmds.device(target) };
  }

  async unmanage({ volume, signal }: C.UnmanageArgs): Promise<C.UnmanageResult> {
    const name = volumeLvName(volume.id);
    try {
      await this.#cmds.run(['lvrename', this.#cmds.vg, name, unmanagedLvName(volume.id)], { id: volume.id, missing: 'VOLUME_NOT_FOUND', exists: 'VOLUME_EXISTS' }, signal);
    } catch (err) {
      if (!hasErrorCode(err, 'VOLUME_NOT_FOUND')) throw err;
    }
    return {};
  }

  async listManageableVolumes({ marker, limit, signal }: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    const kind = { thin: this.#thin, pool: this.#pool };
    const listing = await this.#cmds.list(signal);
    const candidates = listing.lvs
      .filter((lv) => isVolumeLike(lv, kind) && (marker === undefined || lv.name > marker))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { volumes: candidates.slice(0, limit ?? candidates.length).map((lv) => manageableEntry(lv, kind)) };
  }

  /**
   * Creates `target` holding the first `sourceBytes` of `source` (a volume or snapshot LV).
   * A source deleted meanwhile (a racing delete) fails with `missing`, never a raw error.
   */
  async #createFrom(
    listing: VgListing,
    target: string,
    volume: C.DriverVolume,
    source: string,
    sourceBytes: number,
    missing: { readonly code: 'VOLUME_NOT_FOUND' | 'SNAPSHOT_NOT_FOUND'; readonly id: string },
    signal: AbortSignal,
  ): Promise<C.CreateVolumeResult> {
    if (volume.sizeGiB * GiB < sourceBytes) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume size ${volume.sizeGiB} GiB is smaller than its source (${sourceBytes / GiB} GiB)` } });
    }
    if (find(listing, target)) throw new AshlarError('VOLUME_EXISTS', { details: { id: volume.id } });
    const sourceGone = (err: unknown): AshlarError => new AshlarError(missing.code, { details: { id: missing.id, reason: 'deleted while the copy was being made' }, cause: err });
    if (this.#thin) {
      this.#checkThinRoom(listing, volume.sizeGiB * GiB);
      // A thin snapshot shares blocks with its source yet is fully independent of it.
      await this.#cmds.run(['lvcreate', '-s', '-kn', '-n', target, this.#cmds.path(source)], { id: volume.id, exists: 'VOLUME_EXISTS', missing: missing.code }, signal).catch((err: unknown) => {
        throw hasErrorCode(err, missing.code) ? sourceGone(err) : err;
      });
      if (volume.sizeGiB * GiB > sourceBytes) await this.#undoOnFailure(target, volume.id, () => this.#lvextend(target, volume.sizeGiB, volume.id, signal));
    } else {
      await this.#cmds.run(['lvcreate', '-L', `${volume.sizeGiB}g`, '-n', target, '--yes', this.#cmds.vg], { id: volume.id, exists: 'VOLUME_EXISTS' }, signal);
      await this.#undoOnFailure(target, volume.id, async () => {
        try {
          await this.#data.copy(this.#cmds.device(source), this.#cmds.device(target), sourceBytes, volume.id, signal);
        } catch (err) {
          if ((await this.#cmds.lv(source, CLEANUP).catch(() => 'unknown')) === undefined) throw sourceGone(err);
          throw err;
        }
      });
    }
    return { providerLocation: this.#cmds.device(target) };
  }

  async #snapshot(origin: string, name: string, volumeId: string, snapshotId: string, signal: AbortSignal): Promise<void> {
    const ctx = { id: snapshotId, exists: 'SNAPSHOT_EXISTS', missing: 'VOLUME_NOT_FOUND' } as const;
    const argv = this.#thin
      ? ['lvcreate', '-s', '-kn', '-n', name, this.#cmds.path(origin)]
      : ['lvcreate', '-s', '-l', `${this.#config.snapshotSizePercent}%ORIGIN`, '-n', name, this.#cmds.path(origin)];
    try {
      await this.#cmds.run(argv, ctx, signal);
    } catch (err) {
      // "not found" names the origin here; keep the volume id in the details.
      if (hasErrorCode(err, 'VOLUME_NOT_FOUND')) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volumeId }, cause: err });
      throw err;
    }
  }

  async #lvextend(name: string, sizeGiB: number, id: string, signal: AbortSignal): Promise<void> {
    const argv = ['lvextend', '-L', `${sizeGiB}g`, this.#cmds.path(name)];
    const result = await this.#executor.run(argv, { signal });
    if (result.exitCode === 0) return;
    const stderr = result.stderr.toString('utf8');
    // Extending to the current size is a successful no-op in the contract.
    if (/matches existing size/.test(stderr)) return;
    const err = lvmFailure(result, { argv, id, missing: 'VOLUME_NOT_FOUND', busy: 'VOLUME_BUSY' });
    if (err.code === 'INVALID_ARGUMENT') throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink volume ${id} to ${sizeGiB} GiB (${String(err.details.reason)})` } });
    throw err;
  }

  /** lvm2 resizes a CoW snapshot origin only while inactive (its snapshots go down with it). */
  async #extendInactive(name: string, sizeGiB: number, id: string, signal: AbortSignal): Promise<void> {
    const path = this.#cmds.path(name);
    await this.#cmds.run(['lvchange', '-an', path], { id, busy: 'VOLUME_BUSY', missing: 'VOLUME_NOT_FOUND' }, signal).catch((err: unknown) => {
      if (hasErrorCode(err, 'VOLUME_BUSY')) {
        throw new AshlarError('VOLUME_BUSY', { details: { id, reason: 'it has classic snapshots, so lvm2 can only extend it while inactive, and it (or a snapshot) is open' }, cause: err });
      }
      throw err;
    });
    try {
      await this.#lvextend(name, sizeGiB, id, signal);
    } finally {
      // Reactivate even after a failure (or an abort) so the volume stays usable.
      await this.#cmds.run(['lvchange', '-ay', path], { id }, CLEANUP);
    }
  }

  async #remove(name: string, id: string, busy: 'VOLUME_BUSY' | 'SNAPSHOT_BUSY', signal: AbortSignal): Promise<void> {
    try {
      await this.#cmds.run(['lvremove', '-y', this.#cmds.path(name)], { id, missing: 'VOLUME_NOT_FOUND', busy }, signal);
    } catch (err) {
      if (!hasErrorCode(err, 'VOLUME_NOT_FOUND')) throw err;
    }
  }

  /** Runs `work`; when it fails, removes the half-made `lv` so no partial volume stays. */
  async #undoOnFailure(lv: string, id: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      await this.#remove(lv, id, 'VOLUME_BUSY', CLEANUP).catch((cleanup: unknown) => {
        this.#logger.error({ lv, err: String(cleanup) }, 'could not remove a partially created volume');
      });
      throw err;
    }
  }

  #poolOf(listing: VgListing): LvInfo {
    const pool = find(listing, this.#pool);
    if (pool === undefined) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `thin pool ${this.#cmds.path(this.#pool)} does not exist` } });
    return pool;
  }

  /** Thin volumes may provision up to maxOverSubscriptionRatio × the pool size. */
  #checkThinRoom(listing: VgListing, addBytes: number): void {
    const pool = this.#poolOf(listing);
    const provisioned = listing.lvs.filter((lv) => lv.pool === this.#pool).reduce((sum, lv) => sum + lv.sizeBytes, 0);
    const limit = pool.sizeBytes * this.#config.maxOverSubscriptionRatio;
    if (provisioned + addBytes > limit) {
      throw new AshlarError('INSUFFICIENT_CAPACITY', {
        details: {
          reason: `${(addBytes / GiB).toFixed(2)} GiB more would provision ${((provisioned + addBytes) / GiB).toFixed(2)} GiB in thin pool ${this.#pool}, over ${(limit / GiB).toFixed(2)} GiB (${this.#config.maxOverSubscriptionRatio} × ${(pool.sizeBytes / GiB).toFixed(2)} GiB)`,
        },
      });
    }
  }

  /** The bytes a snapshot shows: a CoW snapshot's LV size is its CoW area, not its view. */
  #snapshotBytes(snap: LvInfo, recordedGiB: number): number {
    const view = this.#thin || !isCowSnapshot(snap) ? snap.sizeBytes : (snap.originSizeBytes ?? snap.sizeBytes);
    // After a revert re-created it, a thick snapshot spans the (larger) volume; the tail
    // reads as zeros, and the snapshot the caller knows is its recorded size.
    return Math.min(view, recordedGiB * GiB);
  }

  #clears(lv: LvInfo): boolean {
    return this.#config.volumeClear === 'zero' && lv.kind !== 'thin';
  }

  #clearBytes(sizeBytes: number): number {
    const limit = this.#config.volumeClearSizeMiB * MiB;
    return limit > 0 ? Math.min(limit, sizeBytes) : sizeBytes;
  }

  async #manageTarget(ref: C.ExistingReference, signal: AbortSignal): Promise<LvInfo> {
    const name = ref['source-name'];
    if (typeof name !== 'string') throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'existing reference needs "source-name" (an LV name in the volume group)' } });
    assertLvName(name, 'source-name');
    const lv = await this.#cmds.lv(name, signal);
    const kind = { thin: this.#thin, pool: this.#pool };
    if (lv === undefined || !isVolumeLike(lv, kind)) throw new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: name } });
    const reason = notManageableReason(lv, kind);
    if (reason === 'already managed') throw new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: `${name} (already managed)` } });
    if (reason !== undefined) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `LV ${name} cannot be managed: ${reason}` } });
    return lv;
  }
}

function find(listing: VgListing, name: string): LvInfo | undefined {
  return listing.lvs.find((lv) => lv.name === name);
}

function shrinkError(id: string, currentBytes: number, newSizeGiB: number): AshlarError {
  return new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink volume ${id} from ${currentBytes / GiB} to ${newSizeGiB} GiB` } });
}

/** device-mapper's name of an LV: `vg-lv` with each '-' inside a name doubled. */
function dmName(vg: string, lv: string): string {
  return `${vg.replaceAll('-', '--')}-${lv.replaceAll('-', '--')}`;
}

function floor2(n: number): number {
  return Math.max(0, Math.floor(n * 100) / 100);
}
