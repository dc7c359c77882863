import { ERROR_REGISTRY, type ErrorCode } from './registry.js';

/**
 * Marks Ashlar errors across package copies: two installed copies of ashlar have two
 * `AshlarError` classes, so `instanceof` lies; a registered symbol does not.
 */
const ASHLAR_ERROR = Symbol.for('ashlar.error');

/** Options for {@link AshlarError}. */
export interface AshlarErrorOptions {
  /** Values for the message template and machine-readable context. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The underlying error. */
  readonly cause?: unknown;
  /** What the user might do about it (CLI shows these). */
  readonly suggestions?: readonly string[];
  /** Overrides the registry's message. */
  readonly message?: string;
}

/**
 * An error with a stable code from the registry. Raise it from drivers and the core;
 * recognise it with {@link isAshlarError} or {@link hasErrorCode}, never with `instanceof`
 * or by message.
 *
 * @example
 * ```ts
 * throw new AshlarError('VOLUME_NOT_FOUND', { details: { id } });
 * ```
 */
export class AshlarError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;
  readonly suggestions: readonly string[];
  readonly [ASHLAR_ERROR] = true;

  constructor(code: ErrorCode, options: AshlarErrorOptions = {}) {
    const def = ERROR_REGISTRY[code];
    const details = options.details ?? {};
    super(options.message ?? renderTemplate(def.message, details), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AshlarError';
    this.code = code;
    this.status = def.status;
    this.details = details;
    this.suggestions = options.suggestions ?? [];
  }

  /** The JSON form used in `--json` output and reports (error.schema.json). */
  toJSON(): { code: ErrorCode; message: string; status: number; details: Record<string, unknown>; suggestions?: string[] } {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      details: { ...this.details },
      ...(this.suggestions.length > 0 ? { suggestions: [...this.suggestions] } : {}),
    };
  }
}

/** Fills `{name}` placeholders; a missing value stays visible as `{name}`. */
export function renderTemplate(template: string, details: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in details ? String(details[key]) : whole));
}

/** The shape of any Ashlar error, from this copy of the package or another. */
export interface AshlarErrorLike extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/** True for an Ashlar error from any copy of the package. */
export function isAshlarError(value: unknown): value is AshlarErrorLike {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ASHLAR_ERROR] === true;
}

/** True when `value` is an Ashlar error with one of the given codes. */
export function hasErrorCode(value: unknown, ...codes: ErrorCode[]): value is AshlarErrorLike {
  return isAshlarError(value) && codes.includes(value.code);
}
