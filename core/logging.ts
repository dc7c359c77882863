import { pino, type Logger } from 'pino';

/** Log field paths whose values are secrets wherever they appear. */
export const REDACT_PATHS = [
  'password', '*.password', '*.*.password',
  'secret', '*.secret', '*.*.secret',
  'token', '*.token', 'config.*.password', 'config.keyring', 'config.key', '*.auth_password',
  'headers.authorization', 'req.headers.authorization', 'req.headers["x-auth-token"]',
];

/**
 * The process logger: JSON lines on stderr, level from `ASHLAR_LOG_LEVEL`
 * (default `warn`, so CLI output stays readable), secrets redacted by path.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'ashlar',
      level: options.level ?? process.env.ASHLAR_LOG_LEVEL ?? 'warn',
      redact: { paths: REDACT_PATHS, censor: '***' },
    },
    pino.destination(2),
  );
}

/** A logger that discards everything (tests, library use without logging). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
