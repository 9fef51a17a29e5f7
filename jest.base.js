// Shared jest configuration: every package spreads it in its own jest.config.js.
const path = require('node:path');
const swcrc = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // Source files import each other with NodeNext-style ".js" suffixes.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
};

/** For packages whose tests talk to PostgreSQL (real server: DATABASE_URL, or embedded). */
const withPostgres = {
  ...base,
  globalSetup: path.join(__dirname, 'jest.postgres-setup.js'),
  globalTeardown: path.join(__dirname, 'jest.postgres-teardown.js'),
};

module.exports = base;
Object.defineProperty(module.exports, 'withPostgres', { value: withPostgres, enumerable: false });
