import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * How much slower than an idle machine this one runs right now: 1 on an idle machine,
 * about 5 when every runnable thread gets a fifth of a CPU.
 *
 * @remarks Measured, not guessed: a short busy loop reads the kernel's per-thread
 * scheduler statistics (`/proc/thread-self/schedstat`: time on a CPU and time runnable
 * but waiting for one), so (run + wait) / run is the CPU share this thread gets while it
 * wants one. Where schedstat is missing, wall time over `process.cpuUsage()` stands in.
 * The 1-minute load average per core is taken too, and the larger of the two wins: it
 * lags, but it sees contention a 20 ms sample can miss, and a budget that is a little
 * too generous only delays the report of a real hang, whereas one too tight fails a
 * correct run. Clamped to [1, 100].
 *
 * @since 0.1.0
 */
export function measureSlowness(): number {
  const sampled = sampleSchedShare() ?? sampleCpuShare();
  const perCore = os.loadavg()[0]! / Math.max(1, os.availableParallelism());
  return clamp(Math.max(sampled, perCore));
}

/** Anything that reports a slowness factor (≥ 1); {@link SlownessGauge} measures one. */
export interface SlownessSource {
  factor(): number;
}

/**
 * A cached {@link measureSlowness}: re-measured at most every `maxAgeMs`, so budgets that
 * ask for it often (one per backend command) cost a busy loop only now and then.
 */
export class SlownessGauge implements SlownessSource {
  readonly #maxAgeMs: number;
  #value = 1;
  #at = Number.NEGATIVE_INFINITY;

  /** @param maxAgeMs - how long a measurement stays current. @defaultValue 10000 */
  constructor(maxAgeMs = 10_000) {
    this.#maxAgeMs = maxAgeMs;
  }

  /** The current factor (≥ 1). */
  factor(): number {
    const now = performance.now();
    if (now - this.#at > this.#maxAgeMs) {
      this.#value = measureSlowness();
      this.#at = performance.now();
    }
    return this.#value;
  }
}

/** The process-wide gauge transports and test budgets share. */
export const sharedSlowness = new SlownessGauge();

// Enough CPU time for the scheduler to have preempted us several times on a busy
// machine (its slices are a few ms), short enough to be cheap; the wall cap bounds the
// pause on a machine so slow that 15 ms of CPU never arrives.
const SAMPLE_RUN_NS = 15e6;
const SAMPLE_WALL_CAP_MS = 750;

function readSchedstat(): { run: number; wait: number } | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { run: run!, wait: wait! } : undefined;
  } catch {
    return undefined;
  }
}

function sampleSchedShare(): number | undefined {
  const start = readSchedstat();
  if (!start) return undefined;
  const wallStart = performance.now();
  let now = start;
  while (now.run - start.run < SAMPLE_RUN_NS && performance.now() - wallStart < SAMPLE_WALL_CAP_MS) {
    spin();
    now = readSchedstat() ?? now;
  }
  const run = now.run - start.run;
  return run > 0 ? (run + (now.wait - start.wait)) / run : undefined;
}

function sampleCpuShare(): number {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - wallStart < 30) spin();
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return cpuMs > 0 ? (performance.now() - wallStart) / cpuMs : 1;
}

let sink = 0;
function spin(): void {
  for (let i = 0; i < 20_000; i++) sink = (sink * 31 + i) % 1_000_003;
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(100, Math.max(1, x)) : 1;
}
