// @kubernetes/client-node 1.x and two of its dependencies (openid-client, oauth4webapi, and
// openid-client's own jose) are ESM-only. Plain node 20.19+ loads them through require(esm), but
// jest's module system does not: let @swc/jest turn them into CommonJS like our own sources.
const base = require('../../jest.base.js');

const ESM_ONLY = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...base,
  transform: { '^.+\\.(ts|js)$': base.transform['^.+\\.ts$'] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
