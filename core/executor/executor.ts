import path from 'node:path';
import type { Logger } from 'pino';
import { AshlarError } from '../errors/ashlar-error.js';
import { LocalTransport } from './local-transport.js';
import { redact } from './redact.js';
import type { CommandResult, CommandTransport } from './transport.js';

/** Options of one {@link Executor.run} call. */
export interface ExecOptions {
  /** Bytes for the command's standard input. */
  readonly stdin?: Buffer | undefined;
  /** Time limit for this call; defaults to the executor's. */
  readonly timeoutMs?: number | undefined;
  /**
   * Names the limit `timeoutMs` comes from (e.g. the config option), so a TIMEOUT says
   * which budget ran out. @defaultValue `"timeoutMs"`, or `"defaultTimeoutMs"` without one
   */
  readonly budget?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Extra environment (never logged). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/**
 * Runs a driver's backend commands: argv arrays only, programs from the driver's
 * allow-list only, a time limit on every call, secrets redacted from logs and errors.
 * The transport decides which host runs them.
 */
export interface Executor {
  /** Where commands run. */
  readonly transport: CommandTransport;
  /** Programs this executor may run. */
  readonly allowed: readonly string[];
  /**
   * Runs `argv` and returns its result whatever the exit code, so the driver can map
   * backend exit codes to error codes.
   *
   * @throws COMMAND_NOT_ALLOWED when `argv[0]` is not allow-listed.
   * @throws TIMEOUT when the time limit passes (the command is killed).
   * @throws ABORTED when the signal aborts (the command is killed).
   * @throws BACKEND_UNAVAILABLE when the program cannot be started.
   */
  run(argv: readonly string[], options?: ExecOptions): Promise<CommandResult>;
  /**
   * Like {@link Executor.run} but a non-zero exit throws COMMAND_FAILED with the
   * (redacted) stderr.
   */
  runOrThrow(argv: readonly string[], options?: ExecOptions): Promise<CommandResult>;
}

/** Options of {@link createExecutor}. */
export interface ExecutorOptions {
  /** Driver name, for errors and logs. */
  readonly owner: string;
  /** Program names (not paths) the owner may run. */
  readonly allow: readonly string[];
  /** Defaults to the local host. */
  readonly transport?: CommandTransport | undefined;
  /** @defaultValue 60000 */
  readonly defaultTimeoutMs?: number | undefined;
  /** Values that must never appear in logs or errors. */
  readonly secrets?: readonly string[] | undefined;
  readonly logger?: Logger | undefined;
}

/** Creates the {@link Executor} a driver receives in its context. */
export function createExecutor(options: ExecutorOptions): Executor {
  const transport = options.transport ?? new LocalTransport();
  const allow = [...options.allow];
  const secrets = options.secrets ?? [];
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
  const show = (argv: readonly string[]): string => redact(argv.map(quoteForLog).join(' '), secrets);

  const run = async (argv: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> => {
    checkArgv(argv, allow, options.owner);
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    if (opts.signal?.aborted) throw new AshlarError('ABORTED', { details: { operation: show(argv) } });
    const started = performance.now();
    try {
      const result = await transport.run(argv, { stdin: opts.stdin, timeoutMs, signal: opts.signal, env: opts.env });
      options.logger?.debug({ cmd: show(argv), exitCode: result.exitCode, ms: Math.round(performance.now() - started), on: transport.description }, 'command finished');
      return result;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ETIMEDOUT') throw timeoutError(show(argv), err, opts.budget ?? (opts.timeoutMs === undefined ? 'defaultTimeoutMs' : 'timeoutMs'), timeoutMs);
      if (opts.signal?.aborted || code === 'ABORT_ERR') throw new AshlarError('ABORTED', { details: { operation: show(argv) } });
      if (code === 'ENOENT') {
        throw new AshlarError('BACKEND_UNAVAILABLE', {
          details: { reason: `program "${argv[0]}" is not installed on ${transport.description}` },
          cause: err,
        });
      }
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: redact(String((err as Error).message ?? err), secrets) }, cause: err });
    }
  };

  return {
    transport,
    allowed: allow,
    run,
    async runOrThrow(argv, opts) {
      const result = await run(argv, opts);
      if (result.exitCode !== 0) {
        throw new AshlarError('COMMAND_FAILED', {
          details: {
            command: show(argv),
            exitCode: result.exitCode,
            stderr: redact(result.stderr.toString('utf8').trim().slice(0, 2000), secrets),
          },
        });
      }
      return result;
    },
  };
}

/**
 * TIMEOUT naming the budget that ran out and its value. A transport that stretched the
 * limit (e.g. scaled by the machine's slowness) says so on its error's `budget`.
 */
function timeoutError(operation: string, err: unknown, name: string, ms: number): AshlarError {
  const stretched = (err as { budget?: { name?: unknown; ms?: unknown } }).budget;
  const budget = typeof stretched?.name === 'string' ? `${name}: ${stretched.name}` : `${name} ${ms} ms`;
  const limit = typeof stretched?.ms === 'number' ? stretched.ms : ms;
  return new AshlarError('TIMEOUT', { details: { operation: `${operation} (budget ${budget})`, ms: limit, budget: name }, cause: err });
}

function checkArgv(argv: readonly string[], allow: readonly string[], owner: string): void {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'a command must be a non-empty array of strings' } });
  }
  // A NUL would silently truncate the argument at the OS boundary.
  if (argv.some((a) => a.includes('\0'))) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'command arguments must not contain NUL' } });
  }
  const program = argv[0]!;
  // Only bare program names are allow-listed: a path could point anywhere.
  if (program !== path.basename(program) || !allow.includes(program)) {
    throw new AshlarError('COMMAND_NOT_ALLOWED', { details: { command: program, driver: owner } });
  }
}

function quoteForLog(arg: string): string {
  return /^[A-Za-z0-9_./=:@%+,-]+$/.test(arg) ? arg : JSON.stringify(arg);
}
