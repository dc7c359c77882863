import type { WorkTable } from '../db/tables.js';
import { newId } from '../util.js';
import type { Backend } from './backends.js';
import type { ManagerContext } from './manager-context.js';
import { sweepOrphans } from './recovery.js';
import { WorkClaims } from './work-claims.js';
import { WorkRunner } from './work-runner.js';

/** Options of {@link VolumeManager}: what its parts share (less the claim owner it picks), and how it runs. */
export interface VolumeManagerOptions extends Omit<ManagerContext, 'claimOwner' | 'onCapacityChange'> {
  /** Poll the work table this often (ms) for work other processes queued; 0 disables. */
  readonly pollMs?: number;
  /** Called after a volume's capacity on a backend changed (scheduler bookkeeping). */
  readonly onCapacityChange?: (backend: Backend) => void;
  /**
   * Set when other volume services may serve the same host (active-active, with a
   * distributed coordinator): a work record is then claimed before it runs, and a claim
   * its owner has not renewed for `claimTimeoutMs` (the owner died) is taken over.
   * Unset, this process is the only one running its host's work and never claims.
   */
  readonly cluster?: { readonly claimTimeoutMs: number } | undefined;
}

/**
 * Runs the asynchronous operations of volumes and snapshots. Each operation is a durable
 * work record (written with the status change that started it) that runs under
 * per-resource locks (lock-plan.ts) and is removed in the same transaction as its outcome
 * (work-outcome.ts). At start-up it resumes every record left by a crash (each operation
 * is safe to repeat) and moves anything transitional without a record to the error status
 * of what it was doing, with a user message (recovery.ts). In a cluster, records are
 * claimed before they run (work-claims.ts).
 */
export class VolumeManager {
  readonly #o: VolumeManagerOptions;
  readonly #ctx: ManagerContext;
  readonly #runner: WorkRunner;
  readonly #claims: WorkClaims | undefined;
  #poller: NodeJS.Timeout | undefined;
  #renewer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: VolumeManagerOptions) {
    this.#o = options;
    const claimOwner = options.cluster ? newId() : undefined;
    this.#ctx = { host: options.host, db: options.db, backends: options.backends, coordinator: options.coordinator, messages: options.messages, logger: options.logger, onCapacityChange: options.onCapacityChange, claimOwner };
    this.#runner = new WorkRunner(this.#ctx);
    this.#claims = options.cluster && claimOwner ? new WorkClaims({ ...this.#ctx, claimOwner }, this.#runner, options.cluster.claimTimeoutMs) : undefined;
  }

  /** Recovers what a previous run left, then starts polling when configured. */
  async start(): Promise<{ resumed: number; failed: number }> {
    const failed = await sweepOrphans(this.#ctx);
    if (this.#claims) {
      this.#renewer = setInterval(() => void this.#claims!.renew(), Math.max(100, this.#o.cluster!.claimTimeoutMs / 3));
      this.#renewer.unref();
    }
    const resumed = this.#claims ? await this.#claims.passes() : await this.#resumeAll();
    // A failed poll (database briefly unreachable) must not become an unhandled rejection.
    if (this.#o.pollMs) this.#poller = setInterval(() => void this.poll().catch((err: unknown) => this.#o.logger.warn({ err }, 'work poll failed')), this.#o.pollMs);
    return { resumed, failed };
  }

  /** Runs a work record this process just wrote. */
  submit(row: WorkTable): void {
    if (row.host !== this.#o.host) return;
    // In a cluster the record must be queued in order with everyone else's.
    if (this.#claims) void this.poll();
    // Started on the next turn of the event loop, after the request that queued it has
    // answered: the client is not kept waiting behind the backend work it asked for.
    else this.#runner.launch(row, { resume: false, deferred: true });
  }

  /** Picks up work records other processes wrote for this host. */
  async poll(): Promise<void> {
    if (this.#closed) return;
    if (this.#claims) {
      await this.#claims.passes().catch((err: unknown) => this.#o.logger.warn({ err }, 'work poll failed'));
      return;
    }
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).execute();
    for (const row of rows) if (!this.#runner.isRunning(row.id)) this.#runner.launch(row, { resume: false });
  }

  /** Waits for every running operation (tests, shutdown). */
  idle(): Promise<void> {
    return this.#runner.idle();
  }

  /** Stops polling and claiming, and waits for running work. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poller) clearInterval(this.#poller);
    await this.#claims?.close();
    await this.idle();
    if (this.#renewer) clearInterval(this.#renewer);
  }

  /** Single-process start: every record of this host left by a previous run resumes. */
  async #resumeAll(): Promise<number> {
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).orderBy('created_at').execute();
    for (const row of rows) this.#runner.launch(row, { resume: true });
    return rows.length;
  }
}
