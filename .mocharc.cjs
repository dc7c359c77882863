// Mocha's configuration. Named files on the command line run alone (`npx mocha
// test/x.test.ts`); without any, every test runs. (A `spec` in a JSON config is merged
// with the command line's files, so a single file used to run the whole suite.)
// The default per-test limit is a backstop, scaled by the load per core when mocha starts
// (tests with real backends set their own, re-measured, and name their inner budgets).
const os = require('node:os');
const slowness = Math.min(100, Math.max(1, os.loadavg()[0] / Math.max(1, os.availableParallelism())));
const named = process.argv.slice(2).some((a) => /\.test\.ts$/.test(a) || a.startsWith('test/'));
module.exports = {
  extension: ['ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  'node-option': ['import=tsx'],
  timeout: Math.ceil(60000 * slowness),
  reporter: 'spec',
  recursive: true,
};
