import { AshlarError } from '../../core/errors/ashlar-error.js';
import { mapOntapError } from './errors.js';
import { lunPath, lunName, splitLunPath } from './names.js';
import type { OntapRestClient } from './rest-client.js';

/** The fields of a LUN the driver reads. */
export interface LunInfo {
  readonly uuid: string;
  readonly path: string;
  readonly flexvol: string;
  readonly lun: string;
  readonly size: number;
}

interface LunRecord {
  readonly uuid: string;
  readonly name: string;
  readonly space?: { readonly size?: number };
}

/** Where the SVM's LUNs are reached over iSCSI. */
export interface IscsiTarget {
  /** The SVM's uuid (iSCSI credentials are addressed by it). */
  readonly svmUuid: string;
  readonly iqn: string;
  readonly portals: readonly string[];
}

/**
 * One SVM on one cluster, seen through the configured FlexVols: the driver talks to the
 * primary's view, and after a failover to the replication target's view of FlexVols with
 * the same names. Caches only what never changes under a running SVM (FlexVol uuids, the
 * target name and data LIFs).
 */
export class SvmView {
  readonly #flexvolUuids = new Map<string, string>();
  #target: IscsiTarget | undefined;

  constructor(
    readonly client: OntapRestClient,
    readonly svm: string,
    readonly flexvols: readonly string[],
    readonly iscsiPort: number,
  ) {}

  /** The uuid of a configured FlexVol. */
  async flexvolUuid(name: string, signal: AbortSignal): Promise<string> {
    const known = this.#flexvolUuids.get(name);
    if (known !== undefined) return known;
    const recs = await this.client.list<{ uuid: string; name: string }>('/api/storage/volumes', { 'svm.name': this.svm, name: this.flexvols, fields: 'uuid,name' }, signal).catch((e: unknown) => {
      throw mapOntapError(e, `listing FlexVols of SVM ${this.svm}`);
    });
    for (const r of recs) this.#flexvolUuids.set(r.name, r.uuid);
    const uuid = this.#flexvolUuids.get(name);
    if (uuid === undefined) throw new AshlarError('CONFIG_INVALID', { details: { reason: `FlexVol "${name}" does not exist in SVM "${this.svm}" on ${this.client.endpoint}` } });
    return uuid;
  }

  /** The LUN of a volume in any configured FlexVol, or undefined. */
  async findLun(volumeId: string, signal: AbortSignal): Promise<LunInfo | undefined> {
    return (await this.findLuns(this.flexvols.map((f) => lunPath(f, lunName(volumeId))), signal))[0];
  }

  /** LUNs by exact path (any of `paths`), in configured FlexVols only. */
  async findLuns(paths: readonly string[], signal: AbortSignal): Promise<LunInfo[]> {
    const recs = await this.client.list<LunRecord>('/api/storage/luns', { 'svm.name': this.svm, name: paths, fields: 'uuid,name,space.size' }, signal).catch((e: unknown) => {
      throw mapOntapError(e, 'looking up LUNs');
    });
    return recs.map(toInfo).filter((l): l is LunInfo => l !== undefined && this.flexvols.includes(l.flexvol));
  }

  /** Every LUN in the configured FlexVols. */
  async allLuns(signal: AbortSignal): Promise<LunInfo[]> {
    return this.findLuns(this.flexvols.map((f) => lunPath(f, '*')), signal);
  }

  /** The FlexVol and uuid of a FlexVol snapshot with this name, searching every configured FlexVol. */
  async findSnapshot(name: string, signal: AbortSignal): Promise<{ flexvol: string; flexvolUuid: string; uuid: string } | undefined> {
    for (const flexvol of this.flexvols) {
      const flexvolUuid = await this.flexvolUuid(flexvol, signal);
      const recs = await this.client.list<{ uuid: string }>(`/api/storage/volumes/${flexvolUuid}/snapshots`, { name, fields: 'uuid' }, signal).catch((e: unknown) => {
        throw mapOntapError(e, `listing snapshots of ${flexvol}`);
      });
      if (recs[0] !== undefined) return { flexvol, flexvolUuid, uuid: recs[0].uuid };
    }
    return undefined;
  }

  /** The SVM's iSCSI target name and data LIF portals. */
  async target(signal: AbortSignal): Promise<IscsiTarget> {
    if (this.#target !== undefined) return this.#target;
    try {
      const [service] = await this.client.list<{ svm?: { uuid?: string }; target?: { name?: string } }>('/api/protocols/san/iscsi/services', { 'svm.name': this.svm, fields: 'svm.uuid,target.name' }, signal);
      const lifs = await this.client.list<{ ip?: { address?: string } }>('/api/network/ip/interfaces', { 'svm.name': this.svm, services: 'data_iscsi', fields: 'ip.address' }, signal);
      const iqn = service?.target?.name;
      const svmUuid = service?.svm?.uuid;
      const portals = lifs.flatMap((l) => (l.ip?.address !== undefined ? [portal(l.ip.address, this.iscsiPort)] : []));
      if (iqn === undefined || svmUuid === undefined || portals.length === 0) throw new AshlarError('CONFIG_INVALID', { details: { reason: `SVM "${this.svm}" has no iSCSI service or no data_iscsi interface` } });
      this.#target = { svmUuid, iqn, portals };
      return this.#target;
    } catch (e) {
      throw mapOntapError(e, `reading the iSCSI target of SVM ${this.svm}`);
    }
  }
}

function portal(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function toInfo(r: LunRecord): LunInfo | undefined {
  const parts = splitLunPath(r.name);
  if (parts === undefined) return undefined;
  return { uuid: r.uuid, path: r.name, flexvol: parts.flexvol, lun: parts.lun, size: r.space?.size ?? 0 };
}
