/**
 * The objects an ONTAP-style simulator cluster persists, shaped after ONTAP 9's REST
 * records (only what a block-storage driver reads). One JSON document per cluster.
 */

/** A REST privilege of a role: the longest matching path prefix decides. */
export interface RolePrivilege {
  readonly path: string;
  readonly access: 'all' | 'readonly' | 'none';
}

/** A REST role (`/api/security/roles`). */
export interface SimRole {
  readonly name: string;
  readonly privileges: readonly RolePrivilege[];
}

/** A login account; `svm` set means an SVM-scoped account that sees only that SVM. */
export interface SimUser {
  readonly name: string;
  readonly password: string;
  readonly role: string;
  readonly svm?: string | undefined;
}

/** A storage VM with its iSCSI target. */
export interface SimSvm {
  readonly uuid: string;
  readonly name: string;
  /** iSCSI target node name of the SVM. */
  readonly iqn: string;
}

/** A snapshot of a FlexVol: a frozen copy of each of its LUN files. */
export interface SimSnapshot {
  readonly uuid: string;
  readonly name: string;
  readonly create_time: string;
  readonly luns: readonly { readonly name: string; readonly size: number; readonly file: string; readonly os_type: string }[];
}

/** A FlexVol. `type: dp` is a SnapMirror destination (read-only until broken off). */
export interface SimVolume {
  readonly uuid: string;
  name: string;
  readonly svm: string;
  size: number;
  type: 'rw' | 'dp';
  readonly aggregate: string;
  readonly create_time: string;
  snapshots: SimSnapshot[];
}

/** A LUN; its data lives in `file` (a sparse file). */
export interface SimLun {
  readonly uuid: string;
  /** /vol/<flexvol>/<lun> */
  name: string;
  readonly svm: string;
  readonly volumeUuid: string;
  size: number;
  readonly os_type: string;
  readonly guarantee: boolean;
  readonly serial_number: string;
  readonly file: string;
  comment: string;
  readonly create_time: string;
}

/** An initiator group. */
export interface SimIgroup {
  readonly uuid: string;
  readonly name: string;
  readonly svm: string;
  readonly protocol: 'iscsi' | 'fcp' | 'mixed';
  readonly os_type: string;
  initiators: string[];
}

/**
 * iSCSI credentials of one initiator in one SVM (`/api/protocols/san/iscsi/credentials`,
 * `vserver iscsi security`): `chap` makes the initiator log in with inbound CHAP, `deny`
 * refuses it, `none` lets it in without authentication.
 */
export interface SimCredential {
  readonly svm: string;
  readonly initiator: string;
  authentication_type: 'chap' | 'none' | 'deny';
  /** Inbound CHAP (the target authenticates the initiator); write-only over the API. */
  chap?: { readonly user: string; readonly password: string } | undefined;
}

/** A LUN map: one LUN visible to one igroup's initiators at a LUN number. */
export interface SimLunMap {
  readonly lunUuid: string;
  readonly igroupUuid: string;
  readonly logical_unit_number: number;
}

/** Job states as ONTAP reports them. */
export type JobState = 'queued' | 'running' | 'success' | 'failure';

/** An asynchronous job (`/api/cluster/jobs/{uuid}`). */
export interface SimJob {
  readonly uuid: string;
  readonly description: string;
  state: JobState;
  message: string;
  code: number;
  readonly start_time: string;
  end_time?: string | undefined;
  /** Epoch ms after which the job is forgotten. */
  expires: number;
}

/** A SnapMirror relationship, stored on the destination cluster as ONTAP does. */
export interface SimRelationship {
  readonly uuid: string;
  /** svm:volume on the source cluster. */
  readonly source: { readonly path: string; readonly cluster: string };
  readonly destination: { readonly path: string };
  state: 'uninitialized' | 'snapmirrored' | 'paused' | 'broken_off';
  healthy: boolean;
  unhealthy_reason?: string | undefined;
  /** ISO time of the last successful transfer (drives lag_time). */
  last_transfer_end?: string | undefined;
  readonly policy: string;
}

/** A cluster peer: where another simulator cluster is reached. */
export interface SimPeer {
  readonly name: string;
  /** Base URL of the peer's REST API, e.g. http://127.0.0.1:8444 */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The peer's data directory: transfers read its LUN files directly (same host). */
  readonly dataDir: string;
}

/** Injected faults (admin endpoint `/api/_sim/faults`). */
export interface SimFaults {
  /** Added to every API call. */
  latencyMs: number;
  /** Share of calls answered 503. */
  errorRate: number;
  /** Share of calls whose connection is destroyed without an answer. */
  dropRate: number;
  /** Share of jobs that end in failure. */
  jobFailureRate: number;
  /** When true the cluster accepts connections and never answers (failover tests). */
  unresponsive: boolean;
  /** Extra lag reported by relationships whose source is this cluster's peer, in seconds. */
  snapmirrorLagSeconds: number;
}

/** Everything one cluster persists. */
export interface ClusterState {
  readonly cluster: { readonly name: string; readonly uuid: string; readonly version: string };
  /** Bytes of the one aggregate FlexVols draw on. */
  readonly aggregateBytes: number;
  roles: SimRole[];
  users: SimUser[];
  svms: SimSvm[];
  volumes: SimVolume[];
  luns: SimLun[];
  igroups: SimIgroup[];
  lunMaps: SimLunMap[];
  /** Absent in states saved before credentials existed; read through {@link credentialsOf}. */
  credentials?: SimCredential[];
  jobs: SimJob[];
  relationships: SimRelationship[];
  peers: SimPeer[];
  faults: SimFaults;
}

/** Faults all off. */
export const NO_FAULTS: SimFaults = { latencyMs: 0, errorRate: 0, dropRate: 0, jobFailureRate: 0, unresponsive: false, snapmirrorLagSeconds: 0 };

/** The cluster's iSCSI credentials, created empty on first use. */
export function credentialsOf(state: ClusterState): SimCredential[] {
  state.credentials ??= [];
  return state.credentials;
}
