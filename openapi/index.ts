/** OpenAPI 3.1 document built from the routes the service registers. */
export * from './build.js';
export * from './collect-routes.js';
export * from './served-routes.js';
export * from './serialize.js';
export type * from './route-doc.js';
