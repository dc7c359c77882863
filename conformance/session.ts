import { randomBytes } from 'node:crypto';
import type { RuntimeDriver } from '../core/contract/runtime-driver.js';
import type { ConnectorProperties, DriverManifest } from '../core/contract/types.js';
import { instantiateDriver, type DriverInstance } from '../core/plugins/instantiate.js';
import type { LoadedPlugin } from '../core/plugins/loader.js';
import { CallMonitor } from './call-monitor.js';
import type { ResolvedConfig } from './config.js';
import type { BackendProbe } from './probe.js';
import { ResourceTracker } from './tracker.js';

/**
 * The driver under test for a whole conformance run: its current instance (replaced on
 * restart), everything created so far, the probes that find leftovers, and fresh ids.
 */
export class Session {
  readonly config: ResolvedConfig;
  readonly tracker = new ResourceTracker();
  readonly probes: BackendProbe[] = [];
  /** Watches every driver call for ones that ignore their aborted signal. */
  readonly monitor: CallMonitor;
  /** Random per session, so ids never collide with a previous session's leftovers. */
  readonly #nonce = randomBytes(3).toString('hex');
  #instance: DriverInstance;
  #runs = 0;

  private constructor(config: ResolvedConfig, instance: DriverInstance, monitor: CallMonitor) {
    this.config = config;
    this.#instance = instance;
    this.monitor = monitor;
  }

  /** Instantiates the driver (running checkSetup) and opens a session. */
  static async open(config: ResolvedConfig): Promise<Session> {
    const monitor = new CallMonitor(config.abortGraceMs);
    return new Session(config, await Session.#instantiate(config, monitor), monitor);
  }

  /** Creates an instance whose raw driver is watched by `monitor` (the wrapper calls through it too). */
  static #instantiate(config: ResolvedConfig, monitor: CallMonitor): Promise<DriverInstance> {
    const loaded = config.plugin;
    const watched: LoadedPlugin = {
      ...loaded,
      plugin: { ...loaded.plugin, create: async (ctx) => monitor.watch(await loaded.plugin.create(ctx), loaded.manifest.name) },
    };
    return instantiateDriver(watched, {
      config: config.driverConfig,
      transport: config.transport,
      logger: config.logger,
      skipSetup: false,
      timeoutMs: config.callTimeoutMs,
    });
  }

  get instance(): DriverInstance {
    return this.#instance;
  }

  get driver(): RuntimeDriver {
    return this.#instance.driver;
  }

  get manifest(): DriverManifest {
    return this.config.plugin.manifest;
  }

  get connector(): ConnectorProperties {
    return this.config.connector;
  }

  /** A prefix unique to one property run: every id of that run starts with it. */
  newRunPrefix(tag: string): string {
    return `cf${this.#nonce}${tag}${(this.#runs++).toString(36)}`;
  }

  /** A driver restart: closes the instance and creates a new one on the same backend and config. */
  async restart(): Promise<void> {
    await this.#instance.driver.close().catch(() => undefined);
    this.#instance = await Session.#instantiate(this.config, this.monitor);
  }

  async close(): Promise<void> {
    await this.#instance.driver.close().catch(() => undefined);
  }
}
