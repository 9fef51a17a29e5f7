export * from './roles.js';
export * from './claims.js';
export * from './principal.js';
export * from './canonical-json.js';
export * from './upstream-signature.js';
export * from './dev-keys.js';
