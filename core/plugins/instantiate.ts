import type { Logger } from 'pino';
import { RuntimeDriver, missingCapabilityMethods } from '../contract/runtime-driver.js';
import type { AnyDriver } from '../contract/driver-for.js';
import { AshlarError } from '../errors/ashlar-error.js';
import { createExecutor, type Executor } from '../executor/executor.js';
import { collectSecrets } from '../executor/redact.js';
import type { CommandTransport } from '../executor/transport.js';
import { silentLogger } from '../logging.js';
import { validateDriverConfig } from './config.js';
import { checkDependencies } from './dependencies.js';
import type { LoadedPlugin } from './loader.js';

/** Options of {@link instantiateDriver}. */
export interface InstantiateOptions {
  /** The raw config section; validated here. */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /** Backend name; defaults to the plugin name. */
  readonly backendName?: string | undefined;
  readonly logger?: Logger | undefined;
  /** Where the driver's commands run; defaults to this host. */
  readonly transport?: CommandTransport | undefined;
  /** Default time limit of each driver call. */
  readonly timeoutMs?: number | undefined;
  /** Default time limit of each backend command. */
  readonly commandTimeoutMs?: number | undefined;
  /** Skip checkSetup (conformance runs it itself to report it). */
  readonly skipSetup?: boolean | undefined;
}

/** A driver ready to use, with what it was built from. */
export interface DriverInstance {
  readonly driver: RuntimeDriver;
  readonly config: Record<string, unknown>;
  /** The executor the driver was given; connectors that run backend tools use it. */
  readonly executor: Executor;
  readonly loaded: LoadedPlugin;
}

/**
 * Validates the config, checks local dependencies, creates the driver through its
 * factory, checks that every declared capability is implemented, and wraps it.
 *
 * @throws CONFIG_INVALID, MISSING_DEPENDENCY, PLUGIN_INVALID, or what checkSetup throws.
 */
export async function instantiateDriver(loaded: LoadedPlugin, options: InstantiateOptions = {}): Promise<DriverInstance> {
  const { manifest, plugin } = loaded;
  const backendName = options.backendName ?? manifest.name;
  const config = validateDriverConfig(manifest, options.config ?? {}, backendName, { schemaChecked: loaded.source === 'builtin' });
  await checkDependencies(manifest, { commandsRunLocally: options.transport === undefined });
  const logger = (options.logger ?? silentLogger()).child({ driver: manifest.name, backend: backendName });
  const executor = createExecutor({
    owner: manifest.name,
    allow: manifest.commands,
    transport: options.transport,
    defaultTimeoutMs: options.commandTimeoutMs,
    secrets: collectSecrets(config),
    logger,
  });
  const instance = (await plugin.create({ config, executor, logger, backendName })) as AnyDriver;
  const missing = missingCapabilityMethods(instance, manifest.capabilities);
  if (missing.length > 0) {
    throw new AshlarError('PLUGIN_INVALID', { details: { spec: loaded.spec, reason: `declares capabilities it does not implement: ${missing.join(', ')}` } });
  }
  const driver = new RuntimeDriver(instance, manifest, { logger, timeoutMs: options.timeoutMs });
  if (!options.skipSetup) await driver.checkSetup();
  return { driver, config, loaded, executor };
}
