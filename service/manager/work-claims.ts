/**
 * Active-active: several volume services serve one host, so each record is claimed before
 * it runs. A pass handles the host's records in `created_at` order and, for each, first
 * takes its place in the lock queues and only then claims it (compare-and-set on `owner`):
 * a record another process claimed is queued before any later one, so a delete accepted
 * after clones of its source waits for them in every process. A claim its owner has not
 * renewed for `claimTimeoutMs` (the owner died) is taken over.
 */
import type { QueuedLocks } from '../coordination/coordinator.js';
import type { WorkTable } from '../db/tables.js';
import { now } from '../util.js';
import { locksFor } from './lock-plan.js';
import type { ManagerContext } from './manager-context.js';
import type { WorkArgs } from './work.js';
import type { WorkRunner } from './work-runner.js';

/** Milliseconds since the epoch of a `now()` timestamp; 0 for none. */
function parseTime(t: string | null): number {
  return t ? Date.parse(`${t.slice(0, 23)}Z`) : 0;
}

/** Claims and launches this host's work in a cluster. */
export class WorkClaims {
  readonly #ctx: ManagerContext;
  readonly #owner: string;
  readonly #runner: WorkRunner;
  readonly #claimTimeoutMs: number;
  #pass: Promise<number> | undefined;
  #passAgain = false;
  #closed = false;

  constructor(ctx: ManagerContext & { readonly claimOwner: string }, runner: WorkRunner, claimTimeoutMs: number) {
    this.#ctx = ctx;
    this.#owner = ctx.claimOwner;
    this.#runner = runner;
    this.#claimTimeoutMs = claimTimeoutMs;
  }

  /** Stops starting passes (the one in progress finishes). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pass?.catch(() => undefined);
  }

  /** Runs claim passes until no request for another one arrived during the last. */
  passes(): Promise<number> {
    if (this.#pass) {
      this.#passAgain = true;
      return this.#pass;
    }
    const run = async (): Promise<number> => {
      let launched = 0;
      try {
        do {
          this.#passAgain = false;
          launched += await this.#pass1();
        } while (this.#passAgain && !this.#closed);
      } finally {
        this.#pass = undefined;
      }
      return launched;
    };
    this.#pass = run();
    return this.#pass;
  }

  /** Tells the other volume services this process is alive and still runs its work. */
  async renew(): Promise<void> {
    if (this.#runner.size === 0) return;
    await this.#ctx.db
      .updateTable('work')
      .set({ claimed_at: now() })
      .where('owner', '=', this.#owner)
      .execute()
      .catch((err: unknown) => this.#ctx.logger.warn({ err }, 'work claim renewal failed'));
  }

  /**
   * Queues and claims every record of this host that nobody live runs: unclaimed ones,
   * ones whose owner stopped renewing, and this process's own that are not running (a
   * failed finish). Returns how many it launched.
   */
  async #pass1(): Promise<number> {
    const rows = await this.#ctx.db.selectFrom('work').selectAll().where('host', '=', this.#ctx.host).orderBy('created_at').orderBy('id').execute();
    const staleBefore = Date.now() - this.#claimTimeoutMs;
    let launched = 0;
    for (const row of rows) {
      if (this.#closed) break;
      if (this.#runner.isRunning(row.id)) continue;
      if (row.owner !== null && row.owner !== this.#owner && parseTime(row.claimed_at) > staleBefore) continue;
      if (await this.#claimAndLaunch(row)) launched++;
    }
    return launched;
  }

  async #claimAndLaunch(row: WorkTable): Promise<boolean> {
    const abort = new AbortController();
    let queued: QueuedLocks;
    try {
      queued = await this.#ctx.coordinator.queueAll(locksFor(row, JSON.parse(row.args) as WorkArgs), abort.signal);
    } catch (err) {
      this.#ctx.logger.warn({ err, work: row.id }, 'could not queue for the locks of work');
      return false;
    }
    const claimedAt = now();
    let claim = this.#ctx.db.updateTable('work').set({ owner: this.#owner, claimed_at: claimedAt }).where('id', '=', row.id);
    claim = row.owner === null ? claim.where('owner', 'is', null) : claim.where('owner', '=', row.owner).where('claimed_at', '=', row.claimed_at ?? '');
    const won = await claim
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows) === 1)
      .catch((err: unknown) => (this.#ctx.logger.warn({ err, work: row.id }, 'work claim failed'), false));
    if (!won) {
      abort.abort();
      queued.granted.then((release) => release(), () => undefined);
      return false;
    }
    if (row.owner !== null) this.#ctx.logger.warn({ work: row.id, op: row.operation, previousOwner: row.owner, owner: this.#owner }, 'took over work from a volume service that stopped');
    this.#runner.launch({ ...row, owner: this.#owner, claimed_at: claimedAt }, { resume: row.owner !== null, granted: queued.granted });
    return true;
  }
}
