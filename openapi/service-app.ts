/**
 * The one wiring point between the OpenAPI builder and the reference service: the
 * factory of the app whose routes `ashlar openapi build` and `ashlar docs build`
 * document. Undefined until the service lands; then one line, e.g.
 * `export const serviceAppFactory: AppFactory | undefined = (setup) => createApiApp({ ..., setup });`
 */
import type { AppFactory } from './collect-routes.js';

/** Factory of the served app, or undefined while the service is not wired in. */
export const serviceAppFactory: AppFactory | undefined = undefined;
