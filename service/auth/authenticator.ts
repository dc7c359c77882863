import type { RequestContext } from './context.js';

/** Headers an authenticator reads (lower-case names, as node gives them). */
export type AuthHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Identity established from a request, before the admin rule is applied. */
export interface Identity {
  readonly userId: string;
  readonly projectId: string;
}

/** Where a request comes from, for strategies that throttle failed logins. */
export interface AuthClient {
  /** The peer's IP address. */
  readonly address: string;
}

/** Turns request headers into an identity, or throws UNAUTHORIZED. */
export interface Authenticator {
  readonly strategy: string;
  /** The `WWW-Authenticate` value a 401 carries (RFC 9110), when the strategy has one. */
  readonly challenge?: string;
  authenticate(headers: AuthHeaders, client?: AuthClient): Promise<Identity>;
}

/**
 * The admin rule, the same for every strategy: a caller is an administrator when its user
 * is one of `admin_users` (default `admin`) or its project is `admin_project`
 * (default `admin`).
 */
export function toContext(identity: Identity, requestId: string, admin: { users: readonly string[]; project: string }): RequestContext {
  return {
    userId: identity.userId,
    projectId: identity.projectId,
    isAdmin: admin.users.includes(identity.userId) || identity.projectId === admin.project,
    requestId,
  };
}

/** First value of a header. */
export function header(headers: AuthHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
