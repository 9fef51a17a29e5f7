import 'reflect-metadata';

export * from './errors.js';
export * from './format-error.js';
export * from './logger.js';
export * from './database.js';
export * from './outbox.js';
export * from './event-feed.js';
export * from './live-iterator.js';
export * from './federation.js';
export * from './request-auth.js';
export * from './subgraph-server.js';
export * from './loaders.js';
export * from './tenant-scope.js';
export * from './contracts/events.js';
export * from './service.js';
export * from './schema-file.js';
