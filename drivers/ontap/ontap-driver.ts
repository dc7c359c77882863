import type { Logger } from 'pino';
import type * as C from '../../core/contract/index.js';
import { assertValidResourceId, assertValidSize } from '../../core/contract/names.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { isMissing, isOntap, mapOntapError, ONTAP } from './errors.js';
import { LunManager } from './manage.js';
import type { OntapDriverCapabilities, OntapDriverConfig } from './manifest.js';
import { lunName, lunPath, snapshotName } from './names.js';
import { SnapMirrorReplication } from './replication.js';
import { OntapRestClient } from './rest-client.js';
import { exportLun, unexportLun } from './san.js';
import { collectStats } from './stats.js';
import { SvmView, type LunInfo } from './svm-view.js';

const GiB = 1024 ** 3;

/**
 * Volumes as LUNs of an ONTAP SVM, managed only through the REST API, exported over
 * iSCSI. Snapshots are FlexVol snapshots named after the snapshot id; clones and volumes
 * from snapshots are LUN clones in the source's FlexVol; revert restores one LUN from its
 * FlexVol snapshot in place.
 *
 * @remarks Stateless: every fact lives on the cluster and names are derived from ids
 * (`volume-<id>`, `snapshot-<id>`, one igroup per initiator), so any number of instances
 * may serve one SVM at once (active-active) and a restarted instance sees everything.
 */
export class OntapDriver implements C.DriverWith<OntapDriverCapabilities> {
  readonly #config: OntapDriverConfig;
  readonly #logger: Logger;
  readonly #backendName: string;
  readonly #primary: SvmView;
  readonly #replication: SnapMirrorReplication | undefined;
  readonly #manager: LunManager;
  #active: SvmView;
  #clusterUuid = 'unknown';

  constructor(context: C.DriverContext<OntapDriverConfig>) {
    const config = context.config;
    this.#config = config;
    this.#logger = context.logger;
    this.#backendName = context.backendName;
    const timeouts = { requestTimeoutMs: config.requestTimeoutMs, jobTimeoutMs: config.jobTimeoutMs };
    this.#primary = new SvmView(new OntapRestClient(config, timeouts), config.svm, config.flexvols, config.iscsiPort);
    this.#active = this.#primary;
    const rep = config.replication;
    if (rep !== undefined) {
      const secondary = new SvmView(new OntapRestClient(rep, timeouts), rep.svm, config.flexvols, rep.iscsiPort);
      this.#replication = new SnapMirrorReplication(this.#primary, secondary, rep);
      if (config.activeBackendId === rep.backendId) this.#active = secondary;
    }
    this.#manager = new LunManager(() => this.#active);
  }

  async checkSetup({ signal }: C.CheckSetupArgs): Promise<C.CheckSetupResult> {
    const view = this.#active;
    try {
      const cluster = await view.client.get<{ uuid: string; version?: { full?: string } }>('/api/cluster', { fields: 'uuid,version' }, signal);
      this.#clusterUuid = cluster.uuid;
      for (const f of view.flexvols) await view.flexvolUuid(f, signal);
      await view.target(signal);
      this.#logger.info({ endpoint: view.client.endpoint, svm: view.svm, version: cluster.version?.full }, 'connected to ONTAP');
    } catch (err) {
      throw mapOntapError(err, `setting up ${this.#backendName}`);
    }
    if (this.#replication !== undefined && view === this.#primary) await this.#replication.ensureMirrors(signal);
    return {};
  }

  async getStats({ signal }: C.GetStatsArgs): Promise<C.GetStatsResult> {
    return { stats: await collectStats(this.#active, this.#config, this.#backendName, this.#clusterUuid, signal) };
  }

  /** The volume's LUN on the active cluster. @throws VOLUME_NOT_FOUND */
  async #lun(volumeId: string, signal: AbortSignal): Promise<LunInfo> {
    const lun = await this.#active.findLun(volumeId, signal);
    if (lun === undefined) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id: volumeId } });
    return lun;
  }

  /** The FlexVol with the most free space, for a new LUN. */
  async #placement(signal: AbortSignal): Promise<string> {
    const view = this.#active;
    const vols = await view.client.list<{ name: string; space?: { available?: number } }>('/api/storage/volumes', { 'svm.name': view.svm, name: view.flexvols, fields: 'name,space.available' }, signal).catch((e: unknown) => {
      throw mapOntapError(e, 'choosing a FlexVol');
    });
    const best = vols.sort((a, b) => (b.space?.available ?? 0) - (a.space?.available ?? 0))[0];
    if (best === undefined) throw new AshlarError('CONFIG_INVALID', { details: { reason: `none of the FlexVols ${view.flexvols.join(', ')} exists in SVM ${view.svm}` } });
    return best.name;
  }

  /** POST /api/storage/luns with the volume's name, mapping duplicate and space errors. */
  async #createLun(volume: C.DriverVolume, flexvol: string, extra: Record<string, unknown>, signal: AbortSignal, sourceGone?: () => AshlarError): Promise<C.CreateVolumeResult> {
    const view = this.#active;
    const path = lunPath(flexvol, lunName(volume.id));
    if ((await view.findLun(volume.id, signal)) !== undefined) throw new AshlarError('VOLUME_EXISTS', { details: { id: volume.id } });
    const body = {
      svm: { name: view.svm },
      name: path,
      os_type: this.#config.osType,
      space: { size: volume.sizeGiB * GiB, guarantee: { requested: this.#config.lunSpaceReservation } },
      ...extra,
    };
    try {
      await view.client.send('POST', '/api/storage/luns', {}, body, signal);
    } catch (err) {
      if (isOntap(err, ONTAP.duplicateLun)) throw new AshlarError('VOLUME_EXISTS', { details: { id: volume.id } });
      // A clone whose source went away meanwhile (a race with its delete) names the source.
      throw mapOntapError(err, `creating LUN ${path}`, sourceGone);
    }
    return { providerLocation: path };
  }

  async createVolume({ volume, signal }: C.CreateVolumeArgs): Promise<C.CreateVolumeResult> {
    assertValidResourceId(volume.id, 'volume id');
    assertValidSize(volume.sizeGiB);
    return this.#createLun(volume, await this.#placement(signal), {}, signal);
  }

  async deleteVolume({ volume, signal }: C.DeleteVolumeArgs): Promise<C.DeleteVolumeResult> {
    assertValidResourceId(volume.id, 'volume id');
    const lun = await this.#active.findLun(volume.id, signal);
    if (lun === undefined) return {};
    // FlexVol snapshots keep their own copy of the LUN, so they survive this delete.
    await this.#active.client.send('DELETE', `/api/storage/luns/${lun.uuid}`, { allow_delete_while_mapped: true }, undefined, signal).catch((err: unknown) => {
      if (!isMissing(err)) throw mapOntapError(err, `deleting ${lun.path}`);
    });
    return {};
  }

  async extendVolume({ volume, newSizeGiB, signal }: C.ExtendVolumeArgs): Promise<C.ExtendVolumeResult> {
    assertValidResourceId(volume.id, 'volume id');
    assertValidSize(newSizeGiB, 'newSizeGiB');
    const lun = await this.#lun(volume.id, signal);
    if (newSizeGiB * GiB < lun.size) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `cannot shrink ${volume.id} from ${lun.size / GiB} GiB to ${newSizeGiB} GiB` } });
    if (newSizeGiB * GiB === lun.size) return {};
    await this.#resize(lun, newSizeGiB * GiB, volume.id, signal);
    return {};
  }

  async #resize(lun: LunInfo, bytes: number, volumeId: string, signal: AbortSignal): Promise<void> {
    await this.#active.client.send('PATCH', `/api/storage/luns/${lun.uuid}`, {}, { space: { size: bytes } }, signal).catch((err: unknown) => {
      throw mapOntapError(err, `resizing ${lun.path}`, () => new AshlarError('VOLUME_NOT_FOUND', { details: { id: volumeId } }));
    });
  }

  async initializeConnection({ volume, connector, signal }: C.InitializeConnectionArgs): Promise<C.InitializeConnectionResult> {
    assertValidResourceId(volume.id, 'volume id');
    const lun = await this.#lun(volume.id, signal);
    const options = { osType: this.#config.osType, chapSecret: this.#config.chapSecret };
    return { connectionInfo: await exportLun(this.#active, lun, volume.id, connector, options, signal) };
  }

  async terminateConnection({ volume, connector, signal }: C.TerminateConnectionArgs): Promise<C.TerminateConnectionResult> {
    assertValidResourceId(volume.id, 'volume id');
    const lun = await this.#active.findLun(volume.id, signal);
    if (lun !== undefined) await unexportLun(this.#active, lun, connector, signal);
    return {};
  }

  async createSnapshot({ snapshot, volume, signal }: C.CreateSnapshotArgs): Promise<C.CreateSnapshotResult> {
    const name = snapshotName(snapshot.id);
    const lun = await this.#lun(volume.id, signal);
    const view = this.#active;
    if ((await view.findSnapshot(name, signal)) !== undefined) throw new AshlarError('SNAPSHOT_EXISTS', { details: { id: snapshot.id } });
    const flexvolUuid = await view.flexvolUuid(lun.flexvol, signal);
    await view.client.send('POST', `/api/storage/volumes/${flexvolUuid}/snapshots`, {}, { name }, signal).catch((err: unknown) => {
      if (isOntap(err, ONTAP.duplicateSnapshot)) throw new AshlarError('SNAPSHOT_EXISTS', { details: { id: snapshot.id } });
      throw mapOntapError(err, `creating snapshot ${name} of ${lun.flexvol}`);
    });
    return { providerLocation: `${lun.flexvol}@${name}` };
  }

  async deleteSnapshot({ snapshot, signal }: C.DeleteSnapshotArgs): Promise<C.DeleteSnapshotResult> {
    const view = this.#active;
    const found = await view.findSnapshot(snapshotName(snapshot.id), signal);
    if (found === undefined) return {};
    await view.client.send('DELETE', `/api/storage/volumes/${found.flexvolUuid}/snapshots/${found.uuid}`, {}, undefined, signal).catch((err: unknown) => {
      if (!isMissing(err)) throw mapOntapError(err, `deleting snapshot ${snapshot.id}`);
    });
    return {};
  }

  async createVolumeFromSnapshot({ volume, snapshot, signal }: C.CreateVolumeFromSnapshotArgs): Promise<C.CreateVolumeResult> {
    assertValidResourceId(volume.id, 'volume id');
    assertValidSize(volume.sizeGiB);
    if (volume.sizeGiB < snapshot.sizeGiB) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume ${volume.id} (${volume.sizeGiB} GiB) is smaller than snapshot ${snapshot.id} (${snapshot.sizeGiB} GiB)` } });
    const name = snapshotName(snapshot.id);
    const found = await this.#active.findSnapshot(name, signal);
    if (found === undefined) throw new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } });
    const source = `/vol/${found.flexvol}/.snapshot/${name}/${lunName(snapshot.volumeId)}`;
    return this.#createLun(volume, found.flexvol, { clone: { source: { name: source } } }, signal, () => new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } }));
  }

  async createClonedVolume({ volume, source, signal }: C.CreateClonedVolumeArgs): Promise<C.CreateVolumeResult> {
    assertValidResourceId(volume.id, 'volume id');
    assertValidSize(volume.sizeGiB);
    const src = await this.#lun(source.id, signal);
    if (volume.sizeGiB * GiB < src.size) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `clone ${volume.id} (${volume.sizeGiB} GiB) is smaller than its source ${source.id}` } });
    return this.#createLun(volume, src.flexvol, { clone: { source: { name: src.path } } }, signal, () => new AshlarError('VOLUME_NOT_FOUND', { details: { id: source.id } }));
  }

  async revertToSnapshot({ volume, snapshot, signal }: C.RevertToSnapshotArgs): Promise<C.RevertToSnapshotResult> {
    const lun = await this.#lun(volume.id, signal);
    const name = snapshotName(snapshot.id);
    const view = this.#active;
    const found = await view.findSnapshot(name, signal);
    if (found === undefined) throw new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } });
    // A FlexVol snapshot freezes every LUN of its FlexVol, this volume's too if it existed
    // then: restoring it from another volume's snapshot would silently succeed with stale data.
    if (snapshot.volumeId !== volume.id || found.flexvol !== lun.flexvol) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `snapshot ${snapshot.id} belongs to volume ${snapshot.volumeId}, not ${volume.id}` } });
    }
    const body = { vserver: view.svm, volume: lun.flexvol, snapshot: name, path: `/${lun.lun}` };
    await view.client.send('POST', '/api/private/cli/volume/snapshot/restore-file', {}, body, signal).catch((err: unknown) => {
      throw mapOntapError(err, `restoring ${lun.path} from ${name}`, () => new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id: snapshot.id } }));
    });
    // The restore brings back the snapshot's size; a volume extended since keeps its size.
    const restored = await this.#lun(volume.id, signal);
    if (restored.size < lun.size) await this.#resize(restored, lun.size, volume.id, signal);
    return {};
  }

  manageExistingGetSize(args: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    return this.#manager.getSize(args);
  }

  manageExisting(args: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    assertValidResourceId(args.volume.id, 'volume id');
    return this.#manager.manage(args);
  }

  unmanage(args: C.UnmanageArgs): Promise<C.UnmanageResult> {
    assertValidResourceId(args.volume.id, 'volume id');
    return this.#manager.unmanage(args);
  }

  listManageableVolumes(args: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    return this.#manager.list(args);
  }

  async failover({ secondaryId, volumes, signal }: C.FailoverArgs): Promise<C.FailoverResult> {
    const rep = this.#replication;
    if (rep === undefined) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `${this.#backendName} has no replication target configured` } });
    if (secondaryId !== undefined && secondaryId !== rep.backendId) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `unknown replication target "${secondaryId}" (configured: ${rep.backendId})` } });
    const result = await rep.failover(volumes, signal);
    this.#switchTo(result.activeBackendId);
    return result;
  }

  async failoverCompleted({ activeBackendId }: C.FailoverCompletedArgs): Promise<C.FailoverCompletedResult> {
    this.#switchTo(activeBackendId);
    return {};
  }

  /** Points this instance at the cluster now serving the volumes (no backend calls). */
  #switchTo(backendId: string): void {
    const rep = this.#replication;
    if (rep === undefined || backendId !== rep.backendId) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `unknown backend id "${backendId}"` } });
    this.#active = rep.secondary;
  }
}
