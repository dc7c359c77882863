import { spawn } from 'node:child_process';
import type { CommandResult, CommandTransport, TransportRunOptions } from './transport.js';

/**
 * Runs commands on this host with `spawn` and `shell: false`, so every argv element
 * reaches the program as one literal argument.
 */
export class LocalTransport implements CommandTransport {
  readonly description = 'local';

  run(argv: readonly string[], options: TransportRunOptions): Promise<CommandResult> {
    const [program, ...args] = argv;
    if (program === undefined) return Promise.reject(new Error('empty argv'));
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, {
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: options.env ? { ...process.env, ...options.env } : process.env,
        // A new process group lets a timeout kill the command's own children too.
        detached: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      let timedOut = false;
      const kill = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs);
      const onAbort = (): void => kill();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      child.stdout.on('data', (b: Buffer) => stdout.push(b));
      child.stderr.on('data', (b: Buffer) => stderr.push(b));
      child.on('error', (err) => finish(() => reject(err)));
      child.on('close', (code, signal) => {
        finish(() => {
          if (timedOut) {
            reject(Object.assign(new Error(`${program} timed out after ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
          } else if (options.signal?.aborted) {
            reject(Object.assign(new Error(`${program} aborted`), { code: 'ABORT_ERR' }));
          } else {
            const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
            resolve({ exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
          }
        });
      });
      // A command that never reads stdin closes the pipe early; that is not an error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? undefined);
    });
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return table[signal] ?? 0;
}
