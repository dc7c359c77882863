import type { CloneCapable } from './capabilities/clone.js';
import type { GroupCapable } from './capabilities/groups.js';
import type { ManageCapable } from './capabilities/manage.js';
import type { MigrateCapable } from './capabilities/migrate.js';
import type { ReplicationCapable } from './capabilities/replication.js';
import type { RetypeCapable } from './capabilities/retype.js';
import type { RevertCapable } from './capabilities/revert.js';
import type { SnapshotCapable } from './capabilities/snapshots.js';
import type { Capability } from './types.js';

/**
 * The interface each capability brings. Capabilities mapped to `{}` are behavioural
 * promises (no extra methods) that conformance exercises.
 */
export interface CapabilityInterfaces {
  snapshots: SnapshotCapable;
  clone: CloneCapable;
  revertToSnapshot: RevertCapable;
  manage: ManageCapable;
  groups: GroupCapable;
  replication: ReplicationCapable;
  retype: RetypeCapable;
  migrate: MigrateCapable;
  multiattach: {};
  onlineExtend: {};
  thinProvisioning: {};
}

/** Method names of each capability, for load-time checks, conformance and docs. */
export const CAPABILITY_METHODS = {
  snapshots: ['createSnapshot', 'deleteSnapshot', 'createVolumeFromSnapshot'],
  clone: ['createClonedVolume'],
  revertToSnapshot: ['revertToSnapshot'],
  manage: ['manageExistingGetSize', 'manageExisting', 'unmanage', 'listManageableVolumes'],
  groups: ['createGroup', 'deleteGroup', 'updateGroup', 'createGroupSnapshot', 'deleteGroupSnapshot'],
  replication: ['failover', 'failoverCompleted'],
  retype: ['retype'],
  migrate: ['migrateVolume'],
  multiattach: [],
  onlineExtend: [],
  thinProvisioning: [],
} as const satisfies { readonly [C in Capability]: readonly (keyof CapabilityInterfaces[C])[] };

/** Methods of the required interface. */
export const REQUIRED_METHODS = [
  'checkSetup',
  'getStats',
  'createVolume',
  'deleteVolume',
  'extendVolume',
  'initializeConnection',
  'terminateConnection',
] as const;

/** Every optional method name, whatever capability brings it. */
export type OptionalMethodName = (typeof CAPABILITY_METHODS)[Capability][number];

/** The capability that brings a method, or undefined for required ones. */
export function capabilityOfMethod(method: string): Capability | undefined {
  for (const [cap, methods] of Object.entries(CAPABILITY_METHODS) as [Capability, readonly string[]][]) {
    if (methods.includes(method)) return cap;
  }
  return undefined;
}
