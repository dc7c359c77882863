import type { Kysely, Transaction } from 'kysely';
import type { Database, WorkTable } from '../db/tables.js';
import { newId } from '../util.js';

/** The asynchronous operations of the volume manager. */
export type WorkOperation = 'create_volume' | 'delete_volume' | 'extend_volume' | 'create_snapshot' | 'delete_snapshot' | 'revert_volume';

/** Arguments of an operation, stored as JSON with the work record. */
export interface WorkArgs {
  /** create_volume: where the data comes from. */
  readonly source?: { readonly kind: 'snapshot' | 'volume'; readonly id: string };
  /** extend_volume. */
  readonly newSize?: number;
  /** extend_volume: the status to return to (available or in-use). */
  readonly returnStatus?: string;
  /** revert_volume. */
  readonly snapshotId?: string;
  /**
   * delete_snapshot queued with its volume's delete (cascade): the volume and its
   * `host@backend#pool`, so a resumed snapshot delete still finds its backend after the
   * volume's own delete removed the volume row.
   */
  readonly volumeId?: string;
  readonly volumeHost?: string;
}

/** A work record to write. */
export interface NewWork {
  readonly host: string;
  readonly resourceType: 'volume' | 'snapshot';
  readonly resourceId: string;
  readonly operation: WorkOperation;
  readonly args?: WorkArgs;
  readonly requestId: string;
  readonly projectId: string;
}

/**
 * Writes a work record; call it in the same transaction as the status change that starts
 * the operation, so a crash can never leave one without the other.
 */
export async function enqueueWork(trx: Transaction<Database> | Kysely<Database>, w: NewWork): Promise<WorkTable> {
  const row: WorkTable = {
    id: newId(),
    host: w.host,
    resource_type: w.resourceType,
    resource_id: w.resourceId,
    operation: w.operation,
    args: JSON.stringify(w.args ?? {}),
    request_id: w.requestId,
    project_id: w.projectId,
    created_at: workTimestamp(),
    owner: null,
    claimed_at: null,
  };
  await trx.insertInto('work').values(row).execute();
  return row;
}

let lastWorkMicros = 0;

/**
 * Now, in the format of `now()`, but strictly increasing within this process: volume
 * services queue work for locks in `created_at` order, so a clone accepted just before a
 * delete of its source (possibly in the same millisecond) must sort first.
 */
function workTimestamp(): string {
  const micros = Math.max(Date.now() * 1000, lastWorkMicros + 1);
  lastWorkMicros = micros;
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}`;
}
