import { statSync } from 'node:fs';
import type { Cluster } from '../cluster.js';
import type { SimIgroup, SimJob, SimLun, SimLunMap, SimSnapshot, SimVolume } from '../model.js';
import type { Rec } from '../records.js';

/** Allocated bytes of a sparse file (what thin provisioning really uses). */
export function allocated(cluster: Cluster, file: string): number {
  try {
    return statSync(cluster.files.abs(file)).blocks * 512;
  } catch {
    return 0;
  }
}

/** An SVM reference as records embed it: name and uuid. */
export function svmRef(cluster: Cluster, name: string): Rec {
  const svm = cluster.state.svms.find((s) => s.name === name);
  return { name, uuid: svm?.uuid };
}

/** A FlexVol as `/api/storage/volumes` shows it. */
export function volumeRecord(cluster: Cluster, v: SimVolume): Rec {
  const luns = cluster.state.luns.filter((l) => l.volumeUuid === v.uuid);
  const lunUse = luns.reduce((s, l) => s + (l.guarantee ? l.size : allocated(cluster, l.file)), 0);
  const snapUse = v.snapshots.reduce((s, snap) => s + snap.luns.reduce((t, l) => t + allocated(cluster, l.file), 0), 0);
  const used = Math.min(v.size, lunUse + snapUse);
  return {
    uuid: v.uuid,
    name: v.name,
    svm: svmRef(cluster, v.svm),
    type: v.type,
    style: 'flexvol',
    state: 'online',
    size: v.size,
    create_time: v.create_time,
    aggregates: [{ name: v.aggregate }],
    space: { size: v.size, available: v.size - used, used, afs_total: v.size, logical_space: { used: luns.reduce((s, l) => s + l.size, 0) } },
    efficiency: { compression: 'none', dedupe: 'none', compaction: 'none' },
    snapshot_count: v.snapshots.length,
    _links: { self: { href: `/api/storage/volumes/${v.uuid}` } },
  };
}

/** The maps of one LUN. */
export function mapsOf(cluster: Cluster, lun: SimLun): SimLunMap[] {
  return cluster.state.lunMaps.filter((m) => m.lunUuid === lun.uuid);
}

/** A LUN as `/api/storage/luns` shows it. */
export function lunRecord(cluster: Cluster, l: SimLun): Rec {
  const vol = cluster.state.volumes.find((v) => v.uuid === l.volumeUuid);
  const maps = mapsOf(cluster, l);
  return {
    uuid: l.uuid,
    name: l.name,
    svm: svmRef(cluster, l.svm),
    class: 'regular',
    enabled: true,
    os_type: l.os_type,
    serial_number: l.serial_number,
    comment: l.comment,
    create_time: l.create_time,
    location: { volume: { name: vol?.name, uuid: l.volumeUuid }, logical_unit: l.name.split('/').at(-1) },
    space: { size: l.size, used: allocated(cluster, l.file), guarantee: { requested: l.guarantee, reserved: l.guarantee }, scsi_thin_provisioning_support_enabled: !l.guarantee },
    status: { state: 'online', container_state: 'online', mapped: maps.length > 0, read_only: vol?.type === 'dp' },
    lun_maps: maps.map((m) => {
      const g = cluster.state.igroups.find((x) => x.uuid === m.igroupUuid);
      return { igroup: { name: g?.name, uuid: m.igroupUuid }, logical_unit_number: m.logical_unit_number };
    }),
    _links: { self: { href: `/api/storage/luns/${l.uuid}` } },
  };
}

/** A snapshot as `/api/storage/volumes/{uuid}/snapshots` shows it. */
export function snapshotRecord(cluster: Cluster, v: SimVolume, s: SimSnapshot): Rec {
  return {
    uuid: s.uuid,
    name: s.name,
    create_time: s.create_time,
    volume: { name: v.name, uuid: v.uuid },
    svm: svmRef(cluster, v.svm),
    size: s.luns.reduce((t, l) => t + allocated(cluster, l.file), 0),
    state: 'valid',
    _links: { self: { href: `/api/storage/volumes/${v.uuid}/snapshots/${s.uuid}` } },
  };
}

/** An igroup as `/api/protocols/san/igroups` shows it. */
export function igroupRecord(cluster: Cluster, g: SimIgroup): Rec {
  return {
    uuid: g.uuid,
    name: g.name,
    svm: svmRef(cluster, g.svm),
    protocol: g.protocol,
    os_type: g.os_type,
    initiators: g.initiators.map((name) => ({ name })),
    lun_maps: cluster.state.lunMaps
      .filter((m) => m.igroupUuid === g.uuid)
      .map((m) => ({ logical_unit_number: m.logical_unit_number, lun: { uuid: m.lunUuid, name: cluster.state.luns.find((l) => l.uuid === m.lunUuid)?.name } })),
    _links: { self: { href: `/api/protocols/san/igroups/${g.uuid}` } },
  };
}

/** A LUN map as `/api/protocols/san/lun-maps` shows it. */
export function lunMapRecord(cluster: Cluster, m: SimLunMap): Rec {
  const lun = cluster.state.luns.find((l) => l.uuid === m.lunUuid);
  const g = cluster.state.igroups.find((x) => x.uuid === m.igroupUuid);
  return {
    svm: svmRef(cluster, lun?.svm ?? g?.svm ?? ''),
    lun: { name: lun?.name, uuid: m.lunUuid },
    igroup: { name: g?.name, uuid: m.igroupUuid },
    logical_unit_number: m.logical_unit_number,
    _links: { self: { href: `/api/protocols/san/lun-maps/${m.lunUuid}/${m.igroupUuid}` } },
  };
}

/** A job as `/api/cluster/jobs/{uuid}` shows it. */
export function jobRecord(j: SimJob): Rec {
  return {
    uuid: j.uuid,
    description: j.description,
    state: j.state,
    message: j.message,
    code: j.code,
    start_time: j.start_time,
    ...(j.end_time !== undefined ? { end_time: j.end_time } : {}),
    _links: { self: { href: `/api/cluster/jobs/${j.uuid}` } },
  };
}

/** Whether an SVM-scoped account may see an object of `svm`. */
export function inScope(scope: string | undefined, svm: string): boolean {
  return scope === undefined || scope === svm;
}
