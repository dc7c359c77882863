import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'client-runner.py');
/** Environment without OS_* variables, so nothing but the argv configures the clients. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));

/** What one client command line did. */
export interface Result {
  rc: number;
  stdout: string;
  stderr: string;
}

/**
 * One Python process that runs real client command lines through the clients' own entry
 * points (see fixtures/client-runner.py), so a flow pays Python's start-up once instead of
 * once per command.
 */
export class ClientRunner {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.#proc = spawn(PYTHON, [RUNNER], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#proc.stderr.resume();
    this.#lines = createInterface({ input: this.#proc.stdout })[Symbol.asyncIterator]();
  }

  run(client: 'openstack' | 'cinder', argv: readonly string[]): Promise<Result> {
    const next = this.#queue.then(async () => {
      this.#proc.stdin.write(`${JSON.stringify({ client, argv })}\n`);
      const line = await this.#lines.next();
      if (line.done) throw new Error('client runner exited');
      return JSON.parse(line.value) as Result;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.#proc.stdin.end();
  }
}

