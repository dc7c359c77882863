import { CAPABILITY_METHODS } from '../core/contract/capability-map.js';
import { AshlarError } from '../core/errors/ashlar-error.js';
import { RULES } from './rules.js';

/** Every method of the contract a driver may implement (required, optional, capabilities). */
const DRIVER_METHODS: ReadonlySet<string> = new Set([
  'checkSetup', 'getStats', 'createVolume', 'deleteVolume', 'extendVolume', 'initializeConnection', 'terminateConnection', 'close',
  ...Object.values(CAPABILITY_METHODS).flat(),
]);

/** A call that ignored its aborted signal. */
export interface StuckCall {
  readonly method: string;
  /** How long it had run when it was declared stuck. */
  readonly pendingMs: number;
}

/**
 * Watches every call into the raw driver, whoever makes it (the runtime wrapper or a suite
 * going around it): once a call's AbortSignal is aborted — by the wrapper's time limit or
 * by a check — the call has `graceMs` to settle. One that does not is "stuck": its promise
 * is abandoned with a coded DRIVER_CONTRACT_VIOLATION, so the run goes on instead of
 * hanging forever, and later calls of that method fail at once (a stuck driver would only
 * stall every later run, and shrinking would repeat each stall).
 */
export class CallMonitor {
  readonly #graceMs: number;
  readonly #stuck = new Map<string, StuckCall>();
  /** How to abandon each pending call, by method. */
  readonly #pending = new Map<string, Set<(reason: string) => void>>();
  #driverName = 'driver';

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** Methods found stuck so far. */
  get stuck(): StuckCall[] {
    return [...this.#stuck.values()];
  }

  /** A view of `driver` whose contract methods are watched; everything else passes through. */
  watch<T extends object>(driver: T, driverName: string): T {
    this.#driverName = driverName;
    return new Proxy(driver, {
      get: (target, prop, _receiver) => {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = value as (this: T, args: unknown) => unknown;
        if (typeof prop === 'string' && DRIVER_METHODS.has(prop)) return (args: unknown) => this.#call(prop, () => fn.call(target, args), args);
        return fn.bind(target);
      },
    });
  }

  #call(method: string, invoke: () => unknown, args: unknown): Promise<unknown> {
    const earlier = this.#stuck.get(method);
    if (earlier) {
      return Promise.reject(this.#violation(method, `not called: an earlier ${method} call ignored its aborted AbortSignal and was still pending ${Math.round(earlier.pendingMs / 1000)} s after it started (${RULES.abort})`));
    }
    const started = performance.now();
    const call = Promise.resolve().then(invoke);
    // Time limits run on AbortSignal.timeout, whose timers do not keep Node alive: a driver
    // promise that never settles and holds no handle of its own would let the process end
    // mid-run without a report (the CLI then exits 13, "unsettled top-level await"). A ref'd
    // timer per pending call prevents that.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    call.then(
      () => clearInterval(keepAlive),
      () => clearInterval(keepAlive),
    );
    const signal = (args as { signal?: unknown } | undefined)?.signal;
    if (!(signal instanceof AbortSignal)) return call;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let abandon: ((reason: string) => void) | undefined;
    const pending = this.#pending.get(method) ?? new Set<(reason: string) => void>();
    this.#pending.set(method, pending);
    const stuck = new Promise<never>((_, reject) => {
      abandon = (reason) => reject(this.#violation(method, reason));
      onAbort = () => {
        timer = setTimeout(() => {
          const pendingMs = performance.now() - started;
          this.#stuck.set(method, { method, pendingMs });
          pending.delete(abandon!);
          // The others are waiting on the same stuck code path: stop waiting for them too.
          for (const other of [...pending]) other(`abandoned: an earlier ${method} call ignored its aborted AbortSignal and never settled (${RULES.abort})`);
          abandon!(`ignored its aborted AbortSignal: still pending ${Math.round(this.#graceMs / 1000)} s after the abort (${RULES.abort})`);
        }, this.#graceMs);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    pending.add(abandon!);
    const done = (): void => {
      if (timer) clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
      pending.delete(abandon!);
    };
    // An abandoned call must not keep the process alive any longer.
    stuck.catch(() => {
      clearInterval(keepAlive);
      done();
    });
    call.then(done, done);
    return Promise.race([call, stuck]);
  }

  #violation(method: string, reason: string): AshlarError {
    return new AshlarError('DRIVER_CONTRACT_VIOLATION', { details: { driver: this.#driverName, operation: method, reason } });
  }
}
