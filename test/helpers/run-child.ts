import { spawn } from 'node:child_process';
import { watchBudget, type BudgetExpiredError, type BudgetSpec } from '../../core/executor/budget.js';

/** How a child run by {@link runChild} ended. */
export interface ChildOutcome {
  /** Exit code, or undefined when a signal ended it. */
  readonly code: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  /** The last `keepBytes` of stdout and stderr, interleaved as they arrived. */
  readonly output: string;
  /** Everything written to stdout (kept whole: reports and JSON are read from it). */
  readonly stdout: string;
  /** Set when the budget ran out and the child was killed. */
  readonly expired: BudgetExpiredError | undefined;
}

/**
 * Runs `argv` (no shell) under a named budget in idle-machine time; any output counts as
 * progress for the budget's idle limit, so a long run that keeps working is never cut
 * short by a wall clock, while a silent hang is killed and reported by name. Never
 * rejects for an exit code: the caller asserts on the outcome.
 */
export function runChild(argv: readonly string[], spec: BudgetSpec, options: { env?: NodeJS.ProcessEnv; keepBytes?: number } = {}): Promise<ChildOutcome> {
  const keep = options.keepBytes ?? 64 * 1024;
  return new Promise<ChildOutcome>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    let tail = '';
    let stdout = '';
    let expired: BudgetExpiredError | undefined;
    const watch = watchBudget(spec, (err) => {
      expired = err;
      child.kill('SIGKILL');
    });
    const onData = (toStdout: boolean) => (chunk: Buffer): void => {
      watch.progress();
      const text = chunk.toString('utf8');
      if (toStdout) stdout += text;
      tail = (tail + text).slice(-keep);
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(false));
    child.on('error', (err) => {
      watch.stop();
      reject(err);
    });
    child.on('close', (code, signal) => {
      watch.stop();
      resolve({ code: code ?? undefined, signal: signal ?? undefined, output: tail, stdout, expired });
    });
  });
}

/** A one-paragraph account of an outcome for an assertion message. */
export function describeOutcome(o: ChildOutcome, lines = 40): string {
  const end = o.expired ? o.expired.message : `exit ${o.code ?? o.signal}`;
  return `${end}\n${o.output.split('\n').slice(-lines).join('\n')}`;
}
