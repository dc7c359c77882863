/**
 * Runs work records: each once at a time per record, under its locks, after the request
 * that queued it has answered; keeps track of what runs so shutdown can wait for it.
 */
import type { Release } from '../coordination/coordinator.js';
import type { WorkTable } from '../db/tables.js';
import { locksFor } from './lock-plan.js';
import type { ManagerContext } from './manager-context.js';
import { runSnapshotWork } from './operations/snapshot-operations.js';
import { runVolumeWork } from './operations/volume-operations.js';
import type { WorkArgs } from './work.js';

/** How a record is started. */
export interface LaunchOptions {
  /** A previous run may have done part of it. */
  readonly resume: boolean;
  /** Locks already queued for (a cluster claim queues before it claims). */
  readonly granted?: Promise<Release> | undefined;
  /** Start on a later turn of the event loop (after the current request answered). */
  readonly deferred?: boolean;
}

/** The records this process runs. */
export class WorkRunner {
  readonly #ctx: ManagerContext;
  readonly #running = new Map<string, Promise<void>>();

  constructor(ctx: ManagerContext) {
    this.#ctx = ctx;
  }

  /** True while the record runs here. */
  isRunning(id: string): boolean {
    return this.#running.has(id);
  }

  /** How many records run here. */
  get size(): number {
    return this.#running.size;
  }

  /** Starts a record unless it already runs (then releases locks queued for it). */
  launch(row: WorkTable, options: LaunchOptions): void {
    if (this.#running.has(row.id)) {
      options.granted?.then((release) => release(), () => undefined);
      return;
    }
    // Deferred work is registered as running at once (idle() waits for it) and starts in
    // submission order (setImmediate callbacks run first in, first out).
    const start = options.deferred ? new Promise<void>((resolve) => setImmediate(resolve)) : Promise.resolve();
    const p = start
      .then(() => this.#execute(row, options))
      .catch((err: unknown) => this.#ctx.logger.error({ err, work: row.id }, 'work failed to finish'))
      .finally(() => this.#running.delete(row.id));
    this.#running.set(row.id, p);
  }

  /** Waits for every running record. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async #execute(row: WorkTable, options: LaunchOptions): Promise<void> {
    const args = JSON.parse(row.args) as WorkArgs;
    const log = this.#ctx.logger.child({ work: row.id, op: row.operation, resource: row.resource_id, resume: options.resume });
    const release = await (options.granted ?? this.#ctx.coordinator.acquireAll(locksFor(row, args)));
    const started = performance.now();
    log.debug('work started');
    try {
      if (row.resource_type === 'volume') await runVolumeWork(this.#ctx, row, args, options.resume);
      else await runSnapshotWork(this.#ctx, row, args, options.resume);
      log.debug({ ms: Math.round(performance.now() - started) }, 'work done');
    } finally {
      release();
    }
  }
}
