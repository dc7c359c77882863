export * from './loader.js';
export * from './instantiate.js';
export * from './config.js';
export * from './dependencies.js';
