/** OpenAPI 3.1 document built from the routes the service registers. */
export * from './build.js';
export * from './collect-routes.js';
export * from './served-routes.js';
export * from './serialize.js';
export * from './api-version.js';
export type * from '../service/api/route-doc.js';
