export * from './registry.js';
export * from './ashlar-error.js';
