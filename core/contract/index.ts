/**
 * The driver contract: what every driver implements, the optional capability
 * interfaces, the plugin API and the data types.
 */
export * from './types.js';
export * from './version.js';
export * from './volume-driver.js';
export * from './capabilities/snapshots.js';
export * from './capabilities/clone.js';
export * from './capabilities/revert.js';
export * from './capabilities/manage.js';
export * from './capabilities/groups.js';
export * from './capabilities/replication.js';
export * from './capabilities/retype.js';
export * from './capabilities/migrate.js';
export * from './capability-map.js';
export * from './driver-for.js';
export * from './plugin.js';
export * from './names.js';
