import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DriverSnapshot, DriverVolume } from '../../core/contract/types.js';
import { AshlarError, hasErrorCode, isAshlarError } from '../../core/errors/ashlar-error.js';
import type { Coordinator, LockMode, QueuedLocks, Release } from '../coordination/coordinator.js';
import type { Database, SnapshotsTable, VolumesTable, WorkTable } from '../db/tables.js';
import { newId, now, parseMap } from '../util.js';
import type { Backend, BackendRegistry } from './backends.js';
import type { MessageEvent, MessageRecorder } from './messages.js';
import { SNAPSHOT_TRANSITIONAL, VOLUME_TRANSITIONAL } from './states.js';
import type { WorkArgs, WorkOperation } from './work.js';

/** Options of {@link VolumeManager}. */
export interface VolumeManagerOptions {
  readonly host: string;
  readonly db: Kysely<Database>;
  readonly backends: BackendRegistry;
  readonly coordinator: Coordinator;
  readonly messages: MessageRecorder;
  readonly logger: Logger;
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

type Failure = { status: string; event: MessageEvent };

/**
 * Runs the asynchronous operations of volumes and snapshots. Each operation is a durable
 * work record (written with the status change that started it) that the manager executes
 * under per-resource locks and removes in the same transaction as the final status. At
 * start-up it resumes every record left by a crash (each operation is safe to repeat) and
 * moves anything still in a transitional status without a record to an error status with
 * a user message.
 *
 * In a cluster, each pass over the work table handles records in `created_at` order and,
 * for each, first takes its place in the lock queues and only then claims the record
 * (compare-and-set on `owner`): so a record another process claimed is queued before any
 * later one, and a delete accepted after clones of its source waits for them in every
 * process. Finishing deletes the record only while this process still owns it.
 */
export class VolumeManager {
  readonly #o: VolumeManagerOptions;
  readonly #running = new Map<string, Promise<void>>();
  #poller: NodeJS.Timeout | undefined;
  #closed = false;
  /** This process, as the owner of the work it claims. */
  readonly #owner = newId();
  #renewer: NodeJS.Timeout | undefined;
  /** The claim pass in progress, and whether another must follow it. */
  #pass: Promise<number> | undefined;
  #passAgain = false;

  constructor(options: VolumeManagerOptions) {
    this.#o = options;
  }

  /** Recovers what a previous run left, then starts polling when configured. */
  async start(): Promise<{ resumed: number; failed: number }> {
    const failed = await this.#sweepOrphans();
    if (this.#o.cluster) {
      this.#renewer = setInterval(() => void this.#renewClaims(), Math.max(100, this.#o.cluster.claimTimeoutMs / 3));
      this.#renewer.unref();
      const resumed = await this.#claimPasses();
      if (this.#o.pollMs) this.#poller = setInterval(() => void this.poll(), this.#o.pollMs);
      return { resumed, failed };
    }
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).orderBy('created_at').execute();
    for (const row of rows) this.#launch(row, true);
    // A failed poll (database briefly unreachable) must not become an unhandled rejection.
    if (this.#o.pollMs) this.#poller = setInterval(() => void this.poll().catch((err: unknown) => this.#o.logger.warn({ err }, 'work poll failed')), this.#o.pollMs);
    return { resumed: rows.length, failed };
  }

  /** Runs a work record this process just wrote. */
  submit(row: WorkTable): void {
    if (row.host !== this.#o.host) return;
    // In a cluster the record must be queued in order with everyone else's.
    if (this.#o.cluster) void this.poll();
    // Started on the next turn of the event loop, after the request that queued it has
    // answered: the client is not kept waiting behind the backend work it asked for.
    else this.#launch(row, false, undefined, true);
  }

  /** Picks up work records other processes wrote for this host. */
  async poll(): Promise<void> {
    if (this.#closed) return;
    if (this.#o.cluster) {
      await this.#claimPasses().catch((err: unknown) => this.#o.logger.warn({ err }, 'work poll failed'));
      return;
    }
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).execute();
    for (const row of rows) if (!this.#running.has(row.id)) this.#launch(row, false);
  }

  /** Waits for every running operation (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poller) clearInterval(this.#poller);
    await this.#pass?.catch(() => undefined);
    await this.idle();
    if (this.#renewer) clearInterval(this.#renewer);
  }

  /** Runs claim passes until no request for another one arrived during the last. */
  #claimPasses(): Promise<number> {
    if (this.#pass) {
      this.#passAgain = true;
      return this.#pass;
    }
    const run = async (): Promise<number> => {
      let launched = 0;
      try {
        do {
          this.#passAgain = false;
          launched += await this.#claimPass();
        } while (this.#passAgain && !this.#closed);
      } finally {
        this.#pass = undefined;
      }
      return launched;
    };
    this.#pass = run();
    return this.#pass;
  }

  /**
   * Queues and claims, in `created_at` order, every record of this host that nobody
   * live runs: unclaimed ones, ones whose owner stopped renewing, and this process's own
   * that are not running (a failed finish). Returns how many it launched.
   */
  async #claimPass(): Promise<number> {
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).orderBy('created_at').orderBy('id').execute();
    const staleBefore = Date.now() - this.#o.cluster!.claimTimeoutMs;
    let launched = 0;
    for (const row of rows) {
      if (this.#closed) break;
      if (this.#running.has(row.id)) continue;
      if (row.owner !== null && row.owner !== this.#owner && parseTime(row.claimed_at) > staleBefore) continue;
      if (await this.#claimAndLaunch(row)) launched++;
    }
    return launched;
  }

  async #claimAndLaunch(row: WorkTable): Promise<boolean> {
    const abort = new AbortController();
    let queued: QueuedLocks;
    try {
      queued = await this.#o.coordinator.queueAll(this.#locksFor(row, row.operation as WorkOperation, JSON.parse(row.args) as WorkArgs), abort.signal);
    } catch (err) {
      this.#o.logger.warn({ err, work: row.id }, 'could not queue for the locks of work');
      return false;
    }
    const claimedAt = now();
    let claim = this.#o.db.updateTable('work').set({ owner: this.#owner, claimed_at: claimedAt }).where('id', '=', row.id);
    claim = row.owner === null ? claim.where('owner', 'is', null) : claim.where('owner', '=', row.owner).where('claimed_at', '=', row.claimed_at ?? '');
    const won = await claim
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows) === 1)
      .catch((err: unknown) => (this.#o.logger.warn({ err, work: row.id }, 'work claim failed'), false));
    if (!won) {
      abort.abort();
      queued.granted.then((release) => release(), () => undefined);
      return false;
    }
    if (row.owner !== null) this.#o.logger.warn({ work: row.id, op: row.operation, previousOwner: row.owner, owner: this.#owner }, 'took over work from a volume service that stopped');
    this.#launch({ ...row, owner: this.#owner, claimed_at: claimedAt }, row.owner !== null, queued.granted);
    return true;
  }

  /** Tells the other volume services this process is alive and still runs its work. */
  async #renewClaims(): Promise<void> {
    if (this.#running.size === 0) return;
    await this.#o.db
      .updateTable('work')
      .set({ claimed_at: now() })
      .where('owner', '=', this.#owner)
      .execute()
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'work claim renewal failed'));
  }

  #launch(row: WorkTable, resume: boolean, granted?: Promise<Release>, deferred = false): void {
    if (this.#running.has(row.id)) {
      granted?.then((release) => release(), () => undefined);
      return;
    }
    // Deferred work is registered as running at once (idle() waits for it) and starts in
    // submission order (setImmediate callbacks run first in, first out).
    const start = deferred ? new Promise<void>((resolve) => setImmediate(resolve)) : Promise.resolve();
    const p = start
      .then(() => this.#execute(row, resume, granted))
      .catch((err) => this.#o.logger.error({ err, work: row.id }, 'work failed to finish'))
      .finally(() => this.#running.delete(row.id));
    this.#running.set(row.id, p);
  }

  async #execute(row: WorkTable, resume: boolean, granted: Promise<Release> | undefined): Promise<void> {
    const args = JSON.parse(row.args) as WorkArgs;
    const op = row.operation as WorkOperation;
    const log = this.#o.logger.child({ work: row.id, op, resource: row.resource_id, resume });
    const release = await (granted ?? this.#o.coordinator.acquireAll(this.#locksFor(row, op, args)));
    const started = performance.now();
    log.debug('work started');
    try {
      if (row.resource_type === 'volume') await this.#volumeWork(row, op, args, resume);
      else await this.#snapshotWork(row, op, resume);
      log.debug({ ms: Math.round(performance.now() - started) }, 'work done');
    } finally {
      release();
    }
  }

  #locksFor(row: WorkTable, op: WorkOperation, args: WorkArgs): { name: string; mode: LockMode }[] {
    switch (op) {
      case 'create_volume':
        return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }, ...(args.source ? [{ name: `${args.source.kind}:${args.source.id}`, mode: 'shared' as const }] : [])];
      case 'revert_volume':
        return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }, { name: `snapshot:${args.snapshotId}`, mode: 'shared' }];
      case 'create_snapshot':
        return [{ name: `snapshot:${row.resource_id}`, mode: 'exclusive' }, { name: `volume:${(args.source?.id) ?? ''}`, mode: 'shared' }];
      case 'delete_snapshot':
        return [{ name: `snapshot:${row.resource_id}`, mode: 'exclusive' }];
      default:
        return [{ name: `volume:${row.resource_id}`, mode: 'exclusive' }];
    }
  }

  async #volumeWork(row: WorkTable, op: WorkOperation, args: WorkArgs, resume: boolean): Promise<void> {
    const db = this.#o.db;
    const vol = await db.selectFrom('volumes').selectAll().where('id', '=', row.resource_id).executeTakeFirst();
    if (!vol) return this.#finish(row, async () => {});
    const failures: Record<string, Failure> = {
      create_volume: { status: 'error', event: 'CREATE_VOLUME_FAILED' },
      delete_volume: { status: 'error_deleting', event: 'DELETE_VOLUME_FAILED' },
      extend_volume: { status: 'error_extending', event: 'EXTEND_VOLUME_FAILED' },
      revert_volume: { status: 'error', event: 'REVERT_VOLUME_FAILED' },
    };
    let backend: Backend;
    try {
      backend = this.#o.backends.forHost(vol.host);
    } catch {
      return this.#failVolume(row, vol, { status: failures[op]!.status, event: 'BACKEND_GONE' }, undefined);
    }
    const driver = backend.driver;
    const dv = await this.#driverVolume(vol);
    try {
      switch (op) {
        case 'create_volume': {
          if (resume) await driver.deleteVolume({ volume: dv });
          let result;
          if (args.source?.kind === 'snapshot') {
            const snap = await db.selectFrom('snapshots').selectAll().where('id', '=', args.source.id).executeTakeFirstOrThrow();
            result = await driver.createVolumeFromSnapshot({ volume: dv, snapshot: driverSnapshot(snap) });
          } else if (args.source?.kind === 'volume') {
            const src = await db.selectFrom('volumes').selectAll().where('id', '=', args.source.id).executeTakeFirstOrThrow();
            result = await driver.createClonedVolume({ volume: dv, source: await this.#driverVolume(src) });
          } else {
            result = await driver.createVolume({ volume: dv });
          }
          await this.#finish(row, (trx) =>
            trx.updateTable('volumes').set({ status: 'available', provider_location: result.providerLocation ?? null, updated_at: now() }).where('id', '=', vol.id).execute(),
          );
          break;
        }
        case 'delete_volume':
          await driver.deleteVolume({ volume: dv });
          await this.#finish(row, async (trx) => {
            await trx.deleteFrom('attachments').where('volume_id', '=', vol.id).execute();
            await trx.deleteFrom('volumes').where('id', '=', vol.id).execute();
          });
          break;
        case 'extend_volume': {
          const newSize = args.newSize!;
          await driver.extendVolume({ volume: { ...dv, sizeGiB: Math.min(dv.sizeGiB, newSize) }, newSizeGiB: newSize });
          await this.#finish(row, (trx) =>
            trx.updateTable('volumes').set({ status: args.returnStatus ?? 'available', size: newSize, updated_at: now() }).where('id', '=', vol.id).execute(),
          );
          break;
        }
        case 'revert_volume': {
          const snap = await db.selectFrom('snapshots').selectAll().where('id', '=', args.snapshotId!).executeTakeFirstOrThrow();
          await driver.revertToSnapshot({ volume: dv, snapshot: driverSnapshot(snap) });
          await this.#finish(row, async (trx) => {
            await trx.updateTable('volumes').set({ status: 'available', updated_at: now() }).where('id', '=', vol.id).execute();
            await trx.updateTable('snapshots').set({ status: 'available', updated_at: now() }).where('id', '=', snap.id).execute();
          });
          break;
        }
        default:
          throw new Error(`unknown volume operation ${op}`);
      }
      this.#o.onCapacityChange?.(backend);
    } catch (err) {
      await this.#failVolume(row, vol, failures[op]!, err);
    }
  }

  async #snapshotWork(row: WorkTable, op: WorkOperation, resume: boolean): Promise<void> {
    const db = this.#o.db;
    const snap = await db.selectFrom('snapshots').selectAll().where('id', '=', row.resource_id).executeTakeFirst();
    if (!snap) return this.#finish(row, async () => {});
    const vol = await db.selectFrom('volumes').selectAll().where('id', '=', snap.volume_id).executeTakeFirst();
    const failure: Failure = op === 'create_snapshot' ? { status: 'error', event: 'CREATE_SNAPSHOT_FAILED' } : { status: 'error_deleting', event: 'DELETE_SNAPSHOT_FAILED' };
    let backend: Backend;
    try {
      backend = this.#o.backends.forHost(vol?.host ?? null);
    } catch {
      return this.#failSnapshot(row, snap, { status: failure.status, event: 'BACKEND_GONE' }, undefined);
    }
    try {
      const ds = driverSnapshot(snap);
      if (op === 'create_snapshot') {
        if (resume) await backend.driver.deleteSnapshot({ snapshot: ds });
        const result = await backend.driver.createSnapshot({ snapshot: ds, volume: await this.#driverVolume(vol!) });
        await this.#finish(row, (trx) =>
          trx.updateTable('snapshots').set({ status: 'available', progress: '100%', provider_location: result.providerLocation ?? null, updated_at: now() }).where('id', '=', snap.id).execute(),
        );
      } else {
        await backend.driver.deleteSnapshot({ snapshot: ds });
        await this.#finish(row, (trx) => trx.deleteFrom('snapshots').where('id', '=', snap.id).execute());
      }
      this.#o.onCapacityChange?.(backend);
    } catch (err) {
      await this.#failSnapshot(row, snap, failure, err);
    }
  }

  async #finish(row: WorkTable, apply: (trx: Kysely<Database>) => Promise<unknown>): Promise<void> {
    await this.#o.db.transaction().execute(async (trx) => {
      await apply(trx);
      if (!this.#o.cluster) return void (await trx.deleteFrom('work').where('id', '=', row.id).execute());
      // Another service took the work over (this one was silent too long): its outcome wins.
      const r = await trx.deleteFrom('work').where('id', '=', row.id).where('owner', '=', this.#owner).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw new AshlarError('INVALID_STATE', { details: { resource: 'work', reason: `work ${row.id} is no longer owned by this volume service` } });
    });
  }

  async #failVolume(row: WorkTable, vol: VolumesTable, failure: Failure, err: unknown): Promise<void> {
    this.#o.logger.warn({ err, volume: vol.id, op: row.operation }, 'volume operation failed');
    await this.#finish(row, (trx) => trx.updateTable('volumes').set({ status: failure.status, updated_at: now() }).where('id', '=', vol.id).execute());
    await this.#o.messages.record({ projectId: vol.project_id, requestId: row.request_id, resourceType: 'VOLUME', resourceId: vol.id, event: failure.event, ...detail(err) });
  }

  async #failSnapshot(row: WorkTable, snap: SnapshotsTable, failure: Failure, err: unknown): Promise<void> {
    this.#o.logger.warn({ err, snapshot: snap.id, op: row.operation }, 'snapshot operation failed');
    await this.#finish(row, (trx) => trx.updateTable('snapshots').set({ status: failure.status, updated_at: now() }).where('id', '=', snap.id).execute());
    await this.#o.messages.record({ projectId: snap.project_id, requestId: row.request_id, resourceType: 'SNAPSHOT', resourceId: snap.id, event: failure.event, ...detail(err) });
  }

  /**
   * Volumes and snapshots of this host in a transitional status with no work record can
   * only come from a crash between steps that should have been atomic (or from a database
   * edited by hand); they go to an error status with a user message.
   */
  async #sweepOrphans(): Promise<number> {
    const db = this.#o.db;
    const prefix = `${this.#o.host}@`;
    const pending = db.selectFrom('work').select('resource_id');
    const vols = await db.selectFrom('volumes').selectAll().where('status', 'in', [...VOLUME_TRANSITIONAL]).where('id', 'not in', pending).execute();
    let n = 0;
    for (const v of vols) {
      if (v.host !== null && !v.host.startsWith(prefix)) continue;
      const status = v.status === 'deleting' ? 'error_deleting' : v.status === 'extending' ? 'error_extending' : 'error';
      await db.updateTable('volumes').set({ status, updated_at: now() }).where('id', '=', v.id).where('status', '=', v.status).execute();
      await this.#o.messages.record({ projectId: v.project_id, requestId: 'req-recovery', resourceType: 'VOLUME', resourceId: v.id, event: 'CREATE_VOLUME_INTERRUPTED' });
      n++;
    }
    const snaps = await db.selectFrom('snapshots').selectAll().where('status', 'in', [...SNAPSHOT_TRANSITIONAL]).where('id', 'not in', pending).execute();
    for (const s of snaps) {
      const status = s.status === 'deleting' ? 'error_deleting' : s.status === 'restoring' ? 'available' : 'error';
      await db.updateTable('snapshots').set({ status, updated_at: now() }).where('id', '=', s.id).where('status', '=', s.status).execute();
      if (status !== 'available') {
        await this.#o.messages.record({ projectId: s.project_id, requestId: 'req-recovery', resourceType: 'SNAPSHOT', resourceId: s.id, event: s.status === 'deleting' ? 'DELETE_SNAPSHOT_FAILED' : 'CREATE_SNAPSHOT_FAILED', detail: 'interrupted by a restart' });
      }
      n++;
    }
    return n;
  }

  async #driverVolume(vol: VolumesTable): Promise<DriverVolume> {
    const type = vol.volume_type_id ? await this.#o.db.selectFrom('volume_types').select(['name', 'extra_specs']).where('id', '=', vol.volume_type_id).executeTakeFirst() : undefined;
    return {
      id: vol.id,
      sizeGiB: vol.size,
      ...(vol.name ? { displayName: vol.name } : {}),
      ...(vol.provider_location ? { providerLocation: vol.provider_location } : {}),
      ...(type ? { volumeType: { name: type.name, extraSpecs: parseMap(type.extra_specs) } } : {}),
      multiattach: vol.multiattach === 1,
    };
  }
}

/** Milliseconds since the epoch of a `now()` timestamp; 0 for none. */
function parseTime(t: string | null): number {
  return t ? Date.parse(`${t.slice(0, 23)}Z`) : 0;
}

function driverSnapshot(s: SnapshotsTable): DriverSnapshot {
  return { id: s.id, volumeId: s.volume_id, sizeGiB: s.size, ...(s.provider_location ? { providerLocation: s.provider_location } : {}) };
}

function detail(err: unknown): { detail?: string } {
  if (err === undefined) return {};
  if (hasErrorCode(err, 'INSUFFICIENT_CAPACITY')) return { detail: `${err.code}: ${err.message}` };
  if (isAshlarError(err)) return { detail: err.code };
  return { detail: 'BACKEND_ERROR' };
}
