import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { RequestContext } from './context.js';

/**
 * The service's policy, deliberately small: members act within their own project;
 * administrators act on every project and alone may run admin-only actions.
 */

/** @throws FORBIDDEN unless the caller is an administrator. */
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin) throw new AshlarError('FORBIDDEN', { details: { action } });
}

/** True when the caller may see a resource owned by `projectId`. */
export function canSee(ctx: RequestContext, projectId: string): boolean {
  return ctx.isAdmin || ctx.projectId === projectId;
}

/** @throws FORBIDDEN unless the caller is the project's member or an administrator. */
export function requireProjectAccess(ctx: RequestContext, projectId: string, action: string): void {
  if (!canSee(ctx, projectId)) throw new AshlarError('FORBIDDEN', { details: { action } });
}
