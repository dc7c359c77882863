export * from './connector.js';
export * from './local-connector.js';
export * from './rbd-connector.js';
export * from './registry.js';
export * from './host-device-connector.js';
export * from './iscsi-connector.js';
