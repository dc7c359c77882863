/**
 * One state machine per resource: a status union, a transition table typed over it, and
 * one compare-and-set through which every writer (routes and the volume manager alike)
 * changes a status. Two requests or two processes can never both win a transition, and no
 * code path can invent one: a change the table does not list is a coded error.
 */
import type { Kysely, Transaction } from 'kysely';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Database } from '../db/tables.js';
import { now } from '../util.js';

/** The tables whose rows carry a status driven by a machine. */
export type StatefulTable = 'volumes' | 'snapshots' | 'attachments' | 'volume_groups' | 'group_snapshots';

/** A resource's statuses and the moves between them. */
export interface StateMachine<S extends string> {
  /** Resource name used in error messages (`volume`, `snapshot`, `attachment`). */
  readonly resource: string;
  readonly table: StatefulTable;
  /** Every status, in documentation order. */
  readonly statuses: readonly S[];
  /** from → the statuses it may move to. A status may list itself (e.g. in-use → in-use). */
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  /** Statuses the service is working in: after a restart none may stay without work. */
  readonly transitional: readonly S[];
}

/** Builds a machine, checking that the table names only known statuses. */
export function defineMachine<S extends string>(machine: StateMachine<S>): StateMachine<S> {
  const known = new Set<string>(machine.statuses);
  for (const [from, tos] of Object.entries(machine.transitions) as [string, readonly string[]][]) {
    for (const s of [from, ...tos]) if (!known.has(s)) throw new Error(`${machine.resource} machine: unknown status ${s}`);
  }
  return machine;
}

/** True when the table allows `from` → `to`. */
export function canTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.transitions[from]?.includes(to) ?? false;
}

/** True when `value` is one of the machine's statuses. */
export function isStatus<S extends string>(machine: StateMachine<S>, value: string): value is S {
  return (machine.statuses as readonly string[]).includes(value);
}

/** What a transition needs to know about the row it moves. */
export interface TransitionRequest<S extends string, Row> {
  /** The row as last read (its id and status). */
  readonly row: { readonly id: string; readonly status: string };
  /** Statuses the action starts from (its precondition); each must be allowed to reach `to`. */
  readonly from: readonly S[];
  readonly to: S;
  /** The action, for messages (`extend`, `attach`, `finish create`). */
  readonly action: string;
  /** Other columns written in the same update. */
  readonly set?: Partial<Row>;
}

/**
 * Moves a row from its current status to `to` with a compare-and-set on the status it was
 * read with.
 *
 * @throws ILLEGAL_TRANSITION when the table does not allow some `from` → `to` (a defect);
 * INVALID_STATE when the row is not in one of `from`, or another writer moved it first.
 */
export async function transition<S extends string, Row>(
  db: Kysely<Database> | Transaction<Database>,
  machine: StateMachine<S>,
  request: TransitionRequest<S, Row>,
): Promise<void> {
  const { row, from, to, action } = request;
  for (const f of from) {
    if (!canTransition(machine, f, to)) throw illegal(machine, f, to, action);
  }
  if (!(from as readonly string[]).includes(row.status)) {
    throw new AshlarError('INVALID_STATE', { details: { resource: machine.resource, reason: `${action}: ${machine.resource} status must be ${from.join(' or ')}, not ${row.status}.` } });
  }
  const set = { ...(request.set ?? {}), status: to, ...(machine.table === 'attachments' ? {} : { updated_at: now() }) };
  const r = await (db as Kysely<Database>)
    .updateTable(machine.table)
    .set(set as never)
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    throw new AshlarError('INVALID_STATE', { details: { resource: machine.resource, reason: `${action}: ${machine.resource} status changed during the request.` } });
  }
}

/**
 * Writes other columns of a row only while its status is still the one it was read with
 * (no transition: e.g. a retype leaves the status as it was).
 *
 * @throws INVALID_STATE when another writer changed the status first.
 */
export async function updateInStatus<Row>(
  db: Kysely<Database> | Transaction<Database>,
  machine: StateMachine<string>,
  row: { readonly id: string; readonly status: string },
  set: Partial<Row>,
  action: string,
): Promise<void> {
  const values = { ...set, ...(machine.table === 'attachments' ? {} : { updated_at: now() }) };
  const r = await (db as Kysely<Database>).updateTable(machine.table).set(values as never).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    throw new AshlarError('INVALID_STATE', { details: { resource: machine.resource, reason: `${action}: ${machine.resource} status changed during the request.` } });
  }
}

/**
 * Where the end of an operation depends on what is left (the last attachment went), not
 * on a precondition: moves the row from its current status to `to` when the table allows
 * it, and otherwise leaves the status as it is (already `to`, or a status such as `error`
 * that only an administrator clears), writing `set` either way under the compare-and-set.
 *
 * @returns Whether the status moved.
 * @throws INVALID_STATE when another writer changed the status first.
 */
export async function settleTo<S extends string, Row>(
  db: Kysely<Database> | Transaction<Database>,
  machine: StateMachine<S>,
  row: { readonly id: string; readonly status: string },
  to: S,
  action: string,
  set: Partial<Row> = {},
): Promise<boolean> {
  const from = row.status;
  if (from !== to && isStatus(machine, from) && canTransition(machine, from, to)) {
    await transition(db, machine, { row, from: [from], to, action, set });
    return true;
  }
  await updateInStatus(db, machine, row, set, action);
  return false;
}

/**
 * An administrator's override (os-reset_status): sets any known status without the table,
 * as Cinder allows, still refusing a status the resource does not have.
 *
 * @throws BAD_REQUEST for an unknown status.
 */
export async function resetStatus<S extends string, Row>(
  db: Kysely<Database> | Transaction<Database>,
  machine: StateMachine<S>,
  id: string,
  status: string,
  set: Partial<Row> = {},
): Promise<void> {
  if (!isStatus(machine, status)) {
    throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid ${machine.resource} status ${JSON.stringify(status)}: expected one of ${machine.statuses.join(', ')}.` } });
  }
  const values = { ...set, status, ...(machine.table === 'attachments' ? {} : { updated_at: now() }) };
  await (db as Kysely<Database>).updateTable(machine.table).set(values as never).where('id', '=', id).execute();
}

function illegal(machine: StateMachine<string>, from: string, to: string, action: string): AshlarError {
  return new AshlarError('ILLEGAL_TRANSITION', { details: { resource: machine.resource, from, to, action } });
}
