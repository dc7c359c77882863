import { isAshlarError } from '../core/errors/ashlar-error.js';
import type { ErrorCode } from '../core/errors/registry.js';

const VIOLATION = Symbol.for('ashlar.conformance.violation');

/** The driver error a violation carries, as reports show it. */
export interface DriverErrorInfo {
  readonly code: string;
  readonly message: string;
}

/**
 * A conformance expectation the driver did not meet. Carries the driver's own error when
 * one caused it, so a failure report shows both what was expected and what the driver said.
 */
export class ConformanceViolation extends Error {
  readonly [VIOLATION] = true;
  readonly driverError: DriverErrorInfo | undefined;

  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ConformanceViolation';
    this.driverError = driverErrorOf(cause);
  }
}

/** True for a {@link ConformanceViolation} from any copy of the package. */
export function isViolation(value: unknown): value is ConformanceViolation {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[VIOLATION] === true;
}

/** The coded error inside `err` (itself, or a violation's cause), for reports. */
export function driverErrorOf(err: unknown): DriverErrorInfo | undefined {
  if (isViolation(err)) return err.driverError;
  if (isAshlarError(err)) return { code: err.code, message: err.message };
  if (err instanceof Error && err.cause !== undefined) return driverErrorOf(err.cause);
  return undefined;
}

/** Throws a violation unless `condition` holds. */
export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceViolation(message);
}

/**
 * Runs a call that must fail with one of `codes`. Returns the error; throws a violation
 * when it succeeds or fails with another code.
 */
export async function expectCode(what: string, codes: readonly ErrorCode[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (isAshlarError(err) && codes.includes(err.code)) return;
    const got = isAshlarError(err) ? err.code : `an uncoded error (${err instanceof Error ? err.message : String(err)})`;
    throw new ConformanceViolation(`${what}: expected ${codes.join(' or ')}, got ${got}`, err);
  }
  throw new ConformanceViolation(`${what}: expected ${codes.join(' or ')}, but it succeeded`);
}

/** Runs a call that must succeed; a failure becomes a violation naming `what`. */
export async function expectOk<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isViolation(err)) throw err;
    const got = isAshlarError(err) ? err.code : 'an uncoded error';
    throw new ConformanceViolation(`${what}: expected success, got ${got}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/** Runs a call that must succeed or fail with one of `codes` (both are conforming). */
export async function expectOkOrCode(what: string, codes: readonly ErrorCode[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (isAshlarError(err) && codes.includes(err.code)) return;
    const got = isAshlarError(err) ? err.code : `an uncoded error (${err instanceof Error ? err.message : String(err)})`;
    throw new ConformanceViolation(`${what}: expected success or ${codes.join(' or ')}, got ${got}`, err);
  }
}
