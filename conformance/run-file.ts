import { parseHarness, type ReplicationHarness } from './replication-harness.js';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConnectorProperties } from '../core/contract/types.js';
import { AshlarError } from '../core/errors/ashlar-error.js';
import { createTransport, type TransportKinds } from '../core/executor/transport-factory.js';
import type { CommandTransport } from '../core/executor/transport.js';
import type { LoadedPlugin } from '../core/plugins/loader.js';

/** What `--config` holds: the driver's config section, and optionally the transport and connector. */
export interface RunConfigFile {
  readonly config?: Record<string, unknown>;
  readonly transport?: unknown;
  readonly connector?: ConnectorProperties;
  /** The replication suite's harness (replication-harness.ts). */
  readonly replication?: unknown;
}

/** The driver setup a run uses, and how to release it. */
export interface RunTarget {
  readonly driverConfig: Record<string, unknown>;
  readonly transport: CommandTransport | undefined;
  readonly connector: ConnectorProperties | undefined;
  readonly replication: ReplicationHarness | undefined;
  /** Directories to watch for leftovers (set for the temporary directory). */
  readonly watchDirectories: string[] | undefined;
  /** Removes the temporary directory, closes the transport. */
  release(): Promise<void>;
  /** Removes the temporary directory at once, for a process about to exit (a forced quit). */
  releaseSync(): void;
}

/**
 * Reads `--config` (or, for a driver whose only required option is `directory`, such as
 * `file`, uses a fresh temporary directory that is removed afterwards). `transports`: the
 * transport kinds a config may name beyond `local`.
 *
 * @throws CONFIG_INVALID when the file cannot be read or parsed, or a config is needed.
 */
export async function prepareTarget(plugin: LoadedPlugin, configFile: string | undefined, transports: TransportKinds = {}): Promise<RunTarget> {
  let file: RunConfigFile = {};
  if (configFile !== undefined) {
    try {
      file = JSON.parse(await readFile(configFile, 'utf8')) as RunConfigFile;
    } catch (err) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `cannot read --config ${configFile}: ${(err as Error).message}` }, cause: err });
    }
    if (typeof file !== 'object' || file === null || (file.config !== undefined && (typeof file.config !== 'object' || file.config === null))) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `--config ${configFile} must be an object with a "config" object (the driver's section)` } });
    }
  }
  const transport = file.transport === undefined ? undefined : createTransport(file.transport, transports);
  const driverConfig = { ...(file.config ?? {}) };
  let tempRoot: string | undefined;
  const schema = plugin.manifest.configSchema as { required?: string[]; properties?: Record<string, { type?: string }> };
  const required = schema.required ?? [];
  if (configFile === undefined && required.length === 1 && required[0] === 'directory' && schema.properties?.directory?.type === 'string') {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), `ashlar-conformance-${plugin.manifest.name}-`));
    driverConfig.directory = path.join(tempRoot, 'backend');
  } else if (configFile === undefined && required.length > 0) {
    throw new AshlarError('CONFIG_INVALID', {
      details: { reason: `driver ${plugin.manifest.name} needs configuration (${required.join(', ')}): pass --config file.json with {"config": {...}}` },
      suggestions: [`ashlar driver inspect ${plugin.spec}`],
    });
  }
  return {
    driverConfig,
    transport,
    connector: file.connector,
    replication: parseHarness(file.replication),
    watchDirectories: tempRoot ? [tempRoot] : undefined,
    async release() {
      await transport?.close?.();
      if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    },
    releaseSync() {
      if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
    },
  };
}
