/**
 * Where a backend command actually runs. The executor validates and allow-lists a
 * command, then hands the argv to a transport: the local host by default, or another
 * host (a test VM, an SSH target) so a driver never knows where its commands execute.
 *
 * @since 0.1.0
 */

/** What a finished command produced. Output is raw bytes so data can pass through intact. */
export interface CommandResult {
  /** The process exit code; a process killed by a signal reports 128 + signal number. */
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Per-call options a transport must honour. */
export interface TransportRunOptions {
  /** Bytes written to the command's standard input, then closed. */
  readonly stdin?: Buffer | undefined;
  /** Kill the command after this many milliseconds and reject with a timeout. */
  readonly timeoutMs: number;
  /** Aborting kills the command. */
  readonly signal?: AbortSignal | undefined;
  /** Extra environment variables for the command (never logged). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/**
 * Runs one argv on some host. Implementations must never pass the argv through a shell.
 *
 * @remarks A transport rejects only when the command could not be run or ran out of
 * time (with an error whose `code` is `"ETIMEDOUT"` for a timeout); a non-zero exit is a
 * normal {@link CommandResult}. A transport that gave the command more than `timeoutMs`
 * (e.g. scaled by the machine's slowness) sets `budget: { name, ms }` on its timeout
 * error, so the executor's TIMEOUT names the limit that actually ran out.
 */
export interface CommandTransport {
  /** A short human description such as `local` or `uml-host:/tmp/x`, used in logs. */
  readonly description: string;
  run(argv: readonly string[], options: TransportRunOptions): Promise<CommandResult>;
  /** Releases connections or child processes the transport holds. */
  close?(): Promise<void>;
}
