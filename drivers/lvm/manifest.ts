import type { ManifestWith } from '../../core/contract/plugin.js';

/**
 * The capabilities the LVM driver declares. One manifest serves both provisioning modes:
 * the method capabilities hold in both. `thinProvisioning` and `onlineExtend` hold for
 * `lvmType: thin` only; they are declared because the driver can provide them, and the
 * stats of each configured backend say whether it does (`thin_provisioning_support`,
 * `online_extend_support` are false when thick), as replication without targets does.
 * Thick online extend works too except for an open volume with classic snapshots (lvm2
 * resizes those origins only while inactive: VOLUME_BUSY), so thick does not claim it.
 */
export type LvmDriverCapabilities = 'snapshots' | 'clone' | 'revertToSnapshot' | 'manage' | 'multiattach' | 'onlineExtend' | 'thinProvisioning';

/** lvm2's rule for VG names (and the characters of LV names). */
export const LVM_NAME_PATTERN = '^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$';

/** The LVM driver's manifest. */
export const lvmManifest: ManifestWith<LvmDriverCapabilities> = {
  name: 'lvm',
  version: '1.0.0',
  contract: '^1.0.0',
  description:
    'Volumes are logical volumes of one LVM volume group: thick (linear LVs, classic copy-on-write snapshots, copies by dd) or thin (a thin pool, thin snapshots and snapshot-based clones), as Cinder\'s lvm_type default | thin.',
  vendor: 'Ashlar',
  capabilities: ['snapshots', 'clone', 'revertToSnapshot', 'manage', 'multiattach', 'onlineExtend', 'thinProvisioning'],
  protocols: ['host_device'],
  commands: ['lvs', 'vgs', 'lvcreate', 'lvremove', 'lvextend', 'lvchange', 'lvconvert', 'lvrename', 'dd', 'blockdev'],
  // Thick: lvremove takes an origin's CoW snapshots with it, so deletion must be refused.
  // Thin snapshots would survive, but one manifest states one rule: both modes refuse.
  semantics: { deleteVolumeWithSnapshots: 'busy', activeActive: false },
  configSchema: {
    type: 'object',
    required: ['volumeGroup'],
    additionalProperties: false,
    properties: {
      volumeGroup: { type: 'string', pattern: LVM_NAME_PATTERN, description: 'The volume group that holds the volumes (Cinder: volume_group). It must exist.' },
      lvmType: {
        enum: ['default', 'thin'],
        default: 'default',
        description: 'default: thick linear LVs with classic CoW snapshots; thin: thin LVs in `thinPoolName` (Cinder: lvm_type).',
      },
      thinPoolName: {
        type: 'string',
        pattern: LVM_NAME_PATTERN,
        description: 'The thin pool of `lvmType: thin`; defaults to `<volumeGroup>-pool`. Created by checkSetup when missing.',
      },
      thinPoolSizePercent: {
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 95,
        description: 'When checkSetup creates the thin pool: this percentage of the volume group\'s free space.',
      },
      volumeClear: {
        enum: ['none', 'zero'],
        default: 'zero',
        description:
          'Thick only: overwrite a volume (and a snapshot\'s CoW area) with zeros before removing it, so the next LV on those extents reads zeros (Cinder: volume_clear). Thin LVs never expose old data.',
      },
      volumeClearSizeMiB: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Clear only the first N MiB; 0 clears everything (Cinder: volume_clear_size).',
      },
      snapshotSizePercent: {
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 100,
        description:
          'Thick only: the CoW area of a snapshot as a percentage of its origin. Below 100 a snapshot becomes invalid once more than that share of the origin is rewritten.',
      },
      reservedPercentage: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'Reported as reserved_percentage.' },
      maxOverSubscriptionRatio: {
        type: 'number',
        minimum: 1,
        default: 20,
        description: 'Thin only: volumes may provision up to this multiple of the thin pool size; beyond it creation fails with INSUFFICIENT_CAPACITY.',
      },
      copyTimeoutSecondsPerGiB: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 120,
        description: 'Time limit of a data copy or clear (dd on the host), per GiB copied, on top of a 60 s base.',
      },
    },
  },
  backendPermissions: [
    {
      system: 'lvm',
      grant: 'root on the storage host (lvm2 commands and read/write of /dev/<volumeGroup>/*)',
      why: 'creating, resizing, snapshotting and removing LVs, copying and clearing their data',
    },
  ],
  requires: [
    { kind: 'binary', name: 'lvm2', install: 'apt-get install lvm2 thin-provisioning-tools (on the storage host)', where: 'backend-host' },
    { kind: 'binary', name: 'dd', install: 'apt-get install coreutils (or busybox) (on the storage host)', where: 'backend-host' },
  ],
};

/** The LVM driver's config after validation and defaults. */
export interface LvmDriverConfig {
  readonly volumeGroup: string;
  readonly lvmType: 'default' | 'thin';
  readonly thinPoolName?: string;
  readonly thinPoolSizePercent: number;
  readonly volumeClear: 'none' | 'zero';
  readonly volumeClearSizeMiB: number;
  readonly snapshotSizePercent: number;
  readonly reservedPercentage: number;
  readonly maxOverSubscriptionRatio: number;
  readonly copyTimeoutSecondsPerGiB: number;
}
