import { Command, Flags } from '@oclif/core';
import { isAshlarError } from '../core/errors/ashlar-error.js';

/** Exit codes, stable for scripts: 0 ok, 1 a check failed, 2 usage/config, 3 backend/runtime. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, RUNTIME: 3 } as const;

/**
 * Base of every Ashlar command: `--json` output and coded errors. A coded error prints its
 * code, message and suggestions (or its JSON form with --json) and exits with a stable code.
 */
export abstract class AshlarCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'log-level': Flags.option({
      options: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      description: 'Log level for the JSON log on stderr.',
      default: 'warn',
      helpGroup: 'GLOBAL',
    })(),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (isAshlarError(err)) {
      const exitCode = ['CONFIG_INVALID', 'INVALID_ARGUMENT', 'PLUGIN_NOT_FOUND', 'PLUGIN_INVALID', 'PLUGIN_CONTRACT_MISMATCH', 'MISSING_DEPENDENCY'].includes(err.code)
        ? EXIT.USAGE
        : EXIT.RUNTIME;
      // The registry's HTTP status means nothing to a command line; its exit code does.
      const suggestions = (err as { suggestions?: readonly string[] }).suggestions ?? [];
      const details = (err as { details?: Record<string, unknown> }).details ?? {};
      const body = { code: err.code, message: err.message, exitCode, details, ...(suggestions.length ? { suggestions } : {}) };
      if (this.jsonEnabled()) {
        this.logJson({ error: body });
      } else {
        const suggestions = ((err as { suggestions?: readonly string[] }).suggestions ?? []).map((s) => `  hint: ${s}`);
        process.stderr.write([`Error ${err.code}: ${err.message}`, ...suggestions].join('\n') + '\n');
      }
      this.exit(exitCode);
    }
    return super.catch(err);
  }
}
