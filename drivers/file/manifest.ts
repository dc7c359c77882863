import type { ManifestWith } from '../../core/contract/plugin.js';

/** The capabilities the file driver declares; its factory must implement each one's interface. */
export type FileDriverCapabilities = 'snapshots' | 'clone' | 'revertToSnapshot' | 'manage' | 'multiattach' | 'onlineExtend' | 'thinProvisioning';

/** The file driver's manifest. */
export const fileManifest: ManifestWith<FileDriverCapabilities> = {
  name: 'file',
  version: '1.0.0',
  contract: '^1.0.0',
  description:
    'Volumes are sparse files in a directory. Snapshots and clones are reflinks where the filesystem supports them (btrfs, xfs) and sparse copies elsewhere. The embedded default driver.',
  vendor: 'Ashlar',
  capabilities: ['snapshots', 'clone', 'revertToSnapshot', 'manage', 'multiattach', 'onlineExtend', 'thinProvisioning'],
  protocols: ['local'],
  commands: ['cp'],
  semantics: { deleteVolumeWithSnapshots: 'allowed', activeActive: false },
  configSchema: {
    type: 'object',
    required: ['directory'],
    properties: {
      directory: {
        type: 'string',
        minLength: 1,
        description: 'Absolute path of the directory that holds volumes, snapshots and their metadata. Created when missing.',
      },
      reflink: {
        enum: ['auto', 'always', 'never'],
        default: 'auto',
        description: 'auto: reflink when the filesystem can, else sparse copy; always: fail unless the filesystem reflinks; never: always sparse copy.',
      },
      capacityGiB: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Report this total capacity instead of the filesystem size (useful on a shared filesystem).',
      },
      reservedPercentage: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'Reported as reserved_percentage.' },
      maxOverSubscriptionRatio: {
        type: 'number',
        minimum: 1,
        default: 20,
        description: 'Provisioned sizes may add up to this multiple of the total capacity (sparse files are thin).',
      },
    },
  },
  backendPermissions: [
    { system: 'filesystem', grant: 'read, write, create and rename files under `directory`', why: 'volumes and snapshots are files there' },
  ],
  requires: [{ kind: 'binary', name: 'cp', install: 'apt-get install coreutils', where: 'local' }],
};

/** The file driver's config after validation and defaults. */
export interface FileDriverConfig {
  readonly directory: string;
  readonly reflink: 'auto' | 'always' | 'never';
  readonly capacityGiB?: number;
  readonly reservedPercentage: number;
  readonly maxOverSubscriptionRatio: number;
}
