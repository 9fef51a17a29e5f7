export { startPlatform, type RunningPlatform } from './platform.js';
export { platformConfigFromEnv, type PlatformConfig } from './platform.config.js';
export { DEMO_TENANT, seedDemoTenant } from './demo-seed.js';
export { startEmbeddedPostgres } from './embedded-postgres.js';
