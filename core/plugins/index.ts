export * from './loader.js';
export * from './instantiate.js';
export * from './config.js';
export * from './dependencies.js';
export { BUILTIN_DRIVERS } from '../../cli/builtin-drivers.js';
