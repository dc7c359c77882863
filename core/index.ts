/**
 * Ashlar's public API: the driver contract, errors, plugin loading, the executor and
 * connectors. Vendors import from here (`import { definePlugin } from 'ashlar'`).
 */
export * from './contract/index.js';
export * from './contract/runtime-driver.js';
export * from './errors/index.js';
export * from './executor/index.js';
export * from './plugins/index.js';
export * from './connectors/index.js';
export { createLogger, silentLogger } from './logging.js';
