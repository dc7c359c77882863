import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DriverSnapshot, DriverVolume } from '../../contract/types.js';
import { hasErrorCode, isAshlarError } from '../../errors/ashlar-error.js';
import type { Coordinator, LockMode } from '../coordination/coordinator.js';
import type { Database, SnapshotsTable, VolumesTable, WorkTable } from '../db/tables.js';
import { now, parseMap } from '../util.js';
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
}

type Failure = { status: string; event: MessageEvent };

/**
 * Runs the asynchronous operations of volumes and snapshots. Each operation is a durable
 * work record (written with the status change that started it) that the manager executes
 * under per-resource locks and removes in the same transaction as the final status. At
 * start-up it resumes every record left by a crash (each operation is safe to repeat) and
 * moves anything still in a transitional status without a record to an error status with
 * a user message.
 */
export class VolumeManager {
  readonly #o: VolumeManagerOptions;
  readonly #running = new Map<string, Promise<void>>();
  #poller: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: VolumeManagerOptions) {
    this.#o = options;
  }

  /** Recovers what a previous run left, then starts polling when configured. */
  async start(): Promise<{ resumed: number; failed: number }> {
    const failed = await this.#sweepOrphans();
    const rows = await this.#o.db.selectFrom('work').selectAll().where('host', '=', this.#o.host).orderBy('created_at').execute();
    for (const row of rows) this.#launch(row, true);
    if (this.#o.pollMs) this.#poller = setInterval(() => void this.poll(), this.#o.pollMs);
    return { resumed: rows.length, failed };
  }

  /** Runs a work record this process just wrote. */
  submit(row: WorkTable): void {
    if (row.host === this.#o.host) this.#launch(row, false);
  }

  /** Picks up work records other processes wrote for this host. */
  async poll(): Promise<void> {
    if (this.#closed) return;
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
    await this.idle();
  }

  #launch(row: WorkTable, resume: boolean): void {
    if (this.#running.has(row.id)) return;
    const p = this.#execute(row, resume)
      .catch((err) => this.#o.logger.error({ err, work: row.id }, 'work failed to finish'))
      .finally(() => this.#running.delete(row.id));
    this.#running.set(row.id, p);
  }

  async #execute(row: WorkTable, resume: boolean): Promise<void> {
    const args = JSON.parse(row.args) as WorkArgs;
    const op = row.operation as WorkOperation;
    const log = this.#o.logger.child({ work: row.id, op, resource: row.resource_id, resume });
    const release = await this.#o.coordinator.acquireAll(this.#locksFor(row, op, args));
    const started = performance.now();
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
      await trx.deleteFrom('work').where('id', '=', row.id).execute();
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

function driverSnapshot(s: SnapshotsTable): DriverSnapshot {
  return { id: s.id, volumeId: s.volume_id, sizeGiB: s.size, ...(s.provider_location ? { providerLocation: s.provider_location } : {}) };
}

function detail(err: unknown): { detail?: string } {
  if (err === undefined) return {};
  if (hasErrorCode(err, 'INSUFFICIENT_CAPACITY')) return { detail: `${err.code}: ${err.message}` };
  if (isAshlarError(err)) return { detail: err.code };
  return { detail: 'BACKEND_ERROR' };
}
