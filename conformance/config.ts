import type { Logger } from 'pino';
import type { ConnectorProperties } from '../core/contract/types.js';
import type { CommandTransport } from '../core/executor/transport.js';
import type { ConformanceSuiteName } from '../core/generated/schemas.js';
import type { LoadedPlugin } from '../core/plugins/loader.js';
import type { ReplicationHarness } from './replication-harness.js';

/** Every suite, in the order they run. */
export const SUITE_NAMES: readonly ConformanceSuiteName[] = ['static', 'lifecycle', 'negative', 'concurrency', 'replication'];

/**
 * Everything one conformance run needs, in one object (like csi-test's sanity config):
 * the CLI only fills it in.
 */
export interface ConformanceConfig {
  /** The plugin under test, already loaded (`loadPlugin`). */
  readonly plugin: LoadedPlugin;
  /** The driver's config section (validated by `instantiateDriver`). */
  readonly driverConfig: Readonly<Record<string, unknown>>;
  /** Where the driver's commands run; the local host when absent. */
  readonly transport?: CommandTransport | undefined;
  /** How the replication suite syncs and loses the primary; without it that suite is skipped. */
  readonly replication?: ReplicationHarness | undefined;
  /** Host properties passed to initialize/terminate connection. */
  readonly connector?: ConnectorProperties | undefined;
  /** @defaultValue a random seed, printed in the report */
  readonly seed?: number | undefined;
  /** Model runs of the lifecycle property; other properties scale from it. @defaultValue 100 */
  readonly runs?: number | undefined;
  /** Longest command sequence of one model run. @defaultValue 40 */
  readonly maxCommands?: number | undefined;
  /** Stop starting new property runs after this long (the report says how many ran). */
  readonly budgetMs?: number | undefined;
  /**
   * Time limit of each driver call made through the runtime wrapper; a call past it fails
   * with TIMEOUT and its signal is aborted. @defaultValue 120000
   */
  readonly callTimeoutMs?: number | undefined;
  /**
   * How long a call may stay pending after its signal was aborted before it counts as
   * stuck (a contract violation; later calls of that method then fail at once). A call whose
   * signal was aborted before it started must also settle within this time.
   * @defaultValue 5000
   */
  readonly abortGraceMs?: number | undefined;
  /** Run only these suites. */
  readonly only?: readonly ConformanceSuiteName[] | undefined;
  /**
   * Run only these checks, named `suite/check` as reports name them (e.g. a failure's
   * `only`); combined with {@link only}, a check runs when either selects it.
   */
  readonly checks?: readonly string[] | undefined;
  /** A replay token from a failure: reruns exactly that counterexample. */
  readonly replay?: string | undefined;
  /**
   * Local directories to compare before and after (leftover detection). Defaults to the
   * absolute-path directories in the driver config when commands run locally.
   */
  readonly watchDirectories?: readonly string[] | undefined;
  /** Ctrl-C: stop, clean up, report. */
  readonly signal?: AbortSignal | undefined;
  /** Human progress lines (the CLI writes them to stderr). */
  readonly progress?: ((line: string) => void) | undefined;
  readonly logger?: Logger | undefined;
}

/** {@link ConformanceConfig} with defaults applied. */
export interface ResolvedConfig extends ConformanceConfig {
  readonly seed: number;
  readonly runs: number;
  readonly maxCommands: number;
  readonly callTimeoutMs: number;
  readonly abortGraceMs: number;
  readonly connector: ConnectorProperties;
  readonly progress: (line: string) => void;
}

/** Applies the documented defaults. */
export function resolveConfig(config: ConformanceConfig): ResolvedConfig {
  return {
    ...config,
    seed: config.seed ?? (Math.random() * 0x7fffffff) | 0,
    runs: config.runs ?? 100,
    maxCommands: config.maxCommands ?? 40,
    callTimeoutMs: config.callTimeoutMs ?? 120_000,
    abortGraceMs: config.abortGraceMs ?? 5_000,
    connector: config.connector ?? { host: 'ashlar-conformance', platform: process.arch, os_type: process.platform },
    progress: config.progress ?? (() => undefined),
  };
}

/** True when the run selects check `suite/name` (no selection: every check). */
export function wantsCheck(config: Pick<ConformanceConfig, 'only' | 'checks'>, suite: ConformanceSuiteName, name: string): boolean {
  if (config.only === undefined && config.checks === undefined) return true;
  return (config.only?.includes(suite) ?? false) || (config.checks?.includes(`${suite}/${name}`) ?? false);
}

/** True when the run selects suite `suite` or any of its checks. */
export function wantsSuite(config: Pick<ConformanceConfig, 'only' | 'checks'>, suite: ConformanceSuiteName): boolean {
  if (config.only === undefined && config.checks === undefined) return true;
  return (config.only?.includes(suite) ?? false) || (config.checks?.some((c) => c.startsWith(`${suite}/`)) ?? false);
}
