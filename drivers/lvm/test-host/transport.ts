/**
 * A {@link CommandTransport} that runs commands inside the throwaway UML LVM test host
 * started by `scripts/lvm-host/start.sh`, through the broker's Unix socket.
 *
 * @remarks Wire protocol (one request per connection; the broker runs one command at a
 * time, in arrival order): the client sends a frame `u32be headerLength, JSON header,
 * stdin bytes` with header `{ op: "run", argv, timeoutMs, env?, stdinLength }`; the broker
 * answers `u32be headerLength, JSON header, stdout bytes, stderr bytes` and closes, with
 * header `{ ok: true, exitCode, stdoutLength, stderrLength, durationMs }` or
 * `{ ok: false, code, message, stdoutLength, stderrLength }`. The guest executes the argv
 * without a shell. Closing the connection early kills the command in the guest. The
 * broker counts `timeoutMs` from the moment the command starts in the guest, not while it
 * waits behind other commands, as a window without progress on the guest's disk files
 * (renewed while they change, at most 10 windows); an `{ op: "info" }` request is answered at once, queue or
 * not, which is how a waiting client tells a busy broker from a dead one.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { sharedSlowness, type SlownessSource } from '../../../core/executor/slowness.js';
import type { CommandResult, CommandTransport, TransportRunOptions } from '../../../core/executor/transport.js';

/** The parts of `host.json` (written by `start.sh`) this transport reads. */
export interface LvmHostInfo {
  /** Absolute path of the broker's Unix socket. */
  readonly socket: string;
  /** Name of the volume group created in the guest. */
  readonly vg: string;
  /** The host's state directory. */
  readonly dir?: string | undefined;
  /** PIDs of the broker and the UML kernel process. */
  readonly pids?: Readonly<Record<string, number>> | undefined;
  /** Guest facts: kernel, lvm version lines, disks, boot timings. */
  readonly guest?: Readonly<Record<string, unknown>> | undefined;
}

/** Options of {@link LvmHostTransport}. */
export interface LvmHostTransportOptions {
  /**
   * While a command is queued or running, the client asks the broker every `graceMs`
   * whether it still answers, and gives up only when it does not within `graceMs`: the
   * broker enforces each command's own limit, so a live broker always answers in the end.
   * @defaultValue 15000
   */
  readonly graceMs?: number | undefined;
  /**
   * Scales each call's `timeoutMs`: the guest is a UML kernel sharing this machine's
   * CPUs, so on a loaded machine every guest command is proportionally slower.
   * @defaultValue the process-wide gauge
   */
  readonly slowness?: SlownessSource | undefined;
}

/** An error raised by {@link LvmHostTransport}; `code` is `"ETIMEDOUT"` for a timeout. */
export interface LvmHostTransportError extends Error {
  code: string;
  /** The limit that ran out, for a timeout (see {@link CommandTransport}). */
  budget?: { name: string; ms: number };
  /** Output the command produced before it was killed, when known. */
  stdout?: Buffer;
  stderr?: Buffer;
}

interface ResponseHeader {
  ok: boolean;
  exitCode?: number;
  code?: string;
  message?: string;
  stdoutLength: number;
  stderrLength: number;
}

function transportError(message: string, code: string, cause?: unknown): LvmHostTransportError {
  const err = new Error(message, cause === undefined ? undefined : { cause }) as LvmHostTransportError;
  err.code = code;
  return err;
}

function abortError(signal: AbortSignal): LvmHostTransportError {
  const err = transportError('The operation was aborted', 'ABORT_ERR', signal.reason);
  err.name = 'AbortError';
  return err;
}

/**
 * Runs argv inside the UML LVM test host through its broker socket.
 *
 * @example
 * ```ts
 * const t = new LvmHostTransport('/tmp/lvm/host.json');
 * const r = await t.run(['lvs', '--reportformat', 'json'], { timeoutMs: 30_000 });
 * ```
 */
export class LvmHostTransport implements CommandTransport {
  /** `uml-host:<state dir>`. */
  readonly description: string;
  /** The host description this transport was built from. */
  readonly info: LvmHostInfo;
  readonly #graceMs: number;
  readonly #slowness: SlownessSource;
  readonly #open = new Set<Socket>();
  #closed = false;

  /**
   * @param host - path of `host.json`, or its parsed contents.
   * @param options - see {@link LvmHostTransportOptions}.
   */
  constructor(host: string | LvmHostInfo, options: LvmHostTransportOptions = {}) {
    const info: unknown = typeof host === 'string' ? JSON.parse(readFileSync(host, 'utf8')) : host;
    if (
      typeof info !== 'object' || info === null ||
      typeof (info as { socket?: unknown }).socket !== 'string' ||
      typeof (info as { vg?: unknown }).vg !== 'string'
    ) {
      throw new TypeError('LvmHostTransport: host.json must have string "socket" and "vg"');
    }
    this.info = info as LvmHostInfo;
    this.#graceMs = options.graceMs ?? 15_000;
    this.#slowness = options.slowness ?? sharedSlowness;
    this.description = `uml-host:${this.info.dir ?? this.info.socket}`;
  }

  /**
   * Runs one argv in the guest. Resolves with the exit code and raw output (a non-zero
   * exit is a normal result); rejects when the host cannot be reached, on abort
   * (`code` `"ABORT_ERR"`), or when the command ran out of time (`code` `"ETIMEDOUT"`,
   * the command has been killed in the guest).
   */
  run(argv: readonly string[], options: TransportRunOptions): Promise<CommandResult> {
    if (this.#closed) return Promise.reject(transportError('LvmHostTransport is closed', 'ECLOSED'));
    if (argv.length === 0 || argv.some((a) => typeof a !== 'string' || a.includes('\0'))) {
      return Promise.reject(new TypeError('argv must be a non-empty array of strings without NUL'));
    }
    const { timeoutMs, signal, env } = options;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      return Promise.reject(new TypeError('timeoutMs must be a positive finite number'));
    }
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const stdin = options.stdin ?? Buffer.alloc(0);
    const slowness = this.#slowness.factor();
    const limitMs = Math.ceil(timeoutMs * slowness);
    const budget = { name: `${Math.ceil(timeoutMs)} ms × slowness ${slowness.toFixed(1)} = ${limitMs} ms without progress on the guest's disks (at most 10 such windows) in ${this.description}`, ms: limitMs };
    const header = Buffer.from(
      JSON.stringify({
        op: 'run',
        argv,
        timeoutMs: limitMs,
        ...(env === undefined ? {} : { env }),
        stdinLength: stdin.length,
      }),
      'utf8',
    );
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);

    return new Promise<CommandResult>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const sock = connect(this.info.socket);
      this.#open.add(sock);
      const finish = (err: Error | null, result?: CommandResult): void => {
        if (settled) return;
        settled = true;
        clearInterval(liveness);
        signal?.removeEventListener('abort', onAbort);
        this.#open.delete(sock);
        if (err) {
          sock.destroy();
          reject(err);
        } else if (result) {
          resolve(result);
        }
      };
      const onAbort = (): void => finish(signal ? abortError(signal) : transportError('aborted', 'ABORT_ERR'));
      // The broker enforces the command's limit itself (and kills the command), counting
      // from the command's start; a queue ahead of it is progress, not a hang. So the
      // client only checks that the broker still answers.
      const liveness = setInterval(() => {
        void this.#answers().then((alive) => {
          if (alive) return;
          const err = transportError(`${this.description}: broker stopped answering (no reply to "info" within ${this.#graceMs} ms)`, 'ETIMEDOUT');
          err.budget = { name: `graceMs: broker liveness check of ${this.description}`, ms: this.#graceMs };
          finish(err);
        });
      }, this.#graceMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      sock.on('connect', () => {
        sock.write(Buffer.concat([len, header]));
        if (stdin.length) sock.write(stdin);
      });
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('error', (e: NodeJS.ErrnoException) => {
        finish(transportError(`${this.description}: ${e.message}`, e.code ?? 'EIO', e));
      });
      sock.on('close', () => {
        if (settled) return;
        const data = Buffer.concat(chunks);
        let parsed: { header: ResponseHeader; stdout: Buffer; stderr: Buffer };
        try {
          parsed = parseResponse(data);
        } catch (e) {
          finish(transportError(`${this.description}: bad or missing response: ${(e as Error).message}`, 'EPROTO', e));
          return;
        }
        const { header: h, stdout, stderr } = parsed;
        if (h.ok && typeof h.exitCode === 'number') {
          finish(null, { exitCode: h.exitCode, stdout, stderr });
          return;
        }
        const err = transportError(`${this.description}: ${h.message ?? 'request failed'}`, h.code ?? 'EIO');
        if (err.code === 'ETIMEDOUT') err.budget = budget;
        err.stdout = stdout;
        err.stderr = stderr;
        finish(err);
      });
    });
  }

  /** Whether the broker answers an `info` request within `graceMs`. */
  #answers(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const header = Buffer.from(JSON.stringify({ op: 'info' }), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(header.length);
      const chunks: Buffer[] = [];
      const sock = connect(this.info.socket);
      const done = (alive: boolean): void => {
        clearTimeout(timer);
        sock.destroy();
        resolve(alive);
      };
      const timer = setTimeout(() => done(false), this.#graceMs);
      sock.on('connect', () => sock.write(Buffer.concat([len, header])));
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('error', () => done(false));
      sock.on('close', () => {
        try {
          done(parseResponse(Buffer.concat(chunks)).header.ok);
        } catch {
          done(false);
        }
      });
    });
  }

  /** Aborts calls in flight (their commands are killed in the guest) and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const s of this.#open) s.destroy();
    this.#open.clear();
  }
}

function parseResponse(data: Buffer): { header: ResponseHeader; stdout: Buffer; stderr: Buffer } {
  if (data.length < 4) throw new Error('connection closed before a response');
  const hl = data.readUInt32BE(0);
  if (data.length < 4 + hl) throw new Error('truncated header');
  const header = JSON.parse(data.subarray(4, 4 + hl).toString('utf8')) as ResponseHeader;
  const outEnd = 4 + hl + header.stdoutLength;
  const errEnd = outEnd + header.stderrLength;
  if (data.length !== errEnd) throw new Error(`expected ${errEnd} bytes, got ${data.length}`);
  return { header, stdout: data.subarray(4 + hl, outEnd), stderr: data.subarray(outEnd, errEnd) };
}
