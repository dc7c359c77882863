import type { Context } from 'mocha';

/**
 * Skips a test whose real backend is missing, loudly; under CI (CI=true) a missing backend
 * is a failure instead, so CI can never pass by skipping.
 */
export function requireBackend(ctx: Context, available: boolean, what: string): void {
  if (available) return;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${what} is not available: .ci/run must install it`);
  console.warn(`      ⚠ SKIPPED: ${what} is not available on this machine`);
  ctx.skip();
}
