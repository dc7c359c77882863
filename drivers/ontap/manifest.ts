import type { ManifestWith } from '../../core/contract/plugin.js';

/** The capabilities the ontap driver declares; its factory must implement each one's interface. */
export type OntapDriverCapabilities =
  | 'snapshots'
  | 'clone'
  | 'revertToSnapshot'
  | 'manage'
  | 'multiattach'
  | 'onlineExtend'
  | 'thinProvisioning'
  | 'replication';

/** ONTAP FlexVol and SVM names. */
const ONTAP_NAME = '^[A-Za-z_][A-Za-z0-9_.-]{0,202}$';
const HOST = '^[A-Za-z0-9.:\\[\\]-]{1,253}$';

/** Where and as whom to reach one cluster's REST API. */
const CLUSTER_PROPS = {
  hostname: { type: 'string', pattern: HOST, default: '127.0.0.1', description: 'Cluster management address (REST API).' },
  port: { type: 'integer', minimum: 1, maximum: 65535, default: 443, description: 'REST API port.' },
  transport: { enum: ['https', 'http'], default: 'https', description: 'https for a real cluster; http for the simulator.' },
  username: { type: 'string', minLength: 1, description: 'Account whose role grants the privileges listed under backend permissions.' },
  password: { type: 'string', minLength: 1, description: 'Password of `username` (never logged).' },
  svm: { type: 'string', pattern: ONTAP_NAME, description: 'The SVM (vserver) that owns the FlexVols and the iSCSI target.' },
  iscsiPort: { type: 'integer', minimum: 1, maximum: 65535, default: 3260, description: 'TCP port of the iSCSI data LIFs (ONTAP: always 3260; the simulator uses its own).' },
} as const;

/**
 * The ontap driver's manifest.
 *
 * @remarks The `backendPermissions` are exactly the REST role privileges the driver needs:
 * a test creates a role with these and nothing more and runs the lifecycle under it.
 */
export const ontapManifest: ManifestWith<OntapDriverCapabilities> = {
  name: 'ontap',
  version: '1.0.0',
  contract: '^1.0.0',
  description:
    'NetApp ONTAP 9 SAN through its REST API: volumes are LUNs in FlexVols (one pool each), served over iSCSI; snapshots are FlexVol snapshots, clones are LUN clones, revert is single-LUN snapshot restore, replication is SnapMirror to a second cluster. Stateless, so any number of instances may serve one SVM.',
  vendor: 'Ashlar',
  capabilities: ['snapshots', 'clone', 'revertToSnapshot', 'manage', 'multiattach', 'onlineExtend', 'thinProvisioning', 'replication'],
  protocols: ['iscsi'],
  // The iscsi connector's data path (libiscsi inside qemu); the driver itself runs nothing.
  commands: ['qemu-io', 'qemu-img'],
  semantics: { deleteVolumeWithSnapshots: 'allowed', activeActive: true },
  configSchema: {
    type: 'object',
    required: ['username', 'password', 'svm', 'flexvols'],
    properties: {
      ...CLUSTER_PROPS,
      flexvols: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', pattern: ONTAP_NAME },
        description: 'FlexVols that hold the LUNs; each is reported as one pool (Cinder\'s netapp_pool_name_search_pattern, as a list).',
      },
      lunSpaceReservation: { type: 'boolean', default: false, description: 'true: space-reserved (thick) LUNs; false: thin LUNs (Cinder\'s netapp_lun_space_reservation).' },
      osType: { enum: ['linux', 'windows', 'vmware', 'xen', 'hyper_v'], default: 'linux', description: 'LUN and igroup os_type (Cinder\'s netapp_lun_ostype / netapp_host_type).' },
      chapSecret: {
        type: 'string',
        minLength: 16,
        description:
          "When set, hosts log in with CHAP (Cinder's use_chap_auth): at each attach the driver sets inbound CHAP for the host's initiator (user: the initiator name; password: derived from this secret, so every instance of an active-active deployment sets the same one) and returns the credentials in the connection info. Never logged.",
      },
      requestTimeoutMs: { type: 'integer', minimum: 1000, default: 60000, description: 'Time limit of each REST request.' },
      jobTimeoutMs: { type: 'integer', minimum: 1000, default: 300000, description: 'How long an asynchronous job (202) is polled before the call fails.' },
      reservedPercentage: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'Reported as reserved_percentage.' },
      maxOverSubscriptionRatio: { type: 'number', minimum: 1, default: 20, description: 'Reported as max_over_subscription_ratio.' },
      replication: {
        type: 'object',
        required: ['backendId', 'username', 'password', 'svm', 'sourceCluster'],
        description: 'A SnapMirror target cluster (Cinder\'s replication_device): each FlexVol is mirrored to a FlexVol of the same name in the target SVM.',
        properties: {
          backendId: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'The target\'s id, as failover names it (secondaryId).' },
          ...CLUSTER_PROPS,
          sourceCluster: { type: 'string', minLength: 1, description: 'Name of the primary cluster as the target knows its peer.' },
        },
      },
      activeBackendId: { type: 'string', description: 'Set after a failover (Cinder\'s active_backend_id): the instance starts on the replication target.' },
    },
  },
  backendPermissions: [
    { system: 'ontap', grant: '/api/cluster readonly', why: 'cluster identity (location_info) and asynchronous job status (/api/cluster/jobs)' },
    { system: 'ontap', grant: '/api/storage/volumes all', why: 'FlexVol capacity for stats; create and delete FlexVol snapshots' },
    { system: 'ontap', grant: '/api/storage/luns all', why: 'create, clone, resize, rename (manage/unmanage) and delete LUNs' },
    { system: 'ontap', grant: '/api/protocols/san all', why: 'igroups per host initiator and LUN maps; the SVM\'s iSCSI target name; CHAP credentials per initiator (/api/protocols/san/iscsi/credentials) when chapSecret is set' },
    { system: 'ontap', grant: '/api/network/ip/interfaces readonly', why: 'the iSCSI data LIF addresses returned as target portals' },
    { system: 'ontap', grant: '/api/private/cli/volume/snapshot/restore-file all', why: 'revert to snapshot restores one LUN from a FlexVol snapshot' },
    { system: 'ontap', grant: '/api/snapmirror readonly', why: 'replication status (state, healthy, lag_time) for stats; on the target cluster: all, to break relationships at failover' },
  ],
  requires: [
    { kind: 'binary', name: 'qemu-io', install: 'apt-get install qemu-utils qemu-block-extra', where: 'local' },
    { kind: 'binary', name: 'qemu-img', install: 'apt-get install qemu-utils qemu-block-extra', where: 'local' },
  ],
  homepage: 'https://docs.netapp.com/us-en/ontap-automation/',
};

/** One cluster's connection settings after validation and defaults. */
export interface OntapClusterConfig {
  readonly hostname: string;
  readonly port: number;
  readonly transport: 'https' | 'http';
  readonly username: string;
  readonly password: string;
  readonly svm: string;
  readonly iscsiPort: number;
}

/** The ontap driver's config after validation and defaults. */
export interface OntapDriverConfig extends OntapClusterConfig {
  readonly flexvols: readonly string[];
  readonly lunSpaceReservation: boolean;
  readonly osType: string;
  readonly chapSecret?: string | undefined;
  readonly requestTimeoutMs: number;
  readonly jobTimeoutMs: number;
  readonly reservedPercentage: number;
  readonly maxOverSubscriptionRatio: number;
  readonly replication?: (OntapClusterConfig & { readonly backendId: string; readonly sourceCluster: string }) | undefined;
  readonly activeBackendId?: string | undefined;
}
