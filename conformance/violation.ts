import { isAshlarError } from '../core/errors/ashlar-error.js';
import type { ErrorCode } from '../core/errors/registry.js';
import { RULES, type Rule } from './rules.js';

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
  /** The rule broken: given, or the first rule the message cites as `[rule text]`. */
  readonly rule: Rule | undefined;

  constructor(message: string, cause?: unknown, rule?: Rule) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ConformanceViolation';
    this.driverError = driverErrorOf(cause);
    this.rule = rule ?? citedRule(message);
  }
}

const RULE_TEXTS = Object.entries(RULES) as [Rule, string][];

/**
 * The rule a message cites first. Every check quotes its rule's text so that a human reads
 * it; recovering the key from that same quote means the key and the text cannot disagree.
 */
export function citedRule(message: string): Rule | undefined {
  let best: [Rule, number] | undefined;
  for (const [key, text] of RULE_TEXTS) {
    const at = message.indexOf(text);
    if (at >= 0 && (best === undefined || at < best[1])) best = [key, at];
  }
  return best?.[0];
}

/**
 * The rule a driver error breaks by itself, whatever call it came from: an uncoded throw,
 * NOT_SUPPORTED from a declared capability, a call past its time limit. It wins over the
 * rules the description cites; otherwise the first cited rule (the step being checked) does.
 */
function errorRule(err: unknown): Rule | undefined {
  if (isViolation(err)) return err.rule;
  if (!isAshlarError(err)) return 'coded';
  if (err.code === 'NOT_SUPPORTED') return 'notSupported';
  if (err.code === 'TIMEOUT') return 'abort';
  if (err.code === 'DRIVER_CONTRACT_VIOLATION') return /uncoded error/.test(err.message) ? 'coded' : /AbortSignal/.test(err.message) ? 'abort' : undefined;
  return undefined;
}

/** The rule a failure broke: a violation's own, else the first one its message cites. */
export function ruleOf(err: unknown): Rule | undefined {
  if (isViolation(err)) return err.rule;
  return err instanceof Error ? citedRule(err.message) : undefined;
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
 * How a driver error reads in a violation: its code and message, plus the rule it breaks
 * when the error itself is the problem (an uncoded throw, NOT_SUPPORTED from a declared
 * capability, a timeout).
 */
export function describeError(err: unknown): string {
  if (!isAshlarError(err)) return `an uncoded error (${err instanceof Error ? err.message : String(err)}) [${RULES.coded}]`;
  const hint =
    err.code === 'NOT_SUPPORTED' ? ` [${RULES.notSupported}]`
    : err.code === 'TIMEOUT' ? ` [the call ran past the conformance time limit; ${RULES.abort}]`
    : err.code === 'DRIVER_CONTRACT_VIOLATION' && /uncoded error/.test(err.message) ? ` [${RULES.coded}]`
    : '';
  return `${err.code}: ${err.message}${hint}`;
}

/**
 * Runs a call that must fail with one of `codes`. Throws a violation when it succeeds or
 * fails with another code; `rule` names the contract rule for the message.
 */
export async function expectCode(what: string, codes: readonly ErrorCode[], call: () => Promise<unknown>, rule?: string): Promise<void> {
  const cite = rule ? ` [${rule}]` : '';
  try {
    await call();
  } catch (err) {
    if (isAshlarError(err) && codes.includes(err.code)) return;
    throw new ConformanceViolation(`${what}: expected ${codes.join(' or ')}, got ${describeError(err)}${cite}`, err, errorRule(err));
  }
  throw new ConformanceViolation(`${what}: expected ${codes.join(' or ')}, but it succeeded${cite}`);
}

/** Runs a call that must succeed; a failure becomes a violation naming `what` (and `rule`). */
export async function expectOk<T>(what: string, call: () => Promise<T>, rule?: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isViolation(err)) throw err;
    throw new ConformanceViolation(`${what}: expected success, got ${describeError(err)}${rule ? ` [${rule}]` : ''}`, err, errorRule(err));
  }
}

/** Runs a call that must succeed or fail with one of `codes` (both are conforming). Returns whether it succeeded. */
export async function expectOkOrCode(what: string, codes: readonly ErrorCode[], call: () => Promise<unknown>, rule?: string): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isAshlarError(err) && codes.includes(err.code)) return false;
    throw new ConformanceViolation(`${what}: expected success or ${codes.join(' or ')}, got ${describeError(err)}${rule ? ` [${rule}]` : ''}`, err, errorRule(err));
  }
}
