import type { FastifyInstance } from 'fastify';

/** A method and url the router serves. */
export interface ServedRoute {
  readonly method: string;
  readonly url: string;
}

/**
 * Every route the router serves, read from `printRoutes()` rather than from hooks, so it
 * is an independent witness of what the app answers (routes registered before the
 * documentation hook included). The app must be ready.
 */
export function servedRoutes(app: FastifyInstance): ServedRoute[] {
  const out: ServedRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    if (m[3]) for (const method of m[3].split(', ')) out.push({ method, url: stack.join('') });
  }
  return out;
}
