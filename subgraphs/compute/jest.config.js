// @kubernetes/client-node 1.x and its openid-client, oauth4webapi and jose are ESM-only; compute
// loads them only for FAIRSWEEP_EXECUTOR=kubernetes. Node loads them with require(esm), jest does
// not: let @swc/jest turn them into CommonJS (as plugins/executor-kubernetes/jest.config.js does).
const base = require('../../jest.base.js').withPostgres;

const ESM_ONLY = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...base,
  transform: { '^.+\\.(ts|js)$': base.transform['^.+\\.ts$'] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
