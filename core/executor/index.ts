export * from './transport.js';
export * from './executor.js';
export * from './local-transport.js';
export * from './redact.js';
export * from './transport-factory.js';
export * from './slowness.js';
export * from './budget.js';
