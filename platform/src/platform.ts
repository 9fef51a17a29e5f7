import { join } from 'node:path';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys, loadOrCreateUpstreamSecret, mintToken } from '@fairsweep/auth';
import { startGateway, type RunningGateway } from '@fairsweep/gateway';
import { createLogger } from '@fairsweep/service-kit';
import { startCompute } from '@fairsweep/subgraph-compute';
import { startExperiments, strategyPluginsFromEnv } from '@fairsweep/subgraph-experiments';
import { startTenancy } from '@fairsweep/subgraph-tenancy';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { seedDemoTenant } from './demo-seed.js';
import type { PlatformConfig } from './platform.config.js';

export interface RunningPlatform {
  gatewayUrl: string;
  /** The subgraphs' own endpoints (they answer only requests signed by the gateway). */
  subgraphUrls: { tenancy: string; experiments: string; compute: string };
  databaseUrl: string;
  embedded: boolean;
  /** Mints a dev token (embedded key) — what `fairsweep token` does. */
  mintDevToken(claims: Parameters<typeof mintToken>[1]): string;
  close(): Promise<void>;
}

/**
 * Starts the whole platform in this process: PostgreSQL (embedded unless DATABASE_URL is given),
 * the three subgraphs, the gateway, and the demo tenant. Everything stops in reverse order.
 */
export async function startPlatform(config: PlatformConfig): Promise<RunningPlatform> {
  const log = createLogger('platform');
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.error('error while stopping', err));
    stops.length = 0;
  };
  try {
    let db: EmbeddedDatabase | null = null;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      db = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => log.info(m));
      stops.push(() => db!.stop());
      databaseUrl = db.url;
      log.info('embedded PostgreSQL running', { port: config.embeddedPgPort, cluster: db.clusterDir });
    }
    const keys = loadOrCreateDevKeys(config.dataDir);
    const upstreamSecret = process.env.FAIRSWEEP_UPSTREAM_SECRET ?? loadOrCreateUpstreamSecret(config.dataDir);
    const base = { databaseUrl, host: config.host, upstreamSecret };
    const tenancy = await startTenancy({ ...base, port: config.port === 0 ? 0 : config.port + 1 });
    stops.push(() => tenancy.close());
    const experiments = await startExperiments({
      ...base, port: config.port === 0 ? 0 : config.port + 2, strategyPlugins: strategyPluginsFromEnv(),
      // The artifact store lives beside the embedded database unless FAIRSWEEP_ARTIFACT_DIR says otherwise.
      artifactRoot: process.env.FAIRSWEEP_ARTIFACT_DIR ?? join(config.dataDir, 'artifacts'),
    });
    stops.push(() => experiments.close());
    const compute = await startCompute({
      ...base,
      port: config.port === 0 ? 0 : config.port + 3,
      pool: config.pool,
      workRoot: config.workDir ?? join(config.dataDir, 'work'),
      executorSettings: config.executor,
      detachOnStop: config.detachOnStop,
      trialHostEnv: { FAIRSWEEP_PROJECT_DIR: config.projectDir },
      fairShare: config.fairShare,
      cancelGraceMs: 5000,
    });
    stops.push(() => compute.close());
    const gateway: RunningGateway = await startGateway({
      host: config.host,
      port: config.port,
      upstreamSecret,
      subgraphs: [
        { name: 'tenancy', url: tenancy.url },
        { name: 'experiments', url: experiments.url },
        { name: 'compute', url: compute.url },
      ],
      jwt: process.env.JWT_JWKS_URL || process.env.JWT_PUBLIC_KEY
        ? { jwksUri: process.env.JWT_JWKS_URL, publicKeyPem: process.env.JWT_PUBLIC_KEY, issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE }
        : { publicKeyPem: keys.publicKeyPem, issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
      logger: createLogger('gateway'),
    });
    stops.push(() => gateway.close());
    const mintDevToken = (claims: Parameters<typeof mintToken>[1]) => mintToken(keys.privateKeyPem, claims);
    if (config.seedDemo) {
      const admin = mintDevToken({ sub: 'fairsweep-up', roles: ['platform-admin'], memberships: [] });
      const result = await seedDemoTenant(gateway.url, admin);
      log.info(result === 'created' ? 'demo tenant created' : 'demo tenant already present', { tenant: 'demo' });
    }
    return {
      gatewayUrl: gateway.url,
      subgraphUrls: { tenancy: tenancy.url, experiments: experiments.url, compute: compute.url },
      databaseUrl, embedded: db !== null, mintDevToken, close };
  } catch (err) {
    await close();
    throw err;
  }
}
