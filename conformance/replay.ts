import { AshlarError } from '../core/errors/ashlar-error.js';

/**
 * Everything needed to rerun one failing counterexample exactly: which property, the
 * fast-check seed and counterexample path, the command budget, and (for model runs) the
 * commands' replay path. Written as one shell-safe token:
 * `suite.check~seed~path~maxCommands~replayPath`.
 */
export interface ReplayToken {
  /** `suite.check`, e.g. `lifecycle.model`. */
  readonly property: string;
  readonly seed: number;
  readonly path: string;
  readonly maxCommands: number;
  readonly replayPath?: string | undefined;
}

/** Serializes a token (none of its parts can contain `~`). */
export function formatReplay(t: ReplayToken): string {
  return [t.property, String(t.seed), t.path, String(t.maxCommands), t.replayPath ?? ''].join('~');
}

/**
 * Parses a token written by {@link formatReplay}.
 *
 * @throws INVALID_ARGUMENT when it is malformed.
 */
export function parseReplay(text: string): ReplayToken {
  const [property, seed, path, max, replayPath, ...rest] = text.trim().split('~');
  if (!property || !/^[a-z]+\.[a-z0-9-]+$/.test(property) || !/^-?\d+$/.test(seed ?? '') || !/^[0-9:]+$/.test(path ?? '') || !/^\d+$/.test(max ?? '') || rest.length > 0) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `--replay expects a token printed by a failed run (suite.check~seed~path~maxCommands~replayPath), got ${JSON.stringify(text)}` } });
  }
  return { property, seed: Number(seed), path: path!, maxCommands: Number(max), replayPath: replayPath || undefined };
}
