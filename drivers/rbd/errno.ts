import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { ErrorCode } from '../../core/errors/registry.js';
import type { CommandResult } from '../../core/executor/transport.js';

/** errno values the rbd and ceph CLIs exit with (they exit with the failing call's errno). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  ENOSPC: 28,
  ENOTEMPTY: 39,
  ENOTCONN: 107,
  ESHUTDOWN: 108,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EDQUOT: 122,
} as const;

/**
 * What a failing command means in the caller's context: which code "missing", "exists" and
 * "busy" become, and the id to name. Anything else has one meaning everywhere.
 */
export interface FailureContext {
  readonly id: string;
  readonly notFound?: ErrorCode;
  readonly exists?: ErrorCode;
  readonly busy?: ErrorCode;
  /** Reason shown for EBUSY/ENOTEMPTY. */
  readonly busyReason?: string;
}

/**
 * The `rbd:`/`Error` line of stderr. librbd prints its own log lines (timestamps, thread
 * ids) before the CLI's message; those are noise for an error message.
 */
export function cliMessage(stderr: Buffer): string {
  const lines = stderr.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  const meaningful = lines.filter((l) => !/^\d{4}-\d\d-\d\dT/.test(l) && !/% complete/.test(l));
  return (meaningful.at(-1) ?? lines.at(-1) ?? '').slice(0, 500);
}

/** Maps a failed rbd/ceph command to a coded error by its exit code (never by message text). */
export function mapFailure(command: string, result: CommandResult, ctx: FailureContext): AshlarError {
  const message = cliMessage(result.stderr);
  const coded = (code: ErrorCode | undefined, details: Record<string, unknown>): AshlarError | undefined =>
    code === undefined ? undefined : new AshlarError(code, { details: { id: ctx.id, reason: `${command}: ${message}`, ...details } });
  let mapped: AshlarError | undefined;
  switch (result.exitCode) {
    case Errno.ENOENT:
      mapped = coded(ctx.notFound, { reference: ctx.id });
      break;
    case Errno.EEXIST:
      mapped = coded(ctx.exists, {});
      break;
    case Errno.EBUSY:
    case Errno.ENOTEMPTY:
      mapped = coded(ctx.busy, { reason: ctx.busyReason ?? message });
      break;
    case Errno.EINVAL:
      mapped = new AshlarError('INVALID_ARGUMENT', { details: { reason: `${command}: ${message}` } });
      break;
    case Errno.ENOSPC:
    case Errno.EDQUOT:
      mapped = new AshlarError('INSUFFICIENT_CAPACITY', { details: { reason: `${command}: ${message}` } });
      break;
    case Errno.EPERM:
    case Errno.EACCES:
      mapped = new AshlarError('BACKEND_ERROR', {
        details: { reason: `permission denied (check the cephx caps in the manifest's backendPermissions): ${command}: ${message}` },
      });
      break;
    case Errno.ENOTCONN:
    case Errno.ESHUTDOWN:
    case Errno.ETIMEDOUT:
    case Errno.ECONNREFUSED:
    case Errno.EHOSTUNREACH:
      mapped = new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `cannot reach the Ceph cluster: ${command}: ${message}` } });
      break;
    default:
      break;
  }
  return mapped ?? new AshlarError('COMMAND_FAILED', { details: { command, exitCode: result.exitCode, stderr: message } });
}
