import type { ManifestWith } from '../../core/contract/plugin.js';

/** The capabilities the rbd driver declares; its factory must implement each one's interface. */
export type RbdDriverCapabilities =
  | 'snapshots'
  | 'clone'
  | 'revertToSnapshot'
  | 'manage'
  | 'multiattach'
  | 'onlineExtend'
  | 'thinProvisioning';

/** Ceph names (pool, client id, cluster) as the rbd CLI accepts them without quoting surprises. */
const CEPH_NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';
/** Absolute paths without the characters qemu's rbd filename syntax and ceph.conf treat specially. */
const SAFE_PATH = '^/[^\\0:,;=\\\\\\s]*$';

/**
 * The rbd driver's manifest.
 *
 * @remarks The `backendPermissions` are exactly the caps a cephx user needs: a test creates
 * a user with these and nothing more and runs the whole lifecycle as that user.
 */
export const rbdManifest: ManifestWith<RbdDriverCapabilities> = {
  name: 'rbd',
  version: '1.0.0',
  contract: '^1.0.0',
  description:
    'Ceph RBD images through the rbd and ceph CLIs. Clones are layered (clone format 2) with a maximum clone depth; deleting a volume that has clones moves it to the RBD trash and purges it when its last clone goes, so it never fails as busy.',
  vendor: 'Ashlar',
  capabilities: ['snapshots', 'clone', 'revertToSnapshot', 'manage', 'multiattach', 'onlineExtend', 'thinProvisioning'],
  protocols: ['rbd'],
  // qemu-io is the rbd connector's read path (ranged reads through librbd); writes use rbd import-diff.
  commands: ['rbd', 'ceph', 'qemu-io'],
  semantics: { deleteVolumeWithSnapshots: 'busy', activeActive: true },
  configSchema: {
    type: 'object',
    properties: {
      pool: { type: 'string', pattern: CEPH_NAME, default: 'rbd', description: 'The RBD pool that holds the volumes (must exist and be initialised with `rbd pool init`).' },
      cephConf: { type: 'string', pattern: SAFE_PATH, description: 'Path of ceph.conf; absent means Ceph\'s default (/etc/ceph/$cluster.conf).' },
      clientId: { type: 'string', pattern: CEPH_NAME, default: 'admin', description: 'cephx client id without the `client.` prefix.' },
      keyring: { type: 'string', pattern: SAFE_PATH, description: 'Path of the client\'s keyring; absent means the keyring ceph.conf names or Ceph\'s default search path.' },
      clusterName: { type: 'string', pattern: CEPH_NAME, default: 'ceph', description: 'Cluster name (`--cluster`), reported as cluster_name in connection info.' },
      maxCloneDepth: {
        type: 'integer',
        minimum: 0,
        maximum: 64,
        default: 5,
        description: 'A clone or volume-from-snapshot whose chain of parents would exceed this depth is flattened right after it is created (0: every clone is a full copy).',
      },
      flattenOnDelete: {
        type: 'boolean',
        default: false,
        description:
          'false: deleting a volume that still has clones moves it to the RBD trash; it is purged when its last clone is deleted or flattened (fast delete, space held until then). true: flatten its clones first, then remove it (space freed at once, delete takes as long as copying the clones).',
      },
      commandTimeoutMs: { type: 'integer', minimum: 1000, default: 120000, description: 'Time limit of every rbd/ceph command (some Ceph commands hang forever without a mgr).' },
      reservedPercentage: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'Reported as reserved_percentage.' },
      maxOverSubscriptionRatio: { type: 'number', minimum: 1, default: 20, description: 'Reported as max_over_subscription_ratio (RBD images are thin).' },
    },
  },
  backendPermissions: [
    {
      system: 'ceph',
      grant: "mon 'profile rbd'",
      why: 'open images, read the monitor map (ceph mon dump) for connection info and pool usage (ceph df) for stats',
    },
    {
      system: 'ceph',
      grant: "osd 'profile rbd pool=<pool>'",
      why: 'create, resize, snapshot, clone, flatten, rename, trash and remove images in the configured pool',
    },
  ],
  requires: [
    { kind: 'binary', name: 'rbd', install: 'apt-get install ceph-common', where: 'local' },
    { kind: 'binary', name: 'ceph', install: 'apt-get install ceph-common', where: 'local' },
    { kind: 'binary', name: 'qemu-io', install: 'apt-get install qemu-utils qemu-block-extra', where: 'local' },
  ],
  homepage: 'https://docs.ceph.com/en/pacific/rbd/',
};

/** The rbd driver's config after validation and defaults. */
export interface RbdDriverConfig {
  readonly pool: string;
  readonly cephConf?: string;
  readonly clientId: string;
  readonly keyring?: string;
  readonly clusterName: string;
  readonly maxCloneDepth: number;
  readonly flattenOnDelete: boolean;
  readonly commandTimeoutMs: number;
  readonly reservedPercentage: number;
  readonly maxOverSubscriptionRatio: number;
}
