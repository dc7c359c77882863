import type { Logger } from 'pino';
import type { Executor } from '../executor/executor.js';
import type { DriverWith } from './driver-for.js';
import type { Capability, DriverManifest } from './types.js';

/** What the core hands a driver factory. */
export interface DriverContext<Config = Record<string, unknown>> {
  /** The driver's configuration, validated against `manifest.configSchema` with defaults applied. */
  readonly config: Config;
  /** Runs the backend programs the manifest allow-lists; the only way a driver may run one. */
  readonly executor: Executor;
  /** A child logger scoped to this driver; secrets are redacted. */
  readonly logger: Logger;
  /** The backend name this instance serves (a config section name). */
  readonly backendName: string;
}

/** A manifest whose capabilities are known literally, so the driver type follows from it. */
export type ManifestWith<C extends Capability> = Omit<DriverManifest, 'capabilities'> & {
  readonly capabilities: readonly C[];
};

/**
 * What a plugin module exports (as its default export or as `plugin`): a manifest and a
 * factory. Built-in drivers use exactly this API.
 *
 * @typeParam C - Capabilities the manifest declares; they decide the factory's return type.
 * @typeParam Config - The driver's config type.
 */
export interface DriverPlugin<C extends Capability = Capability, Config = Record<string, unknown>> {
  readonly manifest: ManifestWith<C>;
  /** Creates one driver instance. Called again (a "restart") on the same backend and config. */
  create(context: DriverContext<Config>): DriverWith<C> | Promise<DriverWith<C>>;
}

/**
 * Declares a plugin and ties the factory's return type to the manifest's capabilities.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   manifest: { ...base, capabilities: ['snapshots'] },
 *   create: (ctx) => new MyDriver(ctx), // must implement createSnapshot & co.
 * });
 * ```
 */
export function definePlugin<const C extends Capability, Config = Record<string, unknown>>(
  plugin: DriverPlugin<C, Config>,
): DriverPlugin<C, Config> {
  return plugin;
}
