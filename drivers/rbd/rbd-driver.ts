import type { Logger } from 'pino';
import type * as C from '../../core/contract/index.js';
import { assertValidResourceId, assertValidSize } from '../../core/contract/names.js';
import { AshlarError, hasErrorCode } from '../../core/errors/ashlar-error.js';
import { CephCli } from './ceph-cli.js';
import { CloneChain } from './clone-chain.js';
import { Errno, mapFailure } from './errno.js';
import { RbdManager } from './manage.js';
import { rbdManifest, type RbdDriverCapabilities, type RbdDriverConfig } from './manifest.js';
import { monitorAddresses, type MonDump, type MonitorAddress } from './monitors.js';
import { CLONE_SNAPSHOT_PREFIX, SNAPSHOT_PREFIX, cloneSnapshotName, snapshotName, spec, volumeImage } from './names.js';
import type { RbdImageInfo, RbdListEntry, RbdSnapshotEntry } from './rbd-json.js';

const GiB = 1024 ** 3;
/** How long monitor addresses are reused before `ceph mon dump` is asked again. */
const MON_CACHE_MS = 60_000;

/** The subset of `ceph df --format json` the driver reads. */
interface CephDf {
  readonly pools: readonly { readonly name: string; readonly stats: { readonly stored?: number; readonly bytes_used?: number; readonly max_avail: number } }[];
}

/**
 * Volumes as Ceph RBD images, managed through the rbd and ceph CLIs.
 *
 * @remarks Stateless: every fact (images, snapshots, parent links, the trash) lives in
 * Ceph, so any number of instances on any hosts may serve one pool at once (active-active).
 * Each step is either a single atomic rbd operation or safe to repeat, and a crash between
 * steps leaves only things a later call tidies (a `clone-*` snapshot removed by the next
 * delete, a trashed image purged by the next setup sweep).
 */
export class RbdDriver implements C.DriverWith<RbdDriverCapabilities> {
  readonly #config: RbdDriverConfig;
  readonly #cli: CephCli;
  readonly #chain: CloneChain;
  readonly #manager: RbdManager;
  readonly #logger: Logger;
  readonly #backendName: string;
  #monitors: { readonly at: number; readonly dump: MonDump } | undefined;

  constructor(context: C.DriverContext<RbdDriverConfig>) {
    this.#config = context.config;
    this.#cli = new CephCli(context.executor, context.config);
    this.#logger = context.logger;
    this.#chain = new CloneChain(this.#cli, context.logger);
    this.#manager = new RbdManager(this.#cli, context.config.pool);
    this.#backendName = context.backendName;
  }

  get #pool(): string {
    return this.#config.pool;
  }

  async checkSetup({ signal }: C.CheckSetupArgs): Promise<C.CheckSetupResult> {
    try {
      // Proves the pool exists and the caps suffice, and purges what a crash left trashed.
      const purged = await this.#chain.sweep(this.#pool, signal);
      if (purged > 0) this.#logger.info({ purged }, 'purged trashed volume images left by earlier deletes');
      await this.#monDump(signal, true);
    } catch (err) {
      if (hasErrorCode(err, 'CONFIG_INVALID')) {
        throw new AshlarError('CONFIG_INVALID', { details: { reason: `[${this.#backendName}] pool "${this.#pool}" does not exist or is not an RBD pool` }, cause: err });
      }
      throw err;
    }
    return {};
  }

  async getStats({ signal }: C.GetStatsArgs): Promise<C.GetStatsResult> {
    // `ceph df` lags writes by a few seconds (the mgr aggregates OSD reports); provisioned
    // capacity comes from the image list, which is exact at once.
    const [df, images, mons] = await Promise.all([
      this.#cli.cephJson<CephDf>(['df'], signal, { id: this.#pool }),
      this.#cli.rbdJson<RbdListEntry[] | null>(['ls', '-l', this.#pool], signal, { id: this.#pool, notFound: 'CONFIG_INVALID' }),
      this.#monDump(signal, false),
    ]);
    const pool = df.pools.find((p) => p.name === this.#pool);
    if (pool === undefined) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `[${this.#backendName}] pool "${this.#pool}" is not in ceph df` } });
    }
    const round = (bytes: number): number => Math.floor((bytes / GiB) * 100) / 100;
    const stored = pool.stats.stored ?? pool.stats.bytes_used ?? 0;
    const total = round(stored + pool.stats.max_avail);
    const provisioned = (images ?? []).filter((e) => e.snapshot === undefined).reduce((sum, e) => sum + e.size, 0);
    return {
      stats: {
        volume_backend_name: this.#backendName,
        vendor_name: rbdManifest.vendor,
        driver_version: rbdManifest.version,
        storage_protocol: 'ceph',
        total_capacity_gb: total,
        free_capacity_gb: Math.min(round(pool.stats.max_avail), total),
        allocated_capacity_gb: round(stored),
        provisioned_capacity_gb: Math.ceil(provisioned / GiB),
        reserved_percentage: this.#config.reservedPercentage,
        max_over_subscription_ratio: this.#config.maxOverSubscriptionRatio,
        thin_provisioning_support: true,
        thick_provisioning_support: false,
        multiattach: true,
        online_extend_support: true,
        QoS_support: false,
        location_info: `rbd:${mons.fsid}:${this.#pool}`,
      },
    };
  }

  async createVolume({ volume, signal }: C.CreateVolumeArgs): Promise<C.CreateVolumeResult> {
    const image = volumeImage(volume.id);
    assertValidSize(volume.sizeGiB);
    await this.#cli.rbdOk(['create', '--size', `${volume.sizeGiB}G`, ...this.#features(volume), spec(this.#pool, image)], signal, {
      id: volume.id,
      exists: 'VOLUME_EXISTS',
      notFound: 'CONFIG_INVALID',
    }).catch((err: unknown) => {
      // The id and size are valid by now, so EINVAL means librbd's own size limit (with
      // object-map, 2^28 - 1 objects: just under 1 PiB at 4 MiB objects).
      if (hasErrorCode(err, 'INVALID_ARGUMENT')) throw tooLarge(volume.sizeGiB, err);
      throw err;
    });
    return { providerLocation: spec(this.#pool, image) };
  }

  async deleteVolume({ volume, signal }: C.DeleteVolumeArgs): Promise<C.DeleteVolumeResult> {
    const image = volumeImage(volume.id);
    const info = await this.#infoOrUndefined(image, signal);
    if (info === undefined) return {};
    // snapshot_count includes trash-namespace snapshots; zero spares the snap ls.
    if ((info.snapshot_count ?? 1) > 0) await this.#dropCloneSnapshots(image, volume.id, signal);
    if (this.#config.flattenOnDelete) await this.#flattenChildren(image, signal);
    const rm = await this.#cli.rbd(['rm', '--no-progress', spec(this.#pool, image)], signal);
    if (rm.exitCode === Errno.ENOTEMPTY) {
      // Only clone snapshots in the trash namespace pin it now (user snapshots were refused
      // above): park the image in the trash; the last clone to go purges it.
      const mv = await this.#cli.rbd(['trash', 'mv', spec(this.#pool, image)], signal);
      if (mv.exitCode !== 0 && mv.exitCode !== Errno.ENOENT) {
        throw mapFailure('rbd trash mv', mv, { id: volume.id, busy: 'VOLUME_BUSY', busyReason: 'the image is open (watched) by a client' });
      }
      // Its clones may all have gone between the rm and the mv; then it (and maybe its own
      // trashed parents) can go now.
      await this.#chain.purgeAncestors({ pool: this.#pool, image, id: info.id, snapshot: '', trash: true, overlap: 0 }, signal);
      return {};
    }
    if (rm.exitCode !== 0 && rm.exitCode !== Errno.ENOENT) {
      throw mapFailure('rbd rm', rm, { id: volume.id, busy: 'VOLUME_BUSY', busyReason: 'the image is open (watched) by a client' });
    }
    await this.#chain.purgeAncestors(info.parent, signal);
    return {};
  }

  async extendVolume({ volume, newSizeGiB, signal }: C.ExtendVolumeArgs): Promise<C.ExtendVolumeResult> {
    const image = volumeImage(volume.id);
    assertValidSize(newSizeGiB, 'newSizeGiB');
    const target = newSizeGiB * GiB;
    const result = await this.#cli.rbd(['resize', '--no-progress', '--size', `${newSizeGiB}G`, spec(this.#pool, image)], signal);
    if (result.exitCode === 0) return {};
    if (result.exitCode !== Errno.EINVAL) throw mapFailure('rbd resize', result, { id: volume.id, notFound: 'VOLUME_NOT_FOUND' });
    // rbd answers EINVAL both for "same size" (a no-op for us) and for a shrink.
    const info = await this.#info(image, volume.id, signal);
    if (target < info.size) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink volume ${volume.id} from ${info.size / GiB} to ${newSizeGiB} GiB` } });
    }
    if (target !== info.size) throw tooLarge(newSizeGiB, mapFailure('rbd resize', result, { id: volume.id }));
    return {};
  }

  async initializeConnection({ volume, signal }: C.InitializeConnectionArgs): Promise<C.InitializeConnectionResult> {
    const image = volumeImage(volume.id);
    await this.#info(image, volume.id, signal);
    const [first, ...rest] = monitorAddresses(await this.#monDump(signal, false));
    if (first === undefined) throw new AshlarError('BACKEND_ERROR', { details: { reason: 'ceph mon dump lists no monitor address' } });
    return { connectionInfo: this.#connectionInfo(volume, image, [first, ...rest]) };
  }

  async terminateConnection({ volume }: C.TerminateConnectionArgs): Promise<C.TerminateConnectionResult> {
    // RBD access is granted per cephx user, not per attachment: nothing to revoke.
    assertValidResourceId(volume.id, 'volume id');
    return {};
  }

  async createSnapshot({ snapshot, volume, signal }: C.CreateSnapshotArgs): Promise<C.CreateSnapshotResult> {
    const image = volumeImage(volume.id);
    const snap = snapshotName(snapshot.id);
    await this.#cli.rbdOk(['snap', 'create', '--no-progress', spec(this.#pool, image, snap)], signal, {
      id: snapshot.id,
      exists: 'SNAPSHOT_EXISTS',
      notFound: 'VOLUME_NOT_FOUND',
    }).catch((err: unknown) => {
      // The not-found id is the volume's, not the snapshot's.
      if (hasErrorCode(err, 'VOLUME_NOT_FOUND')) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volume.id } });
      throw err;
    });
    return { providerLocation: spec(this.#pool, image, snap) };
  }

  async deleteSnapshot({ snapshot, signal }: C.DeleteSnapshotArgs): Promise<C.DeleteSnapshotResult> {
    const target = spec(this.#pool, volumeImage(snapshot.volumeId), snapshotName(snapshot.id));
    // With clone format 2 a snapshot that has clones moves to the trash namespace and
    // disappears with its last clone, so this never fails as busy for our own clones.
    const result = await this.#cli.rbd(['snap', 'rm', '--no-progress', target], signal);
    if (result.exitCode !== 0 && result.exitCode !== Errno.ENOENT) {
      throw mapFailure('rbd snap rm', result, { id: snapshot.id, busy: 'SNAPSHOT_BUSY', busyReason: 'it is protected' });
    }
    return {};
  }

  async createVolumeFromSnapshot({ volume, snapshot, signal }: C.CreateVolumeFromSnapshotArgs): Promise<C.CreateVolumeResult> {
    const target = volumeImage(volume.id);
    const sourceImage = volumeImage(snapshot.volumeId);
    const snap = snapshotName(snapshot.id);
    assertValidSize(volume.sizeGiB);
    // `rbd info image@snap` reports the snapshot's size and the image's parent in one call.
    const source = await this.#cli.rbdJson<RbdImageInfo>(['info', spec(this.#pool, sourceImage, snap)], signal, { id: snapshot.id, notFound: 'SNAPSHOT_NOT_FOUND' });
    this.#checkFits(volume, source.size);
    await this.#clone(sourceImage, snap, target, volume, signal);
    await this.#finishClone(volume, target, source, signal);
    return { providerLocation: spec(this.#pool, target) };
  }

  async createClonedVolume({ volume, source, signal }: C.CreateClonedVolumeArgs): Promise<C.CreateVolumeResult> {
    const target = volumeImage(volume.id);
    const sourceImage = volumeImage(source.id);
    assertValidSize(volume.sizeGiB);
    const info = await this.#info(sourceImage, source.id, signal);
    this.#checkFits(volume, info.size);
    const snap = cloneSnapshotName(volume.id);
    await this.#createCloneSnapshot(sourceImage, snap, source.id, signal);
    try {
      await this.#clone(sourceImage, snap, target, volume, signal);
    } finally {
      // After a successful clone this only moves the snapshot to the trash namespace, where
      // it lives exactly as long as the clone depends on it.
      const rm = await this.#cli.rbd(['snap', 'rm', '--no-progress', spec(this.#pool, sourceImage, snap)], signal);
      if (rm.exitCode === Errno.ENOENT) {
        // The source was deleted (moved to the trash) under us, taking our snapshot along:
        // purge it now if nothing else needs it, or it would wait for the next setup sweep.
        await this.#chain.sweep(this.#pool, signal).catch((err: unknown) => this.#logger.warn({ err }, 'trash sweep after a raced clone failed'));
      } else if (rm.exitCode !== 0) {
        this.#logger.warn({ image: sourceImage, snap, exitCode: rm.exitCode }, 'could not remove clone snapshot; the next delete of the source removes it');
      }
    }
    await this.#finishClone(volume, target, info, signal);
    return { providerLocation: spec(this.#pool, target) };
  }

  async revertToSnapshot({ volume, snapshot, signal }: C.RevertToSnapshotArgs): Promise<C.RevertToSnapshotResult> {
    const image = volumeImage(volume.id);
    const snap = snapshotName(snapshot.id);
    if (snapshot.volumeId !== volume.id) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `snapshot ${snapshot.id} belongs to volume ${snapshot.volumeId}, not ${volume.id}` } });
    }
    // ENOENT here means the volume or the snapshot is missing; either code is allowed.
    const snapInfo = await this.#cli.rbdJson<RbdImageInfo>(['info', spec(this.#pool, image, snap)], signal, { id: snapshot.id, notFound: 'SNAPSHOT_NOT_FOUND' });
    await this.#cli.rbdOk(['snap', 'rollback', '--no-progress', spec(this.#pool, image, snap)], signal, { id: snapshot.id, notFound: 'SNAPSHOT_NOT_FOUND' });
    // Rollback also restores the snapshot's size; the contract keeps the volume's size.
    if (snapInfo.size < volume.sizeGiB * GiB) await this.#resize(image, volume.id, volume.sizeGiB, signal);
    return {};
  }

  manageExistingGetSize(args: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    return this.#manager.getSize(args);
  }

  manageExisting(args: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    return this.#manager.manage(args);
  }

  unmanage(args: C.UnmanageArgs): Promise<C.UnmanageResult> {
    return this.#manager.unmanage(args);
  }

  listManageableVolumes(args: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    return this.#manager.list(args);
  }

  #connectionInfo(volume: C.DriverVolume, image: string, [first, ...rest]: readonly [MonitorAddress, ...MonitorAddress[]]): C.RbdConnectionInfo {
    return {
      driver_volume_type: 'rbd',
      data: {
        name: spec(this.#pool, image),
        hosts: [first.host, ...rest.map((m) => m.host)],
        ports: [first.port, ...rest.map((m) => m.port)],
        cluster_name: this.#config.clusterName,
        // A client id is always configured; with auth "none" the cluster simply ignores it.
        auth_enabled: true,
        auth_username: this.#config.clientId,
        secret_type: 'ceph',
        secret_uuid: null,
        volume_id: volume.id,
        access_mode: 'rw',
        discard: true,
        // Paths (never key material) so a connector on this host can authenticate.
        ...(this.#config.keyring !== undefined ? { keyring: this.#config.keyring } : {}),
        ...(this.#config.cephConf !== undefined ? { ceph_conf: this.#config.cephConf } : {}),
      },
    };
  }

  /** Image features: multiattach volumes get layering only, as concurrent writers and exclusive-lock (with object-map) fight. */
  #features(volume: C.DriverVolume): string[] {
    return volume.multiattach === true ? ['--image-feature', 'layering'] : [];
  }

  #checkFits(volume: C.DriverVolume, sourceBytes: number): void {
    if (volume.sizeGiB * GiB < sourceBytes) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume size ${volume.sizeGiB} GiB is smaller than its source (${sourceBytes / GiB} GiB)` } });
    }
  }

  async #createCloneSnapshot(image: string, snap: string, sourceId: string, signal: AbortSignal): Promise<void> {
    const create = (): Promise<unknown> =>
      this.#cli.rbdOk(['snap', 'create', '--no-progress', spec(this.#pool, image, snap)], signal, { id: sourceId, notFound: 'VOLUME_NOT_FOUND', exists: 'SNAPSHOT_EXISTS' });
    try {
      await create();
    } catch (err) {
      if (!hasErrorCode(err, 'SNAPSHOT_EXISTS')) throw err;
      // Left by a clone into the same id that crashed; its data may be stale, so retake it.
      await this.#cli.rbd(['snap', 'rm', '--no-progress', spec(this.#pool, image, snap)], signal);
      await create();
    }
  }

  async #clone(sourceImage: string, snap: string, target: string, volume: C.DriverVolume, signal: AbortSignal): Promise<void> {
    await this.#cli.rbdOk(
      ['clone', '--rbd-default-clone-format', '2', ...this.#features(volume), spec(this.#pool, sourceImage, snap), spec(this.#pool, target)],
      signal,
      { id: volume.id, exists: 'VOLUME_EXISTS', notFound: snap.startsWith(SNAPSHOT_PREFIX) ? 'SNAPSHOT_NOT_FOUND' : 'VOLUME_NOT_FOUND' },
    );
  }

  /** Grows a fresh clone to its size and flattens it when its chain would be too deep; removes it if either fails. */
  async #finishClone(volume: C.DriverVolume, target: string, source: RbdImageInfo, signal: AbortSignal): Promise<void> {
    try {
      if (volume.sizeGiB * GiB > source.size) await this.#resize(target, volume.id, volume.sizeGiB, signal);
      const depth = (await this.#chain.depth(source, this.#config.maxCloneDepth, signal)) + 1;
      if (depth > this.#config.maxCloneDepth) {
        await this.#cli.rbdOk(['flatten', '--no-progress', spec(this.#pool, target)], signal, { id: volume.id, notFound: 'VOLUME_NOT_FOUND' });
      }
    } catch (err) {
      await this.#cli.rbd(['rm', '--no-progress', spec(this.#pool, target)], AbortSignal.timeout(this.#config.commandTimeoutMs)).catch(() => undefined);
      throw err;
    }
  }

  /** Removes `clone-*` snapshots a crashed clone left; refuses (busy) when user snapshots exist. */
  async #dropCloneSnapshots(image: string, id: string, signal: AbortSignal): Promise<void> {
    const snaps = (await this.#cli.rbdJson<RbdSnapshotEntry[] | null>(['snap', 'ls', spec(this.#pool, image)], signal, { id, notFound: 'VOLUME_NOT_FOUND' }).catch((err: unknown) => {
      if (hasErrorCode(err, 'VOLUME_NOT_FOUND')) return [];
      throw err;
    })) ?? [];
    const blocking = snaps.filter((s) => !s.name.startsWith(CLONE_SNAPSHOT_PREFIX));
    if (blocking.length > 0) {
      throw new AshlarError('VOLUME_BUSY', { details: { id, reason: `it has ${blocking.length} snapshot(s): ${blocking.map((s) => s.name).slice(0, 5).join(', ')}` } });
    }
    for (const s of snaps) {
      const rm = await this.#cli.rbd(['snap', 'rm', '--no-progress', spec(this.#pool, image, s.name)], signal);
      if (rm.exitCode !== 0 && rm.exitCode !== Errno.ENOENT) throw mapFailure('rbd snap rm', rm, { id, busy: 'VOLUME_BUSY' });
    }
  }

  /** flattenOnDelete: copies the parent's data into each clone so the parent can go at once. */
  async #flattenChildren(image: string, signal: AbortSignal): Promise<void> {
    const children = (await this.#cli.rbdJson<{ pool: string; image: string; trash: boolean }[] | null>(['children', '--all', spec(this.#pool, image)], signal, { id: image })) ?? [];
    for (const child of children) {
      // A trashed child is itself waiting for its clones; the trash path handles the parent then.
      if (child.trash) continue;
      const r = await this.#cli.rbd(['flatten', '--no-progress', spec(child.pool, child.image)], signal);
      if (r.exitCode !== 0 && r.exitCode !== Errno.ENOENT) throw mapFailure('rbd flatten', r, { id: child.image });
    }
  }

  async #resize(image: string, id: string, sizeGiB: number, signal: AbortSignal): Promise<void> {
    await this.#cli.rbdOk(['resize', '--no-progress', '--size', `${sizeGiB}G`, spec(this.#pool, image)], signal, { id, notFound: 'VOLUME_NOT_FOUND' });
  }

  async #info(image: string, id: string, signal: AbortSignal): Promise<RbdImageInfo> {
    return this.#cli.rbdJson<RbdImageInfo>(['info', spec(this.#pool, image)], signal, { id, notFound: 'VOLUME_NOT_FOUND' });
  }

  async #infoOrUndefined(image: string, signal: AbortSignal): Promise<RbdImageInfo | undefined> {
    try {
      return await this.#info(image, image, signal);
    } catch (err) {
      if (hasErrorCode(err, 'VOLUME_NOT_FOUND')) return undefined;
      throw err;
    }
  }

  async #monDump(signal: AbortSignal, refresh: boolean): Promise<MonDump> {
    const cached = this.#monitors;
    if (!refresh && cached !== undefined && Date.now() - cached.at < MON_CACHE_MS) return cached.dump;
    const dump = await this.#cli.cephJson<MonDump>(['mon', 'dump'], signal, { id: 'monmap' });
    this.#monitors = { at: Date.now(), dump };
    return dump;
  }
}

/** An image size librbd refuses although the contract allows it. */
function tooLarge(sizeGiB: number, cause: unknown): AshlarError {
  return new AshlarError('INSUFFICIENT_CAPACITY', { details: { reason: `RBD cannot make an image of ${sizeGiB} GiB (librbd size limit)` }, cause });
}
