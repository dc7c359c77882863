// Mocha's configuration. Named files on the command line run alone (`npx mocha
// test/x.test.ts`); without any, every test runs. (A `spec` in a JSON config is merged
// with the command line's files, so a single file used to run the whole suite.)
const named = process.argv.slice(2).some((a) => /\.test\.ts$/.test(a) || a.startsWith('test/'));
module.exports = {
  extension: ['ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  'node-option': ['import=tsx'],
  timeout: 60000,
  reporter: 'spec',
  recursive: true,
};
