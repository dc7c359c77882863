import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { ErrorCode } from '../../core/errors/registry.js';
import type { CommandResult } from '../../core/executor/transport.js';

/**
 * What a failing lvm2 command was about, so a message like "Failed to find logical volume"
 * becomes VOLUME_NOT_FOUND or SNAPSHOT_NOT_FOUND as the caller means it.
 */
export interface LvmFailureContext {
  /** The command, for COMMAND_FAILED details. */
  readonly argv: readonly string[];
  /** The id the operation names (a volume or snapshot id). */
  readonly id: string;
  /** Code for "the LV the command names does not exist". */
  readonly missing?: 'VOLUME_NOT_FOUND' | 'SNAPSHOT_NOT_FOUND';
  /** Code for "an LV with the new name exists". */
  readonly exists?: 'VOLUME_EXISTS' | 'SNAPSHOT_EXISTS';
  /** Code for "the LV is open or otherwise in use". */
  readonly busy?: 'VOLUME_BUSY' | 'SNAPSHOT_BUSY';
}

/**
 * lvm2 has no finer exit codes than these (lvm2 `errors.h`): 0 success, 2 no such command,
 * 3 invalid command line, 4 initialisation failed, 5 command failed. Every failure the
 * driver can meet is a 5, so the kind of failure is read from lvm2's (stable, English,
 * untranslated in these builds) messages; 127 is the shell convention for a missing program.
 */
const RULES: readonly { readonly test: RegExp; readonly code: (ctx: LvmFailureContext) => ErrorCode }[] = [
  // The volume group (or thin pool) itself is gone: configuration or host problem.
  { test: /Volume group "[^"]*" not found|Cannot process volume group/, code: () => 'BACKEND_UNAVAILABLE' },
  { test: /Pool [^ ]+ not found in Volume group|is not a thin pool/, code: () => 'BACKEND_UNAVAILABLE' },
  { test: /already exists in volume group/, code: (c) => c.exists ?? 'BACKEND_ERROR' },
  {
    test: /Failed to find logical volume|Snapshot origin LV .* not found|logical volume "[^"]*" not found in volume group|not found in volume group/i,
    code: (c) => c.missing ?? 'BACKEND_ERROR',
  },
  {
    test: /insufficient free space|Insufficient suitable allocatable extents|Insufficient free extents|out of data space|free space in thin pool|not enough free space/i,
    code: () => 'INSUFFICIENT_CAPACITY',
  },
  { test: /not larger than existing size|not smaller than existing size/, code: () => 'INVALID_ARGUMENT' },
  { test: /can be resized only while inactive/, code: () => 'VOLUME_BUSY' },
  { test: /\bin use\b|is open|Can't remove open logical volume|open logical volume/i, code: (c) => c.busy ?? 'VOLUME_BUSY' },
];

/** Turns a failed lvm2 (or dd) command into the registry's error. */
export function lvmFailure(result: CommandResult, ctx: LvmFailureContext): AshlarError {
  const stderr = result.stderr.toString('utf8').trim();
  const reason = stderr.split('\n').filter((l) => !/^\s*WARNING:/.test(l)).join(' ').replace(/\s+/g, ' ').trim().slice(0, 500) || `exit code ${result.exitCode}`;
  const program = ctx.argv[0] ?? '?';
  if (result.exitCode === 127) {
    return new AshlarError('MISSING_DEPENDENCY', {
      details: { driver: 'lvm', kind: 'program on the storage host', name: program, install: 'apt-get install lvm2 thin-provisioning-tools' },
      suggestions: ['install lvm2 on the storage host'],
    });
  }
  // 3: lvm2 refused the command line (e.g. a reserved name): our validation missed it.
  if (result.exitCode === 3) return new AshlarError('INVALID_ARGUMENT', { details: { reason } });
  for (const rule of RULES) {
    if (!rule.test.test(stderr)) continue;
    const code = rule.code(ctx);
    if (code === 'BACKEND_ERROR' || code === 'BACKEND_UNAVAILABLE' || code === 'INSUFFICIENT_CAPACITY' || code === 'INVALID_ARGUMENT') {
      return new AshlarError(code, { details: { reason: `${program}: ${reason}` } });
    }
    return new AshlarError(code, { details: { id: ctx.id, reason: `${program}: ${reason}` } });
  }
  return new AshlarError('COMMAND_FAILED', { details: { command: ctx.argv.join(' '), exitCode: result.exitCode, stderr: reason } });
}
