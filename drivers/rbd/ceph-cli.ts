import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Executor } from '../../core/executor/executor.js';
import type { CommandResult } from '../../core/executor/transport.js';
import { mapFailure, type FailureContext } from './errno.js';
import type { RbdDriverConfig } from './manifest.js';

/** The connection options every rbd/ceph call carries. */
export type CephConnection = Pick<RbdDriverConfig, 'cephConf' | 'clientId' | 'keyring' | 'clusterName' | 'commandTimeoutMs'>;

/**
 * Runs `rbd` and `ceph` through the driver's executor with the cluster's connection
 * options, a time limit on every call, and JSON output parsed into plain objects.
 */
export class CephCli {
  readonly #executor: Executor;
  readonly #conn: CephConnection;

  constructor(executor: Executor, conn: CephConnection) {
    this.#executor = executor;
    this.#conn = conn;
  }

  /** Seconds librados waits for the monitors: below the command timeout, so an unreachable cluster fails with a clear errno instead of a kill. */
  get #mountTimeoutS(): number {
    return Math.max(1, Math.min(30, Math.floor(this.#conn.commandTimeoutMs / 2000)));
  }

  #common(): string[] {
    const c = this.#conn;
    return [
      '--cluster', c.clusterName,
      ...(c.cephConf !== undefined ? ['--conf', c.cephConf] : []),
      '--id', c.clientId,
      ...(c.keyring !== undefined ? ['--keyring', c.keyring] : []),
    ];
  }

  /** Runs `rbd ARGS`; returns the result whatever the exit code. */
  rbd(args: readonly string[], signal: AbortSignal): Promise<CommandResult> {
    const argv = ['rbd', ...this.#common(), '--client-mount-timeout', String(this.#mountTimeoutS), ...args];
    return this.#executor.run(argv, { timeoutMs: this.#conn.commandTimeoutMs, budget: 'commandTimeoutMs', signal });
  }

  /** Runs `ceph ARGS`; returns the result whatever the exit code. */
  ceph(args: readonly string[], signal: AbortSignal): Promise<CommandResult> {
    const argv = ['ceph', ...this.#common(), '--connect-timeout', String(this.#mountTimeoutS), ...args];
    return this.#executor.run(argv, { timeoutMs: this.#conn.commandTimeoutMs, budget: 'commandTimeoutMs', signal });
  }

  /** Runs `rbd ARGS` and throws the mapped error on a non-zero exit. */
  async rbdOk(args: readonly string[], signal: AbortSignal, ctx: FailureContext): Promise<CommandResult> {
    const result = await this.rbd(args, signal);
    if (result.exitCode !== 0) throw mapFailure(`rbd ${args[0] ?? ''}`, result, ctx);
    return result;
  }

  /** Runs `rbd ARGS --format json` and parses its output. */
  async rbdJson<T>(args: readonly string[], signal: AbortSignal, ctx: FailureContext): Promise<T> {
    return parseJson<T>(await this.rbdOk([...args, '--format', 'json'], signal, ctx), `rbd ${args[0] ?? ''}`);
  }

  /** Runs `ceph ARGS --format json` and parses its output. */
  async cephJson<T>(args: readonly string[], signal: AbortSignal, ctx: FailureContext): Promise<T> {
    const result = await this.ceph([...args, '--format', 'json'], signal);
    if (result.exitCode !== 0) throw mapFailure(`ceph ${args.join(' ')}`, result, ctx);
    return parseJson<T>(result, `ceph ${args.join(' ')}`);
  }
}

function parseJson<T>(result: CommandResult, command: string): T {
  const text = result.stdout.toString('utf8').trim();
  try {
    // Some list commands print nothing at all for an empty list.
    return JSON.parse(text === '' ? 'null' : text) as T;
  } catch (err) {
    throw new AshlarError('BACKEND_ERROR', { details: { reason: `${command} printed output that is not JSON: ${text.slice(0, 200)}` }, cause: err });
  }
}
