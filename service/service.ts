import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AshlarError } from '../core/errors/ashlar-error.js';
import { silentLogger } from '../core/logging.js';
import { buildApi } from './api/app.js';
import type { ApiDeps } from './api/deps.js';
import { TypeNames } from './db/repositories/type-names.js';
import type { Authenticator } from './auth/authenticator.js';
import { HttpBasicAuthenticator } from './auth/http-basic.js';
import { NoAuthAuthenticator } from './auth/noauth.js';
import type { ServiceConfig } from './config/service-config.js';
import type { Coordinator } from './coordination/coordinator.js';
import { createCoordinator } from './coordination/create.js';
import { openDatabase, type ServiceDatabase } from './db/connect.js';
import type { Database } from './db/tables.js';
import { BackendRegistry, DatabasePoolSource, type Backend } from './manager/backends.js';
import { MessageRecorder } from './manager/messages.js';
import { VolumeManager } from './manager/volume-manager.js';
import { EnabledPoolSource } from './scheduler/enabled-pools.js';
import { Scheduler } from './scheduler/scheduler.js';
import { newId, now } from './util.js';

/** Which parts of the service this process runs. */
export type ServiceRole = 'all' | 'api' | 'volume';

/** Options of {@link startService}. */
export interface StartServiceOptions {
  readonly role?: ServiceRole;
  readonly logger?: Logger;
  /** Do not listen (tests use `app.inject`). */
  readonly listen?: boolean;
  /** Called with the API instance before any route is registered (documentation hooks). */
  readonly setupApp?: ((app: FastifyInstance) => void) | undefined;
  /**
   * Drivers a backend section may name by a bare name (`volume_driver = file`): name →
   * module URL. The composition root (cli/) passes the built-in drivers; other names are
   * loaded as paths or packages.
   */
  readonly builtinDrivers?: Readonly<Record<string, string>>;
}

/** A running service. */
export interface RunningService {
  readonly config: ServiceConfig;
  readonly role: ServiceRole;
  readonly app: FastifyInstance | undefined;
  /** `http://127.0.0.1:PORT` when listening. */
  readonly url: string | undefined;
  readonly db: Kysely<Database>;
  readonly manager: VolumeManager | undefined;
  readonly scheduler: Scheduler;
  readonly coordinator: Coordinator;
  /** What start-up recovery did. */
  readonly recovery: { resumed: number; failed: number };
  /** Milliseconds from start to ready. */
  readonly startupMs: number;
  close(): Promise<void>;
}

/**
 * Starts the service: database (migrated), coordination, the volume backends and manager
 * (roles all/volume; recovering interrupted work first), the scheduler and the API (roles
 * all/api), service heartbeats and stats reports.
 */
export async function startService(config: ServiceConfig, options: StartServiceOptions = {}): Promise<RunningService> {
  const started = performance.now();
  const role = options.role ?? 'all';
  const logger = options.logger ?? silentLogger();
  await mkdir(config.statePath, { recursive: true });
  const database: ServiceDatabase = await openDatabase(config.database);
  const { db } = database;
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch((err) => logger.warn({ err }, 'shutdown step failed'));
  };
  try {
    const coordinator = await createCoordinator(config.coordination, logger);
    cleanups.push(() => coordinator.close());
    let recovery = { resumed: 0, failed: 0 };
    const runsVolume = role !== 'api';
    const runsApi = role !== 'volume';
    await ensureDefaultType(db, config.defaultVolumeType);

    let backends: BackendRegistry | undefined;
    let manager: VolumeManager | undefined;
    let scheduler: Scheduler;
    if (runsVolume) {
      // In a cluster, volumes live on `cluster@backend#pool`: any member serves them.
      backends = await BackendRegistry.load(config.cluster ?? config.host, config.backends, logger, options.builtinDrivers ?? {});
      cleanups.push(() => backends!.close());
      if (config.cluster !== undefined) refuseSingleWriterDrivers(backends, config.cluster);
      scheduler = new Scheduler(new EnabledPoolSource(backends, db), { capacityWeightMultiplier: config.capacityWeightMultiplier });
      const publish = async (b: Backend) => {
        scheduler.statsRefreshed(b.host);
        await heartbeat(db, volumeService(config, b), b.config.availabilityZone, b.stats ? JSON.stringify(b.stats) : null);
      };
      await backends.refreshStats(publish);
      manager = new VolumeManager({
        host: config.cluster ?? config.host,
        db,
        backends,
        coordinator,
        messages: new MessageRecorder(db, config.messageTtlS),
        logger,
        // In a cluster even an all-in-one process polls: it takes over work of members that died.
        pollMs: role === 'volume' ? 250 : coordinator.distributed ? 1000 : 0,
        cluster: coordinator.distributed && config.coordination.kind === 'etcd' ? { claimTimeoutMs: config.coordination.lockTimeoutS * 1000 } : undefined,
      });
      recovery = await manager.start();
      cleanups.push(() => manager!.close());
      const timer = setInterval(() => void backends!.refreshStats(publish), config.statsIntervalS * 1000);
      timer.unref();
      cleanups.push(async () => clearInterval(timer));
    } else {
      scheduler = new Scheduler(new DatabasePoolSource(db, Math.max(config.statsIntervalS * 3, 60)), { capacityWeightMultiplier: config.capacityWeightMultiplier });
    }
    const schedulerService = { binary: 'cinder-scheduler', host: config.host, clusterName: null };
    await heartbeat(db, schedulerService, config.storageAvailabilityZone, null);
    const beat = setInterval(() => {
      void heartbeat(db, schedulerService, config.storageAvailabilityZone, null).catch(() => undefined);
      for (const b of backends?.all() ?? []) void heartbeat(db, volumeService(config, b), b.config.availabilityZone, b.stats ? JSON.stringify(b.stats) : null).catch(() => undefined);
    }, 10_000);
    beat.unref();
    cleanups.push(async () => clearInterval(beat));

    let app: FastifyInstance | undefined;
    let url: string | undefined;
    if (runsApi) {
      const deps: ApiDeps = { config, db, generation: database.generation, logger, scheduler, manager, backends, typeNames: new TypeNames(db), submit: (row) => manager?.submit(row) };
      app = await buildApi(deps, { authenticator: makeAuthenticator(config), logger, setup: options.setupApp });
      cleanups.push(() => app!.close());
      if (options.listen !== false) {
        await app.listen({ host: config.listen, port: config.port });
        const addr = app.server.address();
        url = typeof addr === 'object' && addr ? `http://${config.listen}:${addr.port}` : undefined;
      }
    }
    return { config, role, app, url, db, manager, scheduler, coordinator, recovery, startupMs: performance.now() - started, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function makeAuthenticator(config: ServiceConfig): Authenticator {
  if (config.auth.strategy === 'http_basic') {
    return new HttpBasicAuthenticator(config.auth.userFile ?? '', config.auth.projectMap);
  }
  return new NoAuthAuthenticator();
}

/** Creates the configured default volume type on first start, as Cinder does with __DEFAULT__. */
async function ensureDefaultType(db: Kysely<Database>, name: string): Promise<void> {
  const found = await db.selectFrom('volume_types').select('id').where('name', '=', name).executeTakeFirst();
  if (!found) {
    await db.insertInto('volume_types').values({ id: newId(), name, description: 'Default Volume Type', is_public: 1, extra_specs: '{}', created_at: now() }).execute();
  }
}

/** A row of os-services: which binary, on which host, in which cluster (`cluster@backend`). */
interface ServiceIdentity {
  readonly binary: string;
  readonly host: string;
  readonly clusterName: string | null;
}

/**
 * The os-services row of one backend of this process: its own `host@backend`, and in a
 * cluster the cluster's `cluster@backend`, which is also the host its volumes carry.
 */
function volumeService(config: ServiceConfig, b: Backend): ServiceIdentity {
  return { binary: 'cinder-volume', host: `${config.host}@${b.config.section}`, clusterName: config.cluster !== undefined ? `${config.cluster}@${b.config.section}` : null };
}

/**
 * Members of a cluster run the same volumes' work at once from several machines: only a
 * driver that declares it safe (manifest semantics activeActive) may be clustered.
 */
function refuseSingleWriterDrivers(backends: BackendRegistry, cluster: string): void {
  for (const b of backends.all()) {
    if (b.driver.manifest.semantics.activeActive !== true) {
      throw new AshlarError('CONFIG_INVALID', {
        details: {
          reason: `[${b.config.section}] volume_driver = ${b.config.driver}: the ${b.driver.manifest.name} driver does not declare activeActive, so it cannot serve cluster "${cluster}" ([DEFAULT] cluster); remove the cluster option or run this backend in a process of its own`,
          section: b.config.section,
          key: 'volume_driver',
        },
      });
    }
  }
}

/** Records that a service is alive (and, for volume backends, its latest stats). */
async function heartbeat(db: Kysely<Database>, service: ServiceIdentity, az: string, capabilities: string | null): Promise<void> {
  const { binary, host, clusterName } = service;
  const t = now();
  // Processes of a cluster start together: another one may insert the same row, or take
  // the same next id, between our update and our insert. Try again; the update then wins.
  for (let attempt = 1; ; attempt++) {
    const r = await db.updateTable('services').set({ updated_at: t, availability_zone: az, cluster_name: clusterName, ...(binary === 'cinder-volume' ? { capabilities } : {}) }).where('binary', '=', binary).where('host', '=', host).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    try {
      await db.transaction().execute(async (trx) => {
        const max = await trx.selectFrom('services').select((eb) => eb.fn.max<number>('id').as('m')).executeTakeFirst();
        await trx
          .insertInto('services')
          .values({ id: Number(max?.m ?? 0) + 1, binary, host, availability_zone: az, disabled: 0, disabled_reason: null, cluster_name: clusterName, frozen: 0, replication_status: 'disabled', capabilities, updated_at: t, created_at: t })
          .execute();
      });
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}
