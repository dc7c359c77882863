/**
 * Compile-time tests of the contract, checked by `tsc --noEmit` (part of `npm test`):
 * every `@ts-expect-error` below must be an error, or tsc fails with "unused directive".
 */
import { definePlugin, type Capability, type DriverContext, type DriverWith, type VolumeDriver } from '../../../core/contract/index.js';

declare const base: VolumeDriver;
declare const ctx: DriverContext;

const manifestBase = {
  name: 'typecheck',
  version: '1.0.0',
  contract: '^1.0.0',
  description: 'compile-time contract checks',
  vendor: 'Ashlar',
  protocols: ['local'],
  commands: [],
  semantics: { deleteVolumeWithSnapshots: 'allowed' },
  configSchema: { type: 'object' },
} as const;

// A driver with no optional capability needs only the required methods.
export const minimal = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: [] },
  create: () => base,
});

// Declaring `snapshots` makes createSnapshot & co. required...
export const snapshotsMissing = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: ['snapshots'] },
  // @ts-expect-error VolumeDriver lacks createSnapshot, deleteSnapshot, createVolumeFromSnapshot
  create: () => base,
});

// ...and a driver that implements them satisfies it.
declare const withSnapshots: DriverWith<'snapshots'>;
export const snapshotsPresent = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: ['snapshots'] },
  create: () => withSnapshots,
});

// Two capabilities require both interfaces: snapshots alone is not enough for clone.
export const cloneMissing = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: ['snapshots', 'clone'] },
  // @ts-expect-error createClonedVolume is missing
  create: () => withSnapshots,
});

// Replication requires the active-active split: failover without failoverCompleted fails.
declare const halfReplication: VolumeDriver & { failover: DriverWith<'replication'>['failover'] };
export const replicationHalf = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: ['replication'] },
  // @ts-expect-error failoverCompleted is missing
  create: () => halfReplication,
});

// Flag-only capabilities add no methods.
export const flagsOnly = definePlugin({
  manifest: { ...manifestBase, protocols: ['local'], commands: [], capabilities: ['multiattach', 'onlineExtend', 'thinProvisioning'] },
  create: () => base,
});

// Unknown capability names are rejected.
// @ts-expect-error 'teleport' is not a capability
export const unknownCapability: Capability[] = ['snapshots', 'teleport'];

// Every call takes one args object with a signal: a positional call does not type-check.
export async function positionalCall(): Promise<void> {
  // @ts-expect-error createVolume takes an args object, not positional arguments
  await base.createVolume('vol-1', 1);
  // @ts-expect-error the args object needs a signal
  await base.createVolume({ volume: { id: 'vol-1', sizeGiB: 1 } });
  await base.createVolume({ volume: { id: 'vol-1', sizeGiB: 1 }, signal: AbortSignal.timeout(1000) });
}

export const usesContext = (): DriverContext => ctx;
