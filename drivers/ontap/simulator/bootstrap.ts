import { createHash, randomUUID } from 'node:crypto';
import { NO_FAULTS, type ClusterState, type SimPeer, type SimRole, type SimUser } from './model.js';

/** The simulator's start-up configuration (a JSON file). */
export interface SimulatorConfig {
  /** Cluster name. */
  readonly name: string;
  /** Aggregate size in bytes. @defaultValue 1 TiB */
  readonly aggregateBytes?: number;
  /** SVMs to create on first start. */
  readonly svms: readonly string[];
  /** FlexVols to create on first start. `type: dp` makes SnapMirror destinations. */
  readonly volumes?: readonly { readonly name: string; readonly svm: string; readonly size: number; readonly type?: 'rw' | 'dp' }[];
  /** Accounts; `admin` with role `admin` is always there. */
  readonly users: readonly SimUser[];
  /** Roles in addition to the built-in `admin` (all of /api). */
  readonly roles?: readonly SimRole[];
  /** How long a finished job stays readable at /api/cluster/jobs/{uuid}. @defaultValue 600 */
  readonly jobTtlSeconds?: number;
  /** Cluster peers (merged into the state at every start). */
  readonly peers?: readonly SimPeer[];
}

/** A stable IQN for an SVM, as ONTAP derives one from the SVM's uuid. */
function svmIqn(clusterUuid: string, svmUuid: string): string {
  const sn = createHash('sha1').update(clusterUuid).digest('hex').slice(0, 32);
  return `iqn.1992-08.com.netapp:sn.${sn}:vs.${svmUuid.slice(0, 8)}`;
}

/** A cluster's state on its very first start. */
export function initialState(config: SimulatorConfig): ClusterState {
  const uuid = randomUUID();
  const now = new Date().toISOString();
  const svms = config.svms.map((name) => {
    const svmUuid = randomUUID();
    return { uuid: svmUuid, name, iqn: svmIqn(uuid, svmUuid) };
  });
  return {
    cluster: { name: config.name, uuid, version: '9.14.1' },
    aggregateBytes: config.aggregateBytes ?? 1024 ** 4,
    roles: [{ name: 'admin', privileges: [{ path: '/api', access: 'all' }] }, ...(config.roles ?? [])],
    users: [...config.users],
    svms,
    volumes: (config.volumes ?? []).map((v) => ({ uuid: randomUUID(), name: v.name, svm: v.svm, size: v.size, type: v.type ?? 'rw', aggregate: 'aggr1', create_time: now, snapshots: [] })),
    luns: [],
    igroups: [],
    lunMaps: [],
    credentials: [],
    jobs: [],
    relationships: [],
    peers: [...(config.peers ?? [])],
    faults: { ...NO_FAULTS },
  };
}

/** What a restart takes from the config: peers (they may have moved ports), nothing else. */
export function mergeOnRestart(state: ClusterState, config: SimulatorConfig): ClusterState {
  return { ...state, peers: [...(config.peers ?? state.peers)] };
}
