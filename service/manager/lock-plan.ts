import type { LockMode } from '../coordination/coordinator.js';
import type { WorkTable } from '../db/tables.js';
import type { WorkArgs, WorkOperation } from './work.js';

/** A lock an operation holds while it runs. */
export interface LockRequest {
  readonly name: string;
  readonly mode: LockMode;
}

/**
 * The locks a work record runs under: its own resource exclusively, what it reads from
 * shared. Clones and snapshots of one volume therefore run together, while a delete of
 * that volume (exclusive) waits for all of them; a snapshot deleted with its volume holds
 * the volume shared, so the volume's delete (queued after it) waits for the snapshot's.
 */
export function locksFor(row: WorkTable, args: WorkArgs): LockRequest[] {
  switch (row.operation as WorkOperation) {
    case 'create_volume':
      return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }, ...(args.source ? [{ name: `${args.source.kind}:${args.source.id}`, mode: 'shared' as const }] : [])];
    case 'revert_volume':
      return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }, { name: `snapshot:${args.snapshotId}`, mode: 'shared' }];
    case 'create_snapshot':
      return [{ name: `snapshot:${row.resource_id}`, mode: 'exclusive' }, { name: `volume:${args.source?.id ?? ''}`, mode: 'shared' }];
    case 'delete_snapshot':
      return [{ name: `snapshot:${row.resource_id}`, mode: 'exclusive' }, ...(args.volumeId ? [{ name: `volume:${args.volumeId}`, mode: 'shared' as const }] : [])];
    default:
      return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }];
  }
}
