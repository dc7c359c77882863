/**
 * How a work record ends: its outcome (final status, or the row removed) is written in the
 * same transaction that removes the record, so a crash leaves either the work or its
 * outcome, never neither.
 */
import type { Kysely, Transaction } from 'kysely';
import { AshlarError, hasErrorCode, isAshlarError } from '../../core/errors/ashlar-error.js';
import type { Database, WorkTable } from '../db/tables.js';
import type { ManagerContext } from './manager-context.js';
import type { MessageEvent } from './messages.js';

/** Writes an outcome inside the finishing transaction. */
export type OutcomeWriter = (trx: Transaction<Database> | Kysely<Database>) => Promise<unknown>;

/**
 * Writes the outcome and removes the record. In a cluster the record is removed only while
 * this process still owns it (another that took the work over wins). An outcome whose
 * status compare-and-set fails (an administrator reset or force-deleted the resource
 * meanwhile) is superseded: the record goes and the other writer's status stays.
 */
export async function finishWork(ctx: ManagerContext, row: WorkTable, write: OutcomeWriter): Promise<void> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await write(trx);
      await removeRecord(ctx, trx, row);
    });
  } catch (err) {
    if (!hasErrorCode(err, 'INVALID_STATE') || (err.details as { resource?: string } | undefined)?.resource === 'work') throw err;
    ctx.logger.warn({ work: row.id, op: row.operation, reason: err.message }, 'work outcome superseded by another status change');
    await ctx.db.transaction().execute((trx) => removeRecord(ctx, trx, row));
  }
}

async function removeRecord(ctx: ManagerContext, trx: Transaction<Database>, row: WorkTable): Promise<void> {
  if (!ctx.claimOwner) return void (await trx.deleteFrom('work').where('id', '=', row.id).execute());
  const r = await trx.deleteFrom('work').where('id', '=', row.id).where('owner', '=', ctx.claimOwner).executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) throw new AshlarError('INVALID_STATE', { details: { resource: 'work', reason: `work ${row.id} is no longer owned by this volume service` } });
}

/** A failed operation: the status it leaves and the user message it records. */
export interface Failure {
  readonly write: OutcomeWriter;
  readonly event: MessageEvent;
  readonly resourceType: 'VOLUME' | 'SNAPSHOT';
  readonly projectId: string;
}

/** Ends a record with a failure: the error status, then a user message naming the cause. */
export async function failWork(ctx: ManagerContext, row: WorkTable, failure: Failure, err: unknown): Promise<void> {
  ctx.logger.warn({ err, resource: row.resource_id, op: row.operation }, 'operation failed');
  await finishWork(ctx, row, failure.write);
  await ctx.messages.record({ projectId: failure.projectId, requestId: row.request_id, resourceType: failure.resourceType, resourceId: row.resource_id, event: failure.event, ...detail(err) });
}

function detail(err: unknown): { detail?: string } {
  if (err === undefined) return {};
  if (hasErrorCode(err, 'INSUFFICIENT_CAPACITY')) return { detail: `${err.code}: ${err.message}` };
  if (isAshlarError(err)) return { detail: err.code };
  return { detail: 'BACKEND_ERROR' };
}
