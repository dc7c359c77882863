import type { BackendStats, PoolStats } from '../../core/contract/types.js';
import { mapOntapError } from './errors.js';
import { ontapManifest, type OntapDriverConfig } from './manifest.js';
import type { SvmView } from './svm-view.js';

const GiB = 1024 ** 3;

interface FlexvolRecord {
  readonly name: string;
  readonly space?: { readonly size?: number; readonly available?: number; readonly used?: number };
  readonly efficiency?: { readonly compression?: string; readonly dedupe?: string };
}

const round = (bytes: number): number => Math.floor((bytes / GiB) * 100) / 100;

/**
 * Backend stats with one pool per FlexVol and Cinder's `netapp_*` pool keys (the names
 * Cinder's ONTAP driver reports, so extra specs written for it select the same pools).
 */
export async function collectStats(view: SvmView, config: OntapDriverConfig, backendName: string, clusterUuid: string, signal: AbortSignal): Promise<BackendStats> {
  const [vols, luns] = await Promise.all([
    view.client.list<FlexvolRecord>('/api/storage/volumes', { 'svm.name': view.svm, name: view.flexvols, fields: 'name,space,efficiency' }, signal),
    view.allLuns(signal),
  ]).catch((e: unknown) => {
    throw mapOntapError(e, 'collecting stats');
  });
  const thin = !config.lunSpaceReservation;
  const pools: PoolStats[] = vols.map((v) => {
    const total = round(v.space?.size ?? 0);
    const provisioned = luns.filter((l) => l.flexvol === v.name).reduce((s, l) => s + l.size, 0);
    return {
      pool_name: v.name,
      total_capacity_gb: total,
      free_capacity_gb: Math.min(round(v.space?.available ?? 0), total),
      allocated_capacity_gb: round(v.space?.used ?? 0),
      provisioned_capacity_gb: Math.ceil(provisioned / GiB),
      reserved_percentage: config.reservedPercentage,
      max_over_subscription_ratio: config.maxOverSubscriptionRatio,
      thin_provisioning_support: thin,
      thick_provisioning_support: !thin,
      multiattach: true,
      QoS_support: false,
      netapp_thin_provisioned: String(thin),
      netapp_compression: String(v.efficiency?.compression !== undefined && v.efficiency.compression !== 'none'),
      netapp_dedup: String(v.efficiency?.dedupe !== undefined && v.efficiency.dedupe !== 'none'),
      netapp_mirrored: String(config.replication !== undefined),
      netapp_raid_type: 'raid_dp',
      netapp_disk_type: 'SSD',
      netapp_flexvol_encryption: 'false',
      netapp_is_flexgroup: 'false',
    };
  });
  const sum = (key: 'total_capacity_gb' | 'free_capacity_gb' | 'allocated_capacity_gb'): number => Math.round(pools.reduce((s, p) => s + Number(p[key] ?? 0), 0) * 100) / 100;
  return {
    volume_backend_name: backendName,
    vendor_name: 'NetApp',
    driver_version: ontapManifest.version,
    storage_protocol: 'iSCSI',
    total_capacity_gb: sum('total_capacity_gb'),
    free_capacity_gb: Math.min(sum('free_capacity_gb'), sum('total_capacity_gb')),
    allocated_capacity_gb: sum('allocated_capacity_gb'),
    provisioned_capacity_gb: Math.ceil(luns.reduce((s, l) => s + l.size, 0) / GiB),
    reserved_percentage: config.reservedPercentage,
    max_over_subscription_ratio: config.maxOverSubscriptionRatio,
    thin_provisioning_support: thin,
    thick_provisioning_support: !thin,
    multiattach: true,
    online_extend_support: true,
    QoS_support: false,
    replication_enabled: config.replication !== undefined,
    ...(config.replication !== undefined ? { replication_targets: [config.replication.backendId] } : {}),
    location_info: `ontap:${clusterUuid}:${view.svm}`,
    pools,
  };
}
