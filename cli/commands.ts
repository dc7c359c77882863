/**
 * Every CLI command, listed explicitly so oclif needs no build output or manifest.
 */
import ConformanceRun from './commands/conformance/run.js';
import DriverInspect from './commands/driver/inspect.js';
import DocsBuild from './commands/docs/build.js';
import DriverList from './commands/driver/list.js';
import OpenApiBuild from './commands/openapi/build.js';
import Serve from './commands/serve.js';

/** Command id → class, read by oclif's explicit strategy. */
export const COMMANDS = {
  'driver:list': DriverList,
  'conformance:run': ConformanceRun,
  'driver:inspect': DriverInspect,
  'openapi:build': OpenApiBuild,
  'docs:build': DocsBuild,
  serve: Serve,
};
