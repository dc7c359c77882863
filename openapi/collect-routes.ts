import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteDoc } from './route-doc.js';

/** A route as registered on the fastify instance, with its documentation. */
export interface CollectedRoute {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The full url in fastify syntax, prefix included (`/v3/:project_id/volumes`). */
  readonly url: string;
  /** `config.doc`, or undefined when the route carries none (the builder refuses those). */
  readonly doc: RouteDoc | undefined;
}

/**
 * Installs an `onRoute` hook that records every route registered from now on. Call it
 * right after creating the instance: routes registered before the hook are not seen
 * (the served-routes check in the tests catches that).
 *
 * @returns The live list; it fills as routes are registered (complete after `ready()`).
 */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const doc = (route.config as { doc?: RouteDoc } | undefined)?.doc;
    for (const method of methods) routes.push({ method: String(method).toUpperCase(), url: route.url, doc });
  });
  return routes;
}

/**
 * Creates the application whose routes are documented. It must call `setup(app)` right
 * after creating the fastify instance and before registering any route, and return the
 * instance (ready or not).
 */
export type AppFactory = (setup: (app: FastifyInstance) => void) => FastifyInstance | Promise<FastifyInstance>;

/** Builds the app through its factory and returns its documented routes; closes the app. */
export async function routesOfApp(factory: AppFactory): Promise<CollectedRoute[]> {
  let routes: CollectedRoute[] | undefined;
  const app = await factory((instance) => {
    routes = collectRoutes(instance);
  });
  try {
    await app.ready();
  } finally {
    await app.close();
  }
  if (!routes) throw new Error('the app factory never called setup(app): the OpenAPI builder cannot see its routes');
  return routes;
}
