// Tests run against a real single-node Slurm that scripts/slurm-fixture.sh brings up (see ../../docs/executors.md).
const path = require('node:path');

module.exports = {
  ...require('../../jest.base.js'),
  globalSetup: path.join(__dirname, 'jest.slurm-setup.js'),
  globalTeardown: path.join(__dirname, 'jest.slurm-teardown.js'),
};
