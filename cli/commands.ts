/**
 * Every CLI command, listed explicitly so oclif needs no build output or manifest.
 */
import DriverInspect from './commands/driver/inspect.js';
import DriverList from './commands/driver/list.js';
import Serve from './commands/serve.js';

/** Command id → class, read by oclif's explicit strategy. */
export const COMMANDS = {
  'driver:list': DriverList,
  'driver:inspect': DriverInspect,
  serve: Serve,
};
