import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CODES, OntapApiError } from './errors.js';
import type { ClusterState, SimUser } from './model.js';

/**
 * HTTP basic authentication against the cluster's accounts.
 *
 * @throws OntapApiError 401 when credentials are missing or wrong.
 */
export function authenticate(req: IncomingMessage, state: ClusterState): SimUser {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (m !== null) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = decoded.slice(0, colon);
    const password = Buffer.from(decoded.slice(colon + 1));
    const user = state.users.find((u) => u.name === name);
    if (user !== undefined && colon > 0) {
      const want = Buffer.from(user.password);
      if (want.length === password.length && timingSafeEqual(want, password)) return user;
    }
  }
  throw new OntapApiError(401, CODES.notAuthorized, 'Authentication failed');
}

/**
 * Checks the user's role grants `method` on `apiPath`: the privilege with the longest
 * path prefix decides; `readonly` allows GET only; no matching privilege denies.
 *
 * @throws OntapApiError 403 with code 6 when it does not.
 */
export function authorize(user: SimUser, state: ClusterState, method: string, apiPath: string): void {
  const role = state.roles.find((r) => r.name === user.role);
  let best: { path: string; access: string } | undefined;
  for (const p of role?.privileges ?? []) {
    const prefix = p.path.replace(/\/+$/, '');
    if ((apiPath === prefix || apiPath.startsWith(`${prefix}/`)) && (best === undefined || prefix.length > best.path.length)) best = { path: prefix, access: p.access };
  }
  const ok = best !== undefined && (best.access === 'all' || (best.access === 'readonly' && method === 'GET'));
  if (!ok) throw new OntapApiError(403, CODES.notAuthorized, 'not authorized for that command');
}
