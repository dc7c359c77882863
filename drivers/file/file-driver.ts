import { type FileHandle, link, mkdir, open, readdir, readFile, rename, rm, stat, statfs, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type * as C from '../../core/contract/index.js';
import { assertValidResourceId, assertValidSize } from '../../core/contract/names.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Executor } from '../../core/executor/executor.js';
import { ImageCopier, type CopyMethod } from './copy.js';
import { FileLayout } from './layout.js';
import { fileManifest, type FileDriverConfig } from './manifest.js';
import { ProvisionedLedger } from './provisioned-ledger.js';

const GiB = 1024 ** 3;
/** How long a measured filesystem size is reused by the capacity check. */
const FS_SIZE_TTL_MS = 5_000;

/** Sidecar record of a snapshot; the image file itself is the source of truth for existence. */
interface SnapshotRecord {
  readonly volumeId: string;
  readonly sizeGiB: number;
}

/**
 * Volumes as sparse files. All state lives on disk (files and small JSON sidecars written
 * atomically), so a new instance on the same directory sees exactly what the last one left.
 */
export class FileDriver implements C.DriverWith<typeof fileManifest.capabilities[number]> {
  readonly #config: FileDriverConfig;
  readonly #layout: FileLayout;
  readonly #copier: ImageCopier;
  readonly #logger: Logger;
  readonly #backendName: string;
  #ledger: Promise<ProvisionedLedger> | undefined;
  #fsSize: { gib: number; at: number } | undefined;

  constructor(context: C.DriverContext<FileDriverConfig>) {
    this.#config = context.config;
    if (!path.isAbsolute(context.config.directory)) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `[${context.backendName}] directory must be an absolute path, got "${context.config.directory}"` } });
    }
    this.#layout = new FileLayout(context.config.directory);
    this.#copier = new ImageCopier(context.config.reflink, context.executor);
    this.#logger = context.logger;
    this.#backendName = context.backendName;
  }

  /** How snapshots and clones were copied so far (`reflink` or `sparse-copy`). */
  get copyMethod(): CopyMethod | undefined {
    return this.#copier.method;
  }

  async checkSetup(_args: C.CheckSetupArgs): Promise<C.CheckSetupResult> {
    try {
      for (const dir of [this.#layout.volumesDir, this.#layout.snapshotsDir, this.#layout.tmpDir]) await mkdir(dir, { recursive: true });
      // Leftovers of copies interrupted by a crash: never visible as volumes, safe to drop.
      for (const name of await readdir(this.#layout.tmpDir)) await rm(path.join(this.#layout.tmpDir, name), { force: true });
    } catch (err) {
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `cannot use directory ${this.#layout.root}: ${(err as Error).message}` }, cause: err });
    }
    return {};
  }

  async getStats(_args: C.GetStatsArgs): Promise<C.GetStatsResult> {
    const fs = await statfs(this.#layout.root).catch((err: Error) => {
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: err.message }, cause: err });
    });
    const fsTotal = (fs.blocks * fs.bsize) / GiB;
    const fsFree = (fs.bavail * fs.bsize) / GiB;
    const { provisionedGiB, usedGiB } = await this.#usage();
    const total = this.#config.capacityGiB ?? fsTotal;
    const free = this.#config.capacityGiB === undefined ? fsFree : Math.max(0, Math.min(fsFree, total - usedGiB));
    const round = (n: number): number => Math.floor(n * 100) / 100;
    return {
      stats: {
        volume_backend_name: this.#backendName,
        vendor_name: fileManifest.vendor,
        driver_version: fileManifest.version,
        storage_protocol: 'local',
        total_capacity_gb: round(total),
        free_capacity_gb: Math.min(round(free), round(total)),
        provisioned_capacity_gb: provisionedGiB,
        allocated_capacity_gb: provisionedGiB,
        reserved_percentage: this.#config.reservedPercentage,
        max_over_subscription_ratio: this.#config.maxOverSubscriptionRatio,
        thin_provisioning_support: true,
        thick_provisioning_support: false,
        multiattach: true,
        online_extend_support: true,
        QoS_support: false,
        location_info: `file:${this.#layout.root}`,
      },
    };
  }

  async createVolume({ volume }: C.CreateVolumeArgs): Promise<C.CreateVolumeResult> {
    const target = this.#layout.volume(volume.id);
    assertValidSize(volume.sizeGiB);
    const undo = await this.#claim(volume.id, volume.sizeGiB * GiB);
    const tmp = this.#layout.temp(`create-${volume.id}`);
    await this.#undoOnFailure(undo, () =>
      this.#withTemp(tmp, async () => {
        // One handle for create + size: three file operations instead of six.
        const fh = await open(tmp, 'wx');
        try {
          await this.#resize(fh, volume.sizeGiB);
        } finally {
          await fh.close();
        }
        await this.#publish(tmp, target, 'VOLUME_EXISTS', volume.id);
      }),
    );
    return { providerLocation: target };
  }

  async deleteVolume({ volume }: C.DeleteVolumeArgs): Promise<C.DeleteVolumeResult> {
    const file = this.#layout.volume(volume.id);
    const ledger = await this.#provisioned();
    await rm(file, { force: true });
    ledger.delete(volume.id);
    return {};
  }

  async extendVolume({ volume, newSizeGiB }: C.ExtendVolumeArgs): Promise<C.ExtendVolumeResult> {
    const file = this.#layout.volume(volume.id);
    assertValidSize(newSizeGiB, 'newSizeGiB');
    const current = await this.#sizeOf(file, 'VOLUME_NOT_FOUND', volume.id);
    if (newSizeGiB * GiB < current) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink volume ${volume.id} from ${current / GiB} to ${newSizeGiB} GiB` } });
    }
    if (newSizeGiB * GiB === current) return {};
    const undo = await this.#claim(volume.id, newSizeGiB * GiB, current);
    await this.#undoOnFailure(undo, () => this.#resize(file, newSizeGiB));
    return {};
  }

  async initializeConnection({ volume }: C.InitializeConnectionArgs): Promise<C.InitializeConnectionResult> {
    const file = this.#layout.volume(volume.id);
    await this.#sizeOf(file, 'VOLUME_NOT_FOUND', volume.id);
    return { connectionInfo: { driver_volume_type: 'local', data: { device_path: file, access_mode: 'rw' } } };
  }

  async terminateConnection({ volume }: C.TerminateConnectionArgs): Promise<C.TerminateConnectionResult> {
    // A local file needs no export to revoke; validating the id keeps hostile names out.
    assertValidResourceId(volume.id, 'volume id');
    return {};
  }

  async createSnapshot({ snapshot, volume, signal }: C.CreateSnapshotArgs): Promise<C.CreateSnapshotResult> {
    const source = this.#layout.volume(volume.id);
    const target = this.#layout.snapshot(snapshot.id);
    const sizeBytes = await this.#sizeOf(source, 'VOLUME_NOT_FOUND', volume.id);
    if (await exists(target)) throw new AshlarError('SNAPSHOT_EXISTS', { details: { id: snapshot.id } });
    const record: SnapshotRecord = { volumeId: volume.id, sizeGiB: Math.ceil(sizeBytes / GiB) };
    const tmp = this.#layout.temp(`snap-${snapshot.id}`);
    await this.#withTemp(tmp, async () => {
      await this.#copier.copy(source, tmp, signal);
      await writeJsonAtomic(this.#layout.snapshotMeta(snapshot.id), record, this.#layout.temp('meta'));
      await this.#publish(tmp, target, 'SNAPSHOT_EXISTS', snapshot.id);
    });
    return { providerLocation: target };
  }

  async deleteSnapshot({ snapshot }: C.DeleteSnapshotArgs): Promise<C.DeleteSnapshotResult> {
    await rm(this.#layout.snapshot(snapshot.id), { force: true });
    await rm(this.#layout.snapshotMeta(snapshot.id), { force: true });
    return {};
  }

  async createVolumeFromSnapshot({ volume, snapshot, signal }: C.CreateVolumeFromSnapshotArgs): Promise<C.CreateVolumeResult> {
    const source = this.#layout.snapshot(snapshot.id);
    const sourceBytes = await this.#sizeOf(source, 'SNAPSHOT_NOT_FOUND', snapshot.id);
    return this.#createFromImage(volume, source, sourceBytes, signal, { code: 'SNAPSHOT_NOT_FOUND', id: snapshot.id });
  }

  async createClonedVolume({ volume, source, signal }: C.CreateClonedVolumeArgs): Promise<C.CreateVolumeResult> {
    const file = this.#layout.volume(source.id);
    const sourceBytes = await this.#sizeOf(file, 'VOLUME_NOT_FOUND', source.id);
    return this.#createFromImage(volume, file, sourceBytes, signal, { code: 'VOLUME_NOT_FOUND', id: source.id });
  }

  async revertToSnapshot({ volume, snapshot, signal }: C.RevertToSnapshotArgs): Promise<C.RevertToSnapshotResult> {
    const file = this.#layout.volume(volume.id);
    const image = this.#layout.snapshot(snapshot.id);
    const volumeBytes = await this.#sizeOf(file, 'VOLUME_NOT_FOUND', volume.id);
    await this.#sizeOf(image, 'SNAPSHOT_NOT_FOUND', snapshot.id);
    const record = await this.#snapshotRecord(snapshot.id);
    if (record && record.volumeId !== volume.id) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `snapshot ${snapshot.id} belongs to volume ${record.volumeId}, not ${volume.id}` } });
    }
    const ledger = await this.#provisioned();
    const tmp = this.#layout.temp(`revert-${volume.id}`);
    await this.#withTemp(tmp, async () => {
      await this.#copier.copy(image, tmp, signal);
      const snapBytes = (await stat(tmp)).size;
      if (snapBytes < volumeBytes) await truncate(tmp, volumeBytes);
      // rename replaces the volume atomically: a crash leaves either the old or the new data.
      await rename(tmp, file);
      ledger.set(volume.id, Math.max(snapBytes, volumeBytes));
    });
    return {};
  }

  async manageExistingGetSize({ existingRef }: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    const file = this.#layout.manageable(sourceName(existingRef));
    const bytes = await this.#sizeOf(file, 'MANAGE_TARGET_NOT_FOUND', sourceName(existingRef));
    return { sizeGiB: Math.max(1, Math.ceil(bytes / GiB)) };
  }

  async manageExisting({ volume, existingRef }: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    const file = this.#layout.manageable(sourceName(existingRef));
    const target = this.#layout.volume(volume.id);
    const bytes = await this.#sizeOf(file, 'MANAGE_TARGET_NOT_FOUND', sourceName(existingRef));
    const ledger = await this.#provisioned();
    // Cinder sizes are whole GiB: grow the tail (as zeros) so the size is exact.
    if (bytes < volume.sizeGiB * GiB) await truncate(file, volume.sizeGiB * GiB);
    await this.#publish(file, target, 'VOLUME_EXISTS', volume.id);
    ledger.set(volume.id, Math.max(bytes, volume.sizeGiB * GiB));
    return { providerLocation: target };
  }

  async unmanage({ volume }: C.UnmanageArgs): Promise<C.UnmanageResult> {
    const file = this.#layout.volume(volume.id);
    const target = this.#layout.manageable(`unmanaged-${volume.id}.img`);
    const ledger = await this.#provisioned();
    try {
      await rename(file, target);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    ledger.delete(volume.id);
    return {};
  }

  async listManageableVolumes({ marker, limit }: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    const names = (await readdir(this.#layout.volumesDir)).sort();
    const volumes: C.ManageableVolume[] = [];
    for (const name of names) {
      if (marker !== undefined && name <= marker) continue;
      const st = await stat(path.join(this.#layout.volumesDir, name)).catch(() => undefined);
      if (!st?.isFile()) continue;
      const id = FileLayout.volumeIdOf(name);
      const sizeGiB = Math.max(1, Math.ceil(st.size / GiB));
      volumes.push(
        id !== undefined
          ? { reference: { 'source-name': name }, sizeGiB, safeToManage: false, reasonNotSafe: 'already managed', cinderId: id }
          : { reference: { 'source-name': name }, sizeGiB, safeToManage: true },
      );
      if (limit !== undefined && volumes.length >= limit) break;
    }
    return { volumes };
  }

  async #createFromImage(
    volume: C.DriverVolume,
    source: string,
    sourceBytes: number,
    signal: AbortSignal,
    ifSourceVanishes: { code: 'VOLUME_NOT_FOUND' | 'SNAPSHOT_NOT_FOUND'; id: string },
  ): Promise<C.CreateVolumeResult> {
    const target = this.#layout.volume(volume.id);
    assertValidSize(volume.sizeGiB);
    if (volume.sizeGiB * GiB < sourceBytes) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume size ${volume.sizeGiB} GiB is smaller than its source (${sourceBytes / GiB} GiB)` } });
    }
    if (await exists(target)) throw new AshlarError('VOLUME_EXISTS', { details: { id: volume.id } });
    const undo = await this.#claim(volume.id, volume.sizeGiB * GiB);
    const tmp = this.#layout.temp(`copy-${volume.id}`);
    await this.#undoOnFailure(undo, () =>
      this.#withTemp(tmp, async () => {
        try {
          await this.#copier.copy(source, tmp, signal);
        } catch (err) {
          // The source was deleted between the existence check and the copy: say so with
          // its code rather than leaking ENOENT or a cp failure.
          if (!(await exists(source))) throw new AshlarError(ifSourceVanishes.code, { details: { id: ifSourceVanishes.id }, cause: err });
          throw err;
        }
        if (volume.sizeGiB * GiB > sourceBytes) await this.#resize(tmp, volume.sizeGiB);
        await this.#publish(tmp, target, 'VOLUME_EXISTS', volume.id);
      }),
    );
    return { providerLocation: target };
  }

  /** Links a finished temp file into place without ever replacing an existing one. */
  async #publish(tmp: string, target: string, existsCode: 'VOLUME_EXISTS' | 'SNAPSHOT_EXISTS', id: string): Promise<void> {
    try {
      await link(tmp, target);
    } catch (err) {
      if ((err as { code?: string }).code === 'EEXIST') throw new AshlarError(existsCode, { details: { id } });
      throw err;
    }
    await unlink(tmp);
  }

  /** Runs `work`, which publishes `tmp` (and so removes it); on failure removes what is left. */
  async #withTemp(tmp: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async #resize(file: string | FileHandle, sizeGiB: number): Promise<void> {
    try {
      if (typeof file === 'string') await truncate(file, sizeGiB * GiB);
      else await file.truncate(sizeGiB * GiB);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EFBIG' || code === 'ENOSPC' || code === 'EINVAL') {
        throw new AshlarError('INSUFFICIENT_CAPACITY', { details: { reason: `${sizeGiB} GiB does not fit on ${this.#layout.root} (${code})` }, cause: err });
      }
      throw err;
    }
  }

  async #sizeOf(file: string, missing: 'VOLUME_NOT_FOUND' | 'SNAPSHOT_NOT_FOUND' | 'MANAGE_TARGET_NOT_FOUND', id: string): Promise<number> {
    try {
      const st = await stat(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return st.size;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') {
        throw new AshlarError(missing, { details: missing === 'MANAGE_TARGET_NOT_FOUND' ? { reference: id } : { id } });
      }
      throw err;
    }
  }

  async #snapshotRecord(id: string): Promise<SnapshotRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.#layout.snapshotMeta(id), 'utf8')) as SnapshotRecord;
    } catch {
      return undefined;
    }
  }

  async #usage(): Promise<{ provisionedGiB: number; usedGiB: number }> {
    let provisioned = 0;
    let used = 0;
    for (const dir of [this.#layout.volumesDir, this.#layout.snapshotsDir]) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.img')) continue;
        const st = await stat(path.join(dir, name)).catch(() => undefined);
        if (!st) continue;
        if (dir === this.#layout.volumesDir && FileLayout.volumeIdOf(name) !== undefined) provisioned += st.size;
        used += st.blocks * 512;
      }
    }
    return { provisionedGiB: Math.ceil(provisioned / GiB), usedGiB: used / GiB };
  }

  /** The ledger of provisioned sizes, built from disk by this instance's first use. */
  #provisioned(): Promise<ProvisionedLedger> {
    this.#ledger ??= ProvisionedLedger.scan(this.#layout.volumesDir).catch((err: unknown) => {
      this.#ledger = undefined;
      throw err;
    });
    return this.#ledger;
  }

  /**
   * Checks that volume `id` may be provisioned at `bytes` (from `currentBytes` on disk, or
   * nothing) under the over-subscription limit, and records it at once: no await separates
   * the check from the record, so concurrent creates cannot both take the last room.
   * Returns the undo for a failed operation.
   */
  async #claim(id: string, bytes: number, currentBytes?: number): Promise<() => void> {
    const ledger = await this.#provisioned();
    const fsTotal = this.#config.capacityGiB === undefined ? await this.#filesystemGiB() : undefined;
    const total = this.#config.capacityGiB ?? fsTotal!;
    if (currentBytes !== undefined) ledger.set(id, currentBytes);
    const before = ledger.get(id);
    const addGiB = (bytes - (before ?? 0)) / GiB;
    const provisionedGiB = Math.ceil(ledger.totalBytes / GiB);
    const limit = total * this.#config.maxOverSubscriptionRatio;
    if (provisionedGiB + addGiB > limit) {
      throw new AshlarError('INSUFFICIENT_CAPACITY', {
        // Sizes below 1 GiB are common on test filesystems: shown with two decimals, never as "0 GiB".
        details: { reason: `${gib(addGiB)} GiB more would provision ${gib(provisionedGiB + addGiB)} GiB, over the limit of ${gib(limit)} GiB (maxOverSubscriptionRatio ${this.#config.maxOverSubscriptionRatio} × capacity ${gib(total)} GiB)` },
      });
    }
    ledger.set(id, bytes);
    this.#logger.trace({ addGiB, provisionedGiB }, 'capacity ok');
    return () => (before === undefined ? ledger.delete(id) : ledger.set(id, before));
  }

  /**
   * Size of the filesystem under the directory. It changes only when an operator grows the
   * filesystem, so one `statfs` serves for a few seconds instead of one per create.
   */
  async #filesystemGiB(): Promise<number> {
    const t = performance.now();
    if (this.#fsSize === undefined || t - this.#fsSize.at > FS_SIZE_TTL_MS) {
      const fs = await statfs(this.#layout.root);
      this.#fsSize = { gib: (fs.blocks * fs.bsize) / GiB, at: t };
    }
    return this.#fsSize.gib;
  }

  async #undoOnFailure(undo: () => void, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      undo();
      throw err;
    }
  }
}

function sourceName(ref: Readonly<Record<string, string>>): string {
  const name = ref['source-name'];
  if (typeof name !== 'string') throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'existing reference needs "source-name"' } });
  return name;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function writeJsonAtomic(file: string, value: unknown, tmp: string): Promise<void> {
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(JSON.stringify(value));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/** A GiB figure for a message: whole numbers as they are, others with two decimals. */
function gib(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
