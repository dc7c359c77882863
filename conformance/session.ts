import { randomBytes } from 'node:crypto';
import type { RuntimeDriver } from '../core/contract/runtime-driver.js';
import type { ConnectorProperties, DriverManifest } from '../core/contract/types.js';
import { instantiateDriver, type DriverInstance } from '../core/plugins/instantiate.js';
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
  /** Random per session, so ids never collide with a previous session's leftovers. */
  readonly #nonce = randomBytes(3).toString('hex');
  #instance: DriverInstance;
  #runs = 0;

  private constructor(config: ResolvedConfig, instance: DriverInstance) {
    this.config = config;
    this.#instance = instance;
  }

  /** Instantiates the driver (running checkSetup) and opens a session. */
  static async open(config: ResolvedConfig): Promise<Session> {
    return new Session(config, await Session.#instantiate(config));
  }

  static #instantiate(config: ResolvedConfig): Promise<DriverInstance> {
    return instantiateDriver(config.plugin, {
      config: config.driverConfig,
      transport: config.transport,
      logger: config.logger,
      skipSetup: false,
      timeoutMs: 120_000,
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
    this.#instance = await Session.#instantiate(this.config);
  }

  async close(): Promise<void> {
    await this.#instance.driver.close().catch(() => undefined);
  }
}
